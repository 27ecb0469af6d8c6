// The caches a GraphQL process keeps (parsed and validated documents; the gateway's query plans),
// each bounded by its size, from configuration. Apollo's defaults are 30 MiB each, counted as
// JSON text, which a parsed document takes several times over in the heap: six servers in one
// `npm start` could hold hundreds of MiB after many distinct operations. Built on lru-cache (the
// library Apollo's own InMemoryLRUCache wraps) so that its size can be read for /metrics.
import { LRUCache } from 'lru-cache';

/** What /metrics reads of a cache. */
export interface MeasuredCache {
  readonly name: string;
  readonly maxBytes: number;
  readonly bytes: number;
  readonly entries: number;
}

/** Apollo's KeyValueCache, structurally: what documentStore and the query plan store call. */
export class BoundedCache<V extends object> implements MeasuredCache {
  private readonly lru: LRUCache<string, V>;

  constructor(
    /** label `cache` on the crm_graphql_cache_* series */
    readonly name: string,
    /** the most the values may weigh together, counted as their JSON text in bytes */
    readonly maxBytes: number,
  ) {
    this.lru = new LRUCache<string, V>({
      maxSize: maxBytes,
      sizeCalculation: (value) => Math.max(1, Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8')),
    });
  }

  get(key: string): Promise<V | undefined> {
    return Promise.resolve(this.lru.get(key));
  }

  /** a value heavier than the whole budget is not kept (lru-cache refuses it) */
  set(key: string, value: V): Promise<void> {
    this.lru.set(key, value);
    return Promise.resolve();
  }

  /** get, for a synchronous caller (graphql-ws's onSubscribe) */
  peek(key: string): V | undefined {
    return this.lru.get(key);
  }

  /** set, for a synchronous caller */
  keep(key: string, value: V): void {
    this.lru.set(key, value);
  }

  delete(key: string): Promise<boolean> {
    return Promise.resolve(this.lru.delete(key));
  }

  clear(): void {
    this.lru.clear();
  }

  /** what the values weigh now, as counted against maxBytes */
  get bytes(): number {
    return this.lru.calculatedSize;
  }

  get entries(): number {
    return this.lru.size;
  }
}

export const MIB = 1024 * 1024;

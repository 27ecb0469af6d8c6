import { declaredTopics, type TopicCatalog } from '../catalog';
import {
  type ConsumeOptions,
  type DeliveredMessage,
  type OutgoingRecord,
  type Transport,
  type TransportSubscription,
} from './transport';

interface StoredRecord {
  /** null once deleted (deleteConsumed) */
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

interface MemoryTopic {
  partitions: StoredRecord[][];
  /** each partition's first offset still held (deleteConsumed moves it; Kafka's log start) */
  low: number[];
}

/** Kafka's murmur2 partitioner is not needed: any stable hash keeps one key on one partition. */
export function partitionOf(key: string, partitions: number): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0) % partitions;
}

export interface MemoryTransportOptions {
  /** largest batch handed to a consumer */
  maxBatch?: number;
  /** wait before a failed batch is delivered again */
  redeliveryDelayMs?: number;
}

/**
 * The in-process transport of the zero-setup mode and of unit tests: partitioned logs with
 * per-group committed offsets, so it has Kafka's semantics (per-key order, at-least-once,
 * redelivery of an uncommitted batch). Not durable: the relay replays its outbox at start.
 */
export class MemoryTransport implements Transport {
  readonly kind = 'memory' as const;
  readonly durable = false;
  private readonly topics = new Map<string, MemoryTopic>();
  private readonly committed = new Map<string, number>();
  private readonly wakers = new Set<() => void>();
  private readonly maxBatch: number;
  private readonly redeliveryDelayMs: number;

  constructor(options: MemoryTransportOptions = {}) {
    this.maxBatch = options.maxBatch ?? 200;
    this.redeliveryDelayMs = options.redeliveryDelayMs ?? 50;
  }

  provision(catalog: TopicCatalog): Promise<void> {
    for (const t of declaredTopics(catalog)) this.createTopic(t.name, t.partitions);
    return Promise.resolve();
  }

  createTopic(name: string, partitions: number): void {
    const existing = this.topics.get(name);
    if (!existing) {
      this.topics.set(name, {
        partitions: Array.from({ length: partitions }, () => []),
        low: Array.from({ length: partitions }, () => 0),
      });
      return;
    }
    while (existing.partitions.length < partitions) {
      existing.partitions.push([]);
      existing.low.push(0);
    }
  }

  send(records: OutgoingRecord[]): Promise<void> {
    for (const r of records) {
      if (!this.topics.has(r.topic)) {
        return Promise.reject(new Error(`memory transport: unknown topic ${r.topic} (not in the catalog)`));
      }
    }
    for (const r of records) {
      const topic = this.topics.get(r.topic)!;
      topic.partitions[partitionOf(r.key, topic.partitions.length)]!.push({
        key: r.key,
        value: Buffer.from(r.value, 'utf8'),
        headers: { ...(r.headers ?? {}) },
      });
    }
    for (const wake of this.wakers) wake();
    return Promise.resolve();
  }

  /** Every record of a topic, in partition then offset order (tests read dead letters with it). */
  records(topic: string): DeliveredMessage[] {
    const t = this.topics.get(topic);
    if (!t) return [];
    return t.partitions.flatMap((records, partition) =>
      records.flatMap((r, offset) =>
        offset < t.low[partition]!
          ? []
          : [{ topic, partition, offset: String(offset), key: r.key, value: r.value, headers: r.headers }],
      ),
    );
  }

  subscribe(options: ConsumeOptions): Promise<TransportSubscription> {
    for (const name of options.topics) {
      if (!this.topics.has(name)) return Promise.reject(new Error(`memory transport: unknown topic ${name}`));
    }
    let running = true;
    let generation = 0;
    let wake: () => void = () => undefined;
    const signal = () => wake();
    this.wakers.add(signal);

    const offsetKey = (topic: string, partition: number) =>
      `${options.groupId}\u0000${topic}\u0000${partition}`;
    const loop = async (gen: number) => {
      const alive = () => running && gen === generation;
      while (alive()) {
        let delivered = false;
        for (const name of options.topics) {
          const topic = this.topics.get(name)!;
          for (let p = 0; p < topic.partitions.length && alive(); p++) {
            const log = topic.partitions[p]!;
            const from = Math.max(this.committed.get(offsetKey(name, p)) ?? 0, topic.low[p]!);
            if (from >= log.length) continue;
            const batch = log.slice(from, from + this.maxBatch).map((r, i) => ({
              topic: name,
              partition: p,
              offset: String(from + i),
              key: r.key,
              value: r.value,
              headers: r.headers,
            }));
            delivered = true;
            try {
              await options.handleBatch(batch, { heartbeat: () => Promise.resolve(), isRunning: alive });
              if (!alive()) return;
              this.committed.set(offsetKey(name, p), from + batch.length);
              options.onCommitted?.(batch.length);
            } catch {
              await new Promise((r) => setTimeout(r, this.redeliveryDelayMs));
            }
          }
        }
        if (!delivered && alive()) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 1000);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
      }
    };
    let current = loop(generation);

    const lag = () => {
      let total = 0;
      for (const name of options.topics) {
        this.topics.get(name)!.partitions.forEach((log, p) => {
          total += log.length - (this.committed.get(offsetKey(name, p)) ?? 0);
        });
      }
      return Promise.resolve(total);
    };
    const deleteConsumed = (names: readonly string[]) => {
      let deleted = 0;
      for (const name of names) {
        const topic = this.topics.get(name);
        if (!topic) continue;
        topic.partitions.forEach((log, p) => {
          const committed = this.committed.get(offsetKey(name, p)) ?? 0;
          for (let i = topic.low[p]!; i < committed; i++) {
            // the offsets stay (a record's place never changes), the bytes go
            log[i] = { key: null, value: null, headers: {} };
            deleted++;
          }
          topic.low[p] = Math.max(topic.low[p]!, committed);
        });
      }
      return Promise.resolve(deleted);
    };
    return Promise.resolve({
      crashes: 0,
      joined: true,
      lag,
      deleteConsumed,
      restart: () => {
        // the old loop may be stuck in a wedged handler: abandon it (its batch stays uncommitted)
        generation++;
        wake();
        current = loop(generation);
        return Promise.resolve();
      },
      stop: async () => {
        running = false;
        this.wakers.delete(signal);
        wake();
        await current;
      },
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

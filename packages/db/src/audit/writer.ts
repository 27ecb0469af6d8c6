// A process's one writer of its audit chain: records from concurrent requests wait in a queue and
// are appended in groups, one transaction (one pooled connection, one hold of the chain's lock) at
// a time. Appending each request's records in a transaction of its own made every concurrent
// request hold a connection while it waited for the chain's lock: under load the pools filled and
// PostgreSQL ran out of connections. A group commit keeps the chain's cost at one connection per
// process, and a caller still learns that its records are written (or not) before it answers.
import type { AuditRecord } from './append';

export interface AuditWriterOptions {
  /** appends records, in order, in one transaction (appendAudit on the service's data source) */
  write(records: AuditRecord[]): Promise<unknown>;
  /** at most this many records per transaction (the rest wait for the next one) */
  maxGroup?: number;
}

interface Pending {
  records: AuditRecord[];
  resolve(): void;
  reject(err: unknown): void;
}

export class AuditWriter {
  private readonly queue: Pending[] = [];
  private draining: Promise<void> | null = null;
  private writing = 0;
  private readonly maxGroup: number;

  constructor(private readonly options: AuditWriterOptions) {
    this.maxGroup = Math.max(1, options.maxGroup ?? 500);
  }

  /** Resolves once the records are in the chain; rejects with the error of their group's write. */
  append(records: readonly AuditRecord[]): Promise<void> {
    if (!records.length) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ records: [...records], resolve, reject });
      this.draining ??= this.drain();
    });
  }

  /** Records waiting or being written. */
  get pending(): number {
    return this.writing + this.queue.reduce((n, p) => n + p.records.length, 0);
  }

  /** Settles when every record appended so far is written or refused (shutdown). */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length) {
        const group: Pending[] = [];
        let size = 0;
        // a request's records stay together, even past maxGroup when it alone is that large
        while (
          this.queue.length &&
          (group.length === 0 || size + this.queue[0]!.records.length <= this.maxGroup)
        ) {
          const next = this.queue.shift()!;
          group.push(next);
          size += next.records.length;
        }
        const records = group.flatMap((p) => p.records);
        this.writing = records.length;
        try {
          await this.options.write(records);
          for (const p of group) p.resolve();
        } catch (err) {
          for (const p of group) p.reject(err);
        } finally {
          this.writing = 0;
        }
      }
    } finally {
      this.draining = null;
    }
  }
}

import { type TopicCatalog } from '../catalog';

export interface OutgoingRecord {
  topic: string;
  key: string;
  value: string;
  headers?: Record<string, string>;
}

export interface DeliveredMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export interface BatchContext {
  /** keeps group membership alive during a long batch */
  heartbeat(): Promise<void>;
  /** false once the subscription is stopping: finish the current message and return */
  isRunning(): boolean;
}

export interface ConsumeOptions {
  groupId: string;
  topics: string[];
  /**
   * Messages of one partition, in offset order. When it resolves, the transport commits the
   * offset after the last message; when it rejects, nothing is committed and the batch comes
   * again later (at-least-once).
   */
  handleBatch(messages: DeliveredMessage[], context: BatchContext): Promise<void>;
  /** offsets committed (for progress tracking) */
  onCommitted?(count: number): void;
  /** a group of this process alone (see SubscribeOptions.ephemeral): deleted when stopped */
  ephemeral?: boolean;
}

export interface TransportSubscription {
  /** messages on the subscribed topics that the group has not committed yet; undefined if unknown */
  lag(): Promise<number | undefined>;
  /**
   * Deletes from these topics (some of the subscribed ones) every record before the group's
   * committed offset, for a topic this group alone reads (TopicSpec.deleteConsumed); how many
   * records went. Kafka: DeleteRecords, the partition's start offset moves.
   */
  deleteConsumed(topics: readonly string[]): Promise<number>;
  /** tears the consumer down and builds it again (the restart policy's tool) */
  restart(reason: string): Promise<void>;
  stop(): Promise<void>;
  /** crashes the transport could not recover from by itself */
  readonly crashes: number;
  /**
   * true once the consumer has joined its group and holds its partitions (false while it
   * joins: subscribe() does not wait for that, see KafkaTransport)
   */
  readonly joined: boolean;
}

/**
 * The port between the backbone and a message broker. Contract (checked by
 * contract.int.spec.ts on every implementation): records of one key keep their order, a
 * record is delivered at least once per group until its batch is committed, send() resolves
 * only once the record is durable (acks=all for Kafka).
 */
export interface Transport {
  readonly kind: 'kafka' | 'memory';
  /** false when records do not survive a process restart (the relay then replays its outbox) */
  readonly durable: boolean;
  provision(catalog: TopicCatalog): Promise<void>;
  send(records: OutgoingRecord[]): Promise<void>;
  subscribe(options: ConsumeOptions): Promise<TransportSubscription>;
  close(): Promise<void>;
}

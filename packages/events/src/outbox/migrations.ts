import { type MigrationInterface, type QueryRunner } from 'typeorm';

export const OUTBOX_TABLE = 'event_outbox';
export const PROCESSED_TABLE = 'event_processed';
export const OUTBOX_CHANNEL = 'event_outbox';

/**
 * The outbox (events written with the state change, published by the relay) and the
 * processed-events table (consumer, event id) that makes consumers idempotent.
 */
export class CreateEventBackbone1763700000000 implements MigrationInterface {
  name = 'CreateEventBackbone1763700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table ${OUTBOX_TABLE} (
        seq bigserial primary key,
        event_id text not null unique,
        event_type text not null,
        topic text not null,
        message_key text not null,
        -- json, not jsonb: the relay publishes the text exactly as validated, without re-serializing
        payload json not null,
        headers jsonb not null default '{}'::jsonb,
        created_at timestamptz not null default clock_timestamp(),
        sent_at timestamptz,
        attempts integer not null default 0,
        last_error text
      )`);
    // the relay's claim and its per-key ordering check both read unsent rows only
    await q.query(`create index event_outbox_unsent on ${OUTBOX_TABLE} (seq) where sent_at is null`);
    await q.query(
      `create index event_outbox_unsent_key on ${OUTBOX_TABLE} (message_key, seq) where sent_at is null`,
    );
    await q.query(`create index event_outbox_sent_at on ${OUTBOX_TABLE} (sent_at) where sent_at is not null`);
    // NOTIFY is delivered at commit, so the relay wakes exactly when rows become visible
    await q.query(`
      create function event_outbox_notify() returns trigger language plpgsql as $$
      begin
        perform pg_notify('${OUTBOX_CHANNEL}', '');
        return null;
      end $$`);
    await q.query(`
      create trigger event_outbox_notify after insert on ${OUTBOX_TABLE}
      for each statement execute function event_outbox_notify()`);
    await q.query(`
      create table ${PROCESSED_TABLE} (
        consumer text not null,
        event_id text not null,
        event_type text not null,
        processed_at timestamptz not null default now(),
        primary key (consumer, event_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table ${PROCESSED_TABLE}`);
    await q.query(`drop trigger event_outbox_notify on ${OUTBOX_TABLE}`);
    await q.query(`drop function event_outbox_notify()`);
    await q.query(`drop table ${OUTBOX_TABLE}`);
  }
}

/** Append to a service's own migrations list. */
export const EVENT_BACKBONE_MIGRATIONS = [CreateEventBackbone1763700000000];

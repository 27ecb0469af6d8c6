// The chaos scenario's two databases: the writers' source of truth (business rows written with
// their events through the outbox) and the consumers' read model. Also used by the fault tests.
import { type DataSource, type EntityManager, type MigrationInterface, type QueryRunner } from 'typeorm';
import { type AnyEvent, newEvent } from '../envelope';
import { rejectEvent } from '../errors';
import { type BackboneProbeDataV1 } from '../generated/schemas.generated';
import { type Outbox } from '../outbox/outbox';

export class CreateChaosSource1763700000001 implements MigrationInterface {
  name = 'CreateChaosSource1763700000001';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`create table chaos_subjects (subject text primary key, next_seq integer not null)`);
    await q.query(`
      create table chaos_orders (
        event_id text primary key,
        writer text not null,
        seq integer not null,
        subject text not null,
        key_seq integer not null,
        committed_at timestamptz not null default clock_timestamp()
      )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table chaos_orders');
    await q.query('drop table chaos_subjects');
  }
}

export class CreateChaosReadModel1763700000002 implements MigrationInterface {
  name = 'CreateChaosReadModel1763700000002';
  async up(q: QueryRunner): Promise<void> {
    // no unique constraint on event_id on purpose: a double apply must be visible, not an error
    await q.query(`
      create table chaos_applied (
        id bigserial primary key,
        event_id text not null,
        subject text not null,
        key_seq integer not null,
        committed_at_ms double precision not null,
        applied_at_ms double precision not null,
        consumer_pid integer not null
      )`);
    await q.query(
      `create table chaos_subject_state (subject text primary key, last_key_seq integer not null)`,
    );
    await q.query(`
      create table chaos_inversions (event_id text not null, subject text not null, key_seq integer not null, previous integer not null)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table chaos_inversions');
    await q.query('drop table chaos_subject_state');
    await q.query('drop table chaos_applied');
  }
}

/**
 * One business write: the subject's row is locked by the upsert, so two writers of one subject
 * commit in key_seq order, which is the order its events must be applied in.
 */
export async function writeOrder(
  dataSource: DataSource,
  outbox: Outbox,
  { writer, seq, subject, note }: { writer: string; seq: number; subject: string; note?: string },
): Promise<AnyEvent> {
  return dataSource.transaction(async (manager) => {
    const [row] = await manager.query<{ next_seq: number }[]>(
      `insert into chaos_subjects (subject, next_seq) values ($1, 1)
       on conflict (subject) do update set next_seq = chaos_subjects.next_seq + 1
       returning next_seq`,
      [subject],
    );
    const keySeq = row!.next_seq;
    const data: BackboneProbeDataV1 = { writer, seq, keySeq, sentAtMs: Date.now() };
    if (note) data.note = note;
    const event = newEvent('BackboneProbe', data, {
      source: 'chaos',
      subject,
      actor: { kind: 'system', id: writer },
    });
    await manager.query(
      `insert into chaos_orders (event_id, writer, seq, subject, key_seq) values ($1, $2, $3, $4, $5)`,
      [event.id, writer, seq, subject, keySeq],
    );
    await outbox.publish(manager, event);
    return event;
  });
}

/**
 * The read model's handler. Notes drive the fault tests: `poison` always fails (retriable, so
 * it exhausts its attempts), `reject` (or `reject:<why>`) fails for good, `sleep:<s>` holds the
 * transaction open.
 */
export async function applyProbe(event: AnyEvent, manager: EntityManager): Promise<void> {
  if (event.type !== 'BackboneProbe') return;
  const { note, keySeq, sentAtMs } = event.data;
  if (note === 'poison') throw new Error('poison: this handler always fails on this event');
  // `reject:<why>`: the why is put in the error's text, as a handler naming a value would
  if (note === 'reject' || note?.startsWith('reject:'))
    throw rejectEvent(`the read model refuses this event${note.length > 6 ? `: ${note.slice(7)}` : ''}`);
  if (note?.startsWith('sleep:')) await manager.query('select pg_sleep($1)', [Number(note.slice(6))]);
  const [state] = await manager.query<{ last_key_seq: number }[]>(
    `select last_key_seq from chaos_subject_state where subject = $1 for update`,
    [event.subject],
  );
  if (state && keySeq < state.last_key_seq) {
    await manager.query(
      `insert into chaos_inversions (event_id, subject, key_seq, previous) values ($1, $2, $3, $4)`,
      [event.id, event.subject, keySeq, state.last_key_seq],
    );
  }
  await manager.query(
    `insert into chaos_subject_state (subject, last_key_seq) values ($1, $2)
     on conflict (subject) do update set last_key_seq = greatest(chaos_subject_state.last_key_seq, excluded.last_key_seq)`,
    [event.subject, keySeq],
  );
  await manager.query(
    `insert into chaos_applied (event_id, subject, key_seq, committed_at_ms, applied_at_ms, consumer_pid)
     values ($1, $2, $3, $4, $5, $6)`,
    [event.id, event.subject, keySeq, sentAtMs ?? 0, Date.now(), process.pid],
  );
}

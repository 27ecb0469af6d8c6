import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isFieldCiphertext, PersonalDataVault, PgKeyStore, type KeyWrapper } from '@crm/privacy';

// frozen here, as the schema was when this migration was written (CaseCipher may evolve later
// without changing what this migration did)
const LEAD = 'cases.lead_id';
const PAYLOAD = 'case_events.payload';
const SUMMARY = 'case_events.summary';
const NOTES = 'case_events.notes';
const BATCH = 500;

const isSealed = (value: unknown): boolean => typeof value === 'string' && isFieldCiphertext(value);

/**
 * Issue 18: seed 2's case journal held its lead in clear: `cases.lead_id` (the lead's e-mail, or
 * a claim's client id) and each entry's `payload`, `summary` and `notes` (what the partner said,
 * the identity fields it could not read). Each case gets a data key of its own (subject: the case
 * id, the key its CaseEventRecorded and CaseCallRequested are already sealed under): the lead and
 * the entries are sealed under it, `lead_bidx` (the lead's keyed blind index) is how a lead's
 * cases are found, and `erased_at` marks a case whose key was shredded (an erased lead's: a new
 * event of his opens a new case). The journal stays immutable: its trigger is lifted only for
 * the sealing, in this migration's transaction. Checks keep clear text out from now on.
 *
 * A class made per master key ring (sealing needs the wrapper). Reversible only where no case is
 * sealed yet: going back would write the data in clear again.
 */
export function encryptCaseJournalMigration(wrapper: KeyWrapper) {
  return class EncryptCaseJournal1767800002000 implements MigrationInterface {
    name = 'EncryptCaseJournal1767800002000';

    async up(q: QueryRunner): Promise<void> {
      await q.query(`
        alter table cases alter column lead_id type text,
          drop constraint if exists cases_lead_id_check,
          add column lead_bidx varchar(64), add column erased_at timestamp`);
      await q.query(`alter table case_events drop constraint if exists case_events_payload_check,
          drop constraint if exists case_events_notes_array`);

      const vault = new PersonalDataVault({ store: new PgKeyStore(q), wrapper, cacheSize: 0 });
      for (let after = ''; ;) {
        const rows = (await q.query(
          `select case_id, lead_id from cases where case_id > $1 order by case_id limit $2`,
          [after, BATCH],
        )) as { case_id: string; lead_id: string }[];
        if (rows.length === 0) break;
        for (const row of rows) {
          if (isSealed(row.lead_id)) continue;
          const writer = await vault.writer(row.case_id);
          await q.query(`update cases set lead_id = $2, lead_bidx = $3 where case_id = $1`, [
            row.case_id,
            writer.encrypt(LEAD, row.lead_id),
            await vault.blindIndex(LEAD, row.lead_id),
          ]);
        }
        after = rows[rows.length - 1]!.case_id;
      }

      await q.query(`alter table case_events disable trigger case_events_immutable`);
      for (let after = ''; ;) {
        const rows = (await q.query(
          `select event_id, case_id, payload, summary, notes from case_events
            where event_id > $1 and jsonb_typeof(payload) = 'object' order by event_id limit $2`,
          [after, BATCH],
        )) as {
          event_id: string;
          case_id: string;
          payload: object;
          summary: object | null;
          notes: unknown[];
        }[];
        if (rows.length === 0) break;
        for (const row of rows) {
          const writer = await vault.writer(row.case_id);
          await q.query(
            `update case_events set payload = $2::jsonb, summary = $3::jsonb, notes = $4::jsonb where event_id = $1`,
            [
              row.event_id,
              JSON.stringify(writer.encrypt(PAYLOAD, JSON.stringify(row.payload))),
              row.summary === null
                ? null
                : JSON.stringify(writer.encrypt(SUMMARY, JSON.stringify(row.summary))),
              row.notes.length === 0
                ? '[]'
                : JSON.stringify(writer.encrypt(NOTES, JSON.stringify(row.notes))),
            ],
          );
        }
        after = rows[rows.length - 1]!.event_id;
      }
      await q.query(`alter table case_events enable trigger case_events_immutable`);

      await q.query(`alter table cases alter column lead_bidx set not null`);
      await q.query(`drop index idx_cases_lead_activity`);
      await q.query(`drop index idx_cases_resolution`);
      await q.query(
        `create index idx_cases_lead_activity on cases (lead_bidx, (coalesce(last_event_at, created_at)) desc)`,
      );
      await q.query(
        `create index idx_cases_resolution on cases (lead_bidx, intent, site_id, created_at desc)`,
      );
      await q.query(`
        alter table cases add constraint cases_personal_encrypted_check check (lead_id like 'pd1:%')`);
      await q.query(`
        alter table case_events add constraint case_events_personal_encrypted_check check (
          (jsonb_typeof(payload) = 'string' and payload #>> '{}' like 'pd1:%')
          and (summary is null or (jsonb_typeof(summary) = 'string' and summary #>> '{}' like 'pd1:%'))
          and (notes = '[]'::jsonb or (jsonb_typeof(notes) = 'string' and notes #>> '{}' like 'pd1:%')))`);
    }

    async down(q: QueryRunner): Promise<void> {
      const [sealed] = (await q.query(`select count(*)::int as n from cases where lead_id like 'pd1:%'`)) as {
        n: number;
      }[];
      if (sealed!.n > 0)
        throw new Error(
          'EncryptCaseJournal is not reversible while a case is sealed: going back would write the leads in clear',
        );
      await q.query(`alter table case_events drop constraint case_events_personal_encrypted_check`);
      await q.query(`alter table cases drop constraint cases_personal_encrypted_check`);
      await q.query(`drop index idx_cases_lead_activity`);
      await q.query(`drop index idx_cases_resolution`);
      await q.query(`alter table cases drop column lead_bidx, drop column erased_at`);
      await q.query(`
        alter table cases alter column lead_id type varchar(254),
          add constraint cases_lead_id_check check (lead_id = lower(lead_id))`);
      await q.query(
        `create index idx_cases_lead_activity on cases (lead_id, (coalesce(last_event_at, created_at)) desc)`,
      );
      await q.query(`create index idx_cases_resolution on cases (lead_id, intent, site_id, created_at desc)`);
      await q.query(`
        alter table case_events add constraint case_events_payload_check check (jsonb_typeof(payload) = 'object'),
          add constraint case_events_notes_array check (jsonb_typeof(notes) = 'array')`);
    }
  };
}

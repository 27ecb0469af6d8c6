import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isFieldCiphertext, PersonalDataVault, PgKeyStore, type KeyWrapper } from '@crm/privacy';

// frozen here, as the schema was when this migration was written: the same field names as
// ClaimCipher, which may evolve later without changing what this migration did
const TEXT_COLUMNS = ['description', 'lieu', 'nom_tiers', 'contact_tiers'] as const;
// the third party is another person: his name and contact under a key of his own
const THIRD_PARTY: readonly string[] = ['nom_tiers', 'contact_tiers'];
const thirdPartySubject = (claimId: string) => `tiers:${claimId}`;
const field = (table: string, column: string) => `${table}.${column}`;
const PHOTOS = field('sinistres', 'photo_urls');
const REASON = field('sinistres', 'historique_statut.reason');
const ACTIVITY_DETAIL = field('activites_sinistre', 'detail');
const ACTION_REASON = field('actions_recommandees', 'motif_statut');
const BATCH = 500;

type ClaimRow = { id: string; photo_urls: unknown; historique_statut: { reason?: string | null }[] } & Record<
  (typeof TEXT_COLUMNS)[number],
  string | null
>;

const sealed = (value: unknown): boolean =>
  value === null || value === undefined || (typeof value === 'string' && isFieldCiphertext(value));

/**
 * Issue 18: what claims say about people was clear text: the client's account (description,
 * lieu, photo_urls), the third party's name and contact (nom_tiers, contact_tiers), the reasons
 * of status changes (historique_statut[].reason) and of the recommended actions' outcomes
 * (actions_recommandees.motif_statut), the details of the activities recorded by hand
 * (activites_sinistre.detail). Each claim gets a data key of its own (its third party another,
 * subject tiers:<claim id>, which the client's erasure leaves); every existing row is
 * sealed in place in this migration's transaction, and checks keep clear text out from now on.
 * The seed's widths (lieu 255, nom_tiers 100, contact_tiers 20, motif_statut 255) are the
 * inputs' bounds: the columns become text, a ciphertext being longer than its value.
 *
 * A class made per master key ring (encrypting needs the wrapper, from the service's
 * configuration). Reversible only where no word is sealed yet: going back would write the data
 * in clear again.
 */
export function encryptClaimsMigration(wrapper: KeyWrapper) {
  return class EncryptClaims1767700001000 implements MigrationInterface {
    name = 'EncryptClaims1767700001000';

    async up(q: QueryRunner): Promise<void> {
      await q.query(`
        alter table sinistres
          alter column lieu type text, alter column nom_tiers type text, alter column contact_tiers type text,
          drop constraint if exists sinistres_photo_urls_check`);
      await q.query(`alter table actions_recommandees alter column motif_statut type text`);

      // the migration's own vault: keys written in this transaction, nothing cached
      const vault = new PersonalDataVault({ store: new PgKeyStore(q), wrapper, cacheSize: 0 });

      // keyset on the primary key: each batch and each update is an index lookup
      for (let after = '00000000-0000-0000-0000-000000000000'; ;) {
        const rows = (await q.query(
          `select id, ${TEXT_COLUMNS.join(', ')}, photo_urls, historique_statut from sinistres
            where id > $1 order by id limit $2`,
          [after, BATCH],
        )) as ClaimRow[];
        if (rows.length === 0) break;
        for (const row of rows) {
          const history = Array.isArray(row.historique_statut) ? row.historique_statut : [];
          if (
            TEXT_COLUMNS.every((c) => sealed(row[c])) &&
            sealed(row.photo_urls) &&
            history.every((h) => sealed(h.reason))
          )
            continue;
          const writer = await vault.writer(row.id);
          const seal = (name: string, value: string | null | undefined) =>
            value === null || value === undefined || isFieldCiphertext(value)
              ? (value ?? null)
              : writer.encrypt(name, value);
          const sealThirdParty = async (name: string, value: string | null) =>
            value === null || isFieldCiphertext(value)
              ? value
              : (await vault.writer(thirdPartySubject(row.id))).encrypt(name, value);
          const texts: (string | null)[] = [];
          for (const c of TEXT_COLUMNS)
            texts.push(
              THIRD_PARTY.includes(c)
                ? await sealThirdParty(field('sinistres', c), row[c])
                : seal(field('sinistres', c), row[c]),
            );
          await q.query(
            `update sinistres set ${TEXT_COLUMNS.map((c, i) => `${c} = $${i + 2}`).join(', ')},
               photo_urls = $${TEXT_COLUMNS.length + 2}::jsonb, historique_statut = $${TEXT_COLUMNS.length + 3}::jsonb
             where id = $1`,
            [
              row.id,
              ...texts,
              row.photo_urls === null || row.photo_urls === undefined
                ? null
                : JSON.stringify(
                    sealed(row.photo_urls)
                      ? row.photo_urls
                      : writer.encrypt(PHOTOS, JSON.stringify(row.photo_urls)),
                  ),
              JSON.stringify(history.map((h) => ({ ...h, reason: seal(REASON, h.reason) }))),
            ],
          );
        }
        after = rows[rows.length - 1]!.id;
      }

      for (let after = 0; ;) {
        const rows = (await q.query(
          `select id, sinistre_id, detail from activites_sinistre
            where id > $1 and detail is not null and detail not like 'pd1:%' order by id limit $2`,
          [after, BATCH],
        )) as { id: string; sinistre_id: string; detail: string }[];
        if (rows.length === 0) break;
        for (const row of rows) {
          const writer = await vault.writer(row.sinistre_id);
          await q.query(`update activites_sinistre set detail = $2 where id = $1`, [
            row.id,
            writer.encrypt(ACTIVITY_DETAIL, row.detail),
          ]);
        }
        after = Number(rows[rows.length - 1]!.id);
      }

      for (let after = '00000000-0000-0000-0000-000000000000'; ;) {
        const rows = (await q.query(
          `select id, sinistre_id, motif_statut from actions_recommandees
            where id > $1 and sinistre_id is not null and motif_statut is not null and motif_statut not like 'pd1:%'
            order by id limit $2`,
          [after, BATCH],
        )) as { id: string; sinistre_id: string; motif_statut: string }[];
        if (rows.length === 0) break;
        for (const row of rows) {
          const writer = await vault.writer(row.sinistre_id);
          await q.query(`update actions_recommandees set motif_statut = $2 where id = $1`, [
            row.id,
            writer.encrypt(ACTION_REASON, row.motif_statut),
          ]);
        }
        after = rows[rows.length - 1]!.id;
      }

      await q.query(`
        alter table sinistres add constraint sinistres_personal_encrypted_check check (
          ${TEXT_COLUMNS.map((c) => `(${c} is null or ${c} like 'pd1:%')`).join(' and ')}
          and (photo_urls is null or (jsonb_typeof(photo_urls) = 'string' and photo_urls #>> '{}' like 'pd1:%'))
          and not jsonb_path_exists(historique_statut, '$[*] ? (@.reason != null && !(@.reason starts with "pd1:"))'))`);
      await q.query(`
        alter table activites_sinistre add constraint activites_sinistre_personal_encrypted_check
          check (detail is null or detail like 'pd1:%')`);
      // an action of no claim has no key (none is written so; older ones keep their reason)
      await q.query(`
        alter table actions_recommandees add constraint actions_recommandees_personal_encrypted_check
          check (motif_statut is null or motif_statut like 'pd1:%' or sinistre_id is null)`);
    }

    /**
     * Only on a database holding no sealed word (a fresh one, a test's): going back would
     * write personal data in clear, so a database with any refuses.
     */
    async down(q: QueryRunner): Promise<void> {
      const [held] = (await q.query(`
        select exists (select 1 from sinistres where description like 'pd1:%' or lieu like 'pd1:%'
                         or nom_tiers like 'pd1:%' or contact_tiers like 'pd1:%' or photo_urls is not null
                         or jsonb_path_exists(historique_statut, '$[*] ? (@.reason != null)'))
            or exists (select 1 from activites_sinistre where detail is not null)
            or exists (select 1 from actions_recommandees where motif_statut like 'pd1:%') as held`)) as {
        held: boolean;
      }[];
      if (held?.held)
        throw new Error(
          'EncryptClaims1767700001000 is not reversible on a database holding sealed words: it would write personal data in clear',
        );
      await q.query(
        `alter table actions_recommandees drop constraint actions_recommandees_personal_encrypted_check`,
      );
      await q.query(
        `alter table activites_sinistre drop constraint activites_sinistre_personal_encrypted_check`,
      );
      await q.query(`alter table sinistres drop constraint sinistres_personal_encrypted_check`);
      await q.query(`alter table actions_recommandees alter column motif_statut type varchar(255)`);
      await q.query(`
        alter table sinistres
          alter column lieu type varchar(255), alter column nom_tiers type varchar(100),
          alter column contact_tiers type varchar(20),
          add constraint sinistres_photo_urls_check check (photo_urls is null or jsonb_typeof(photo_urls) = 'array')`);
    }
  };
}

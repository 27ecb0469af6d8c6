// What a claim says about people, encrypted at rest (issue 18, docs/privacy.md): the client's
// account (description, place, photos), the third party's name and contact, the reasons given for
// status changes and for the recommended actions' outcomes, the details of the activities recorded
// by hand, under a data key of the claim's own (subject: the claim's id); the third party, another
// person, under a key of his own (subject: thirdPartySubject(claim id)). The client's erasure
// shreds the keys of his claims, so every copy of his words (a replica, a dump, a backup) can no
// longer be read; the third party's stay readable (the insurer's recourse against him), as do
// amounts, dates, statuses and the facts as yes/no. The one place where claims' rows are sealed
// and opened (ClaimRepository).
import type { AuditRow, FieldChange } from '@crm/db';
import { openOnRead, type FieldWriter, type PersonalDataVault, type Sql } from '@crm/privacy';
import {
  changedFields,
  revealFieldChanges,
  sealChangedFields,
  sealFieldChangesIfLive,
  type AuditFieldChangeView,
} from '@crm/subgraph';
import type { RecordedActivity } from './claim-activity.rules';
import { UPDATABLE_CLAIM_FIELDS, type ClaimEntity } from './claim.entity';
import type { StatusChange } from './claim-lifecycle.rules';
import type { RecommendedActionEntity } from './recommended-action.entity';

/** The field name bound to each ciphertext (its additional data): `<table>.<column>`. */
export const claimField = (
  table: 'sinistres' | 'activites_sinistre' | 'actions_recommandees',
  column: string,
) => `${table}.${column}`;

/** The third party of a claim: a person of his own, with a key of his own. */
export const thirdPartySubject = (claimId: string): string => `tiers:${claimId}`;

/** The claim's text columns sealed as they are, by entity property, and whose key seals each. */
export const SEALED_TEXT = {
  description: { field: claimField('sinistres', 'description'), subject: (id: string) => id },
  location: { field: claimField('sinistres', 'lieu'), subject: (id: string) => id },
  thirdPartyName: { field: claimField('sinistres', 'nom_tiers'), subject: thirdPartySubject },
  thirdPartyContact: { field: claimField('sinistres', 'contact_tiers'), subject: thirdPartySubject },
} as const satisfies Partial<Record<keyof ClaimEntity, { field: string; subject: (id: string) => string }>>;
type SealedText = keyof typeof SEALED_TEXT;
const PHOTOS = claimField('sinistres', 'photo_urls');
const REASON = claimField('sinistres', 'historique_statut.reason');
export const ACTIVITY_DETAIL = claimField('activites_sinistre', 'detail');
export const ACTION_REASON = claimField('actions_recommandees', 'motif_statut');

/** What a claim's audit records keep of a change, each value sealed under the claim's key. */
export const AUDITED_CLAIM_FIELDS = [
  // what the client declared (what updateClaim may change), then what the insurer decided
  ...UPDATABLE_CLAIM_FIELDS,
  'contractId',
  'type',
  'cciScore',
  'status',
  'handling',
  'archivedAt',
] as const satisfies readonly (keyof ClaimEntity)[];
const AUDIT_ENTITY = 'claim';
/** What recordClaimActivity's audit record keeps of the entry, as new values. */
export const AUDITED_ACTIVITY_FIELDS = [
  'kind',
  'detail',
  'at',
] as const satisfies readonly (keyof RecordedActivity)[];
const ACTIVITY_ENTITY = 'activity';
/** What setRecommendedActionStatus's audit record keeps of the action. */
export const AUDITED_ACTION_FIELDS = [
  'status',
  'executedAt',
] as const satisfies readonly (keyof RecommendedActionEntity)[];
const ACTION_ENTITY = 'recommendedAction';

/**
 * The entity a record's values were sealed as (`audit.<entity>.<field>`): a recorded activity's
 * record names the claim (recordClaimActivity answers it) but its values are the entry's.
 */
const auditEntityOf = (record: AuditRow): string =>
  record.operation === 'Mutation.recordClaimActivity' ? ACTIVITY_ENTITY : AUDIT_ENTITY;

export class ClaimCipher {
  constructor(private readonly vault: PersonalDataVault) {}

  /**
   * The audit record's changes of a claim (docs/security.md, Audit log): each audited field that
   * differs, its old and new value sealed under the claim's key (`audit.claim.<field>`), so the
   * client's erasure makes them unreadable with the rest. None when nothing audited changed, or
   * when the claim's key is shredded (the audit record then keeps the fields' digests only).
   */
  auditChanges(
    before: Partial<ClaimEntity>,
    after: ClaimEntity,
    tx?: Sql,
    fields: readonly (keyof ClaimEntity)[] = changedFields(
      before as ClaimEntity,
      after,
      AUDITED_CLAIM_FIELDS,
    ),
  ): Promise<Record<string, FieldChange> | null> {
    if (fields.length === 0) return Promise.resolve(null);
    return sealFieldChangesIfLive(this.vault, after.id, AUDIT_ENTITY, before, after, fields, tx);
  }

  /**
   * recordClaimActivity's audit record (docs/security.md, Audit log), under the claim's key as
   * `audit.activity.<field>`: the entry recorded (kind, detail, at, as new values) and the claim's
   * audited fields it moved (documents received may send the claim back to work: status,
   * handling). None when the claim's key is shredded (a detail is refused then anyway).
   */
  auditActivity(
    entry: RecordedActivity,
    before: ClaimEntity,
    after: ClaimEntity,
    tx?: Sql,
  ): Promise<Record<string, FieldChange> | null> {
    const moved = changedFields(before, after, AUDITED_CLAIM_FIELDS);
    const recorded = AUDITED_ACTIVITY_FIELDS.filter((f) => entry[f] !== null);
    const old: Record<string, unknown> = {};
    const next: Record<string, unknown> = {};
    for (const f of moved) [old[f], next[f]] = [before[f], after[f]];
    for (const f of recorded) next[f] = entry[f];
    return sealFieldChangesIfLive(
      this.vault,
      after.id,
      ACTIVITY_ENTITY,
      old,
      next,
      [...recorded, ...moved],
      tx,
    );
  }

  /**
   * setRecommendedActionStatus's audit record: the action's status and execution date, old and
   * new, under its claim's key (`audit.recommendedAction.<field>`). The record names the action,
   * not the claim: Claim.auditTrail does not show it. None when nothing changed, or when the
   * claim's key is shredded.
   */
  auditActionStatus(
    claimId: string,
    before: RecommendedActionEntity,
    after: RecommendedActionEntity,
    tx?: Sql,
  ): Promise<Record<string, FieldChange> | null> {
    return sealChangedFields(this.vault, claimId, ACTION_ENTITY, before, after, AUDITED_ACTION_FIELDS, tx);
  }

  /**
   * Claim.auditTrail: the sealed changes of these records, opened, each as the entity it was
   * sealed as. A recorded activity's records are opened second: their claims' keys, read by the
   * first, are usually cached by then (no second query).
   */
  async revealAuditChanges(records: readonly AuditRow[]): Promise<Map<number, AuditFieldChangeView[]>> {
    const claims = await revealFieldChanges(
      this.vault,
      AUDIT_ENTITY,
      records.filter((r) => auditEntityOf(r) === AUDIT_ENTITY),
    );
    const activities = await revealFieldChanges(
      this.vault,
      ACTIVITY_ENTITY,
      records.filter((r) => auditEntityOf(r) === ACTIVITY_ENTITY),
    );
    return new Map([...claims, ...activities]);
  }

  /**
   * The values as stored: each sealed column present in `values` sealed under the claim's key
   * (photo_urls holds one ciphertext of the JSON list, historique_statut each entry's reason).
   */
  async sealValues(claimId: string, values: Partial<ClaimEntity>, tx?: Sql): Promise<Partial<ClaimEntity>> {
    const touched =
      (Object.keys(SEALED_TEXT) as SealedText[]).some((k) => values[k] != null) ||
      values.photoUrls != null ||
      (values.statusHistory?.some((h) => h.reason !== null) ?? false);
    if (!touched) return values;
    const writers = new Map<string, FieldWriter>();
    const writerOf = async (subject: string) => {
      let writer = writers.get(subject);
      if (!writer) writers.set(subject, (writer = await this.vault.writer(subject, tx)));
      return writer;
    };
    const sealed: Partial<ClaimEntity> = { ...values };
    for (const key of Object.keys(SEALED_TEXT) as SealedText[]) {
      const { field, subject } = SEALED_TEXT[key];
      const value = values[key];
      if (value !== undefined)
        sealed[key] = value === null ? null : (await writerOf(subject(claimId))).encrypt(field, value);
    }
    if (values.photoUrls !== undefined)
      // a jsonb column: the ciphertext is stored as a JSON string (photoUrls is read back opened)
      sealed.photoUrls = (values.photoUrls === null
        ? null
        : (await writerOf(claimId)).encrypt(PHOTOS, JSON.stringify(values.photoUrls))) as unknown as
        string[] | null;
    const history = values.statusHistory;
    if (history?.some((h) => h.reason !== null)) {
      const writer = await writerOf(claimId);
      sealed.statusHistory = history.map((h) => ({ ...h, reason: writer.seal(REASON, h.reason) }));
    }
    return sealed;
  }

  /** Texts of the claim's rows (activities' details, an action's reason), sealed: one key read. */
  async sealTexts(
    claimId: string,
    field: string,
    values: readonly (string | null)[],
    tx?: Sql,
  ): Promise<(string | null)[]> {
    if (values.every((v) => v === null)) return values.map(() => null);
    const writer = await this.vault.writer(claimId, tx);
    return values.map((value) => writer.seal(field, value));
  }

  /**
   * The claims with their words opened (one key query for the batch), each decrypted when it is
   * first read (openOnRead): a list that shows numbers and statuses decrypts nothing.
   */
  async openClaims(claims: ClaimEntity[], tx?: Sql): Promise<ClaimEntity[]> {
    if (!claims.length) return claims;
    // only the keys of what holds words: a claim without any (or without a third party) has no
    // key to look for, and an absent key is never cached
    const subjects = claims.flatMap((c) => {
      const own =
        c.description !== null ||
        c.location !== null ||
        c.photoUrls !== null ||
        (c.statusHistory ?? []).some((h) => h.reason !== null);
      const third = c.thirdPartyName !== null || c.thirdPartyContact !== null;
      return [...(own ? [c.id] : []), ...(third ? [thirdPartySubject(c.id)] : [])];
    });
    if (!subjects.length) return claims;
    const reader = await this.vault.reader(subjects, tx);
    for (const claim of claims) {
      for (const key of Object.keys(SEALED_TEXT) as SealedText[]) {
        const { field, subject } = SEALED_TEXT[key];
        const sealed = claim[key];
        if (sealed !== null) openOnRead(claim, key, () => reader.open(subject(claim.id), field, sealed));
      }
      // one ciphertext of the JSON list, as stored
      const photos = claim.photoUrls as unknown as string | null;
      if (photos !== null)
        openOnRead(claim, 'photoUrls', () => {
          const opened = reader.open(claim.id, PHOTOS, photos);
          return opened === null ? null : (JSON.parse(opened) as string[]);
        });
      const history = claim.statusHistory ?? [];
      if (history.some((h) => h.reason !== null))
        openOnRead(claim, 'statusHistory', () =>
          history.map((h): StatusChange => ({ ...h, reason: reader.open(claim.id, REASON, h.reason) })),
        );
      else claim.statusHistory = history;
    }
    return claims;
  }

  /** Rows of a claim's tables with one text each (`field`), opened by their claim's key. */
  async openTexts<T extends { claimId: string | null }>(
    rows: T[],
    field: string,
    get: (row: T) => string | null,
    set: (row: T, value: string | null) => void,
    tx?: Sql,
  ): Promise<T[]> {
    const withText = rows.filter((r) => r.claimId !== null && get(r) !== null);
    if (!withText.length) return rows;
    const reader = await this.vault.reader(
      withText.map((r) => r.claimId!),
      tx,
    );
    for (const row of withText) set(row, reader.open(row.claimId!, field, get(row)));
    return rows;
  }

  /** Crypto-shredding: every word under this claim's key becomes unreadable, wherever copied. */
  shred(claimId: string, tx: Sql): Promise<boolean> {
    return this.vault.shred(claimId, tx);
  }
}

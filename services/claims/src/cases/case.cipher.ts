// What seed 2's case journal says about its lead, encrypted at rest (issue 18, docs/privacy.md):
// the case's lead (`cases.lead_id`: the lead's e-mail, or a claim's client id) and each journal
// entry's payload, summary and notes (what the partner said, the identity fields it could not
// read), under a data key of the case's own (subject: the case id, the key its CaseEventRecorded
// and CaseCallRequested are sealed under). A lead's cases are found by the keyed blind index of
// the lead (`cases.lead_bidx`). An erased lead's cases have their keys shredded: every copy of
// their words (a replica, a dump, a backup, Kafka) can no longer be read; the journal's dates,
// types and sources stay, and so does the case's status. The one place where the journal is
// sealed and opened (CaseRepository).
import type { IdentityNote } from '@crm/events';
import type { PersonalDataVault, Sql } from '@crm/privacy';
import type { CaseEventEntity } from './case-event.entity';
import type { CaseEntity } from './case.entity';

/** The field name bound to each ciphertext (its additional data): `<table>.<column>`. */
export const CASE_FIELDS = {
  lead: 'cases.lead_id',
  payload: 'case_events.payload',
  summary: 'case_events.summary',
  notes: 'case_events.notes',
} as const;

/** A journal entry's words as stored: each a ciphertext (a JSON string in its jsonb column). */
export interface SealedEntry {
  payload: string;
  summary: string | null;
  /** an empty list stays an empty list: nothing to hide */
  notes: string | readonly [];
}

export class CaseCipher {
  constructor(private readonly vault: PersonalDataVault) {}

  /**
   * The lead's blind index: how a lead's cases are found (casesByLead, the merge rule). Inside a
   * transaction, give it (`tx`): the index key is then read on its connection.
   */
  leadIndex(leadId: string, tx?: Sql): Promise<string> {
    return this.vault.blindIndex(CASE_FIELDS.lead, leadId, tx);
  }

  /** A new case's lead, sealed under the case's key, with its blind index. */
  async sealLead(caseId: string, leadId: string, tx?: Sql): Promise<{ sealed: string; index: string }> {
    const writer = await this.vault.writer(caseId, tx);
    return { sealed: writer.encrypt(CASE_FIELDS.lead, leadId), index: await this.leadIndex(leadId, tx) };
  }

  /** A journal entry's words, sealed under its case's key (SubjectErasedError once shredded). */
  async sealEntry(
    caseId: string,
    entry: {
      payload: Record<string, unknown>;
      summary: Record<string, unknown> | null;
      notes?: readonly IdentityNote[] | undefined;
    },
    tx?: Sql,
  ): Promise<SealedEntry> {
    const writer = await this.vault.writer(caseId, tx);
    const notes = entry.notes ?? [];
    return {
      payload: writer.encrypt(CASE_FIELDS.payload, JSON.stringify(entry.payload)),
      summary:
        entry.summary === null ? null : writer.encrypt(CASE_FIELDS.summary, JSON.stringify(entry.summary)),
      notes: notes.length === 0 ? [] : writer.encrypt(CASE_FIELDS.notes, JSON.stringify(notes)),
    };
  }

  /** The cases with their lead opened (one key query): null for an erased lead. */
  async openCases(cases: CaseEntity[], tx?: Sql): Promise<CaseEntity[]> {
    if (!cases.length) return cases;
    const reader = await this.vault.reader(
      cases.map((c) => c.id),
      tx,
    );
    for (const c of cases) c.leadEmail = reader.open(c.id, CASE_FIELDS.lead, c.leadEmail);
    return cases;
  }

  /** Journal entries with their words opened (one key query): an erased case's read as none. */
  async openEvents(events: CaseEventEntity[], tx?: Sql): Promise<CaseEventEntity[]> {
    if (!events.length) return events;
    const reader = await this.vault.reader(
      events.map((e) => e.caseId),
      tx,
    );
    const json = <T>(field: string, e: CaseEventEntity, stored: unknown): T | null => {
      const text = reader.open(e.caseId, field, stored);
      return text === null ? null : (JSON.parse(text) as T);
    };
    for (const e of events) {
      e.payload = json<Record<string, unknown>>(CASE_FIELDS.payload, e, e.payload);
      e.summary = json<Record<string, unknown>>(CASE_FIELDS.summary, e, e.summary);
      e.notes = Array.isArray(e.notes)
        ? e.notes
        : (json<IdentityNote[]>(CASE_FIELDS.notes, e, e.notes) ?? []);
    }
    return events;
  }

  /** Crypto-shredding: the case's lead and journal become unreadable, wherever copied. */
  shred(caseId: string, tx: Sql): Promise<boolean> {
    return this.vault.shred(caseId, tx);
  }
}

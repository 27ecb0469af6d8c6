// Seed 2's migration step 1, « Dual Write » (issue 19): with LEGACY_DUAL_WRITE on, the partner
// ingestion also keeps audit_sessions in the legacy shape, and what it writes is what the
// backfill (the legacy format's reader) accepts; with the setting off, nothing is written there.
import { perFile } from '@crm/testing';
import { randomUUID } from 'node:crypto';
import { startClaims, type Harness } from '../../test/harness';
import { ingestPartner, partnerMessage } from '../../test/partner';
import { parseSessionLine } from '../cli/backfill.rules';

const sessions = (h: Harness, email: string) =>
  h.sql<Record<string, unknown>>(`select row_to_json(a) as doc from audit_sessions a where email = $1`, [
    email,
  ]);

describe('dual write on', () => {
  const h = perFile(() => startClaims('claims_dual_write', { settings: { legacyDualWrite: true } }));

  it('keeps one legacy session per case with the audit and the summary, in the shape the backfill reads', async () => {
    const email = `lead-${randomUUID()}@example.fr`;
    await ingestPartner(
      h,
      partnerMessage('AUDIT_COMPLETED', { email: ` ${email.toUpperCase()} `, phone: '06 12 34 56 78' }),
      partnerMessage('CALL_REQUESTED', { email, timestamp: '2026-03-01T11:00:00Z' }),
      partnerMessage('CHAT_SUMMARIZED', { email, timestamp: '2026-03-01T12:00:00Z' }),
    );
    const [caseRow] = await h.casesOfLead<{ case_id: string; lead_id: string | null }>(email);
    const rows = await sessions(h, email);
    expect(rows).toHaveLength(1);
    const doc = rows[0]!.doc as Record<string, unknown>;
    expect(doc).toMatchObject({
      session_id: caseRow!.case_id,
      email,
      phone: '+33612345678',
      intent: 'DTV',
      visa_type: 'DTV',
      site_id: 'siam-visa-pro',
      audit: {
        status: 'VALID',
        confidence_score: 85,
        issues: ['Missing Bank Statement'],
        missing_docs: ['Proof of Address'],
        ready_for_payment: false,
      },
      summary: expect.objectContaining({
        executive_summary: 'Dossier solide, un justificatif manque',
        visa_score: 72,
      }),
    });
    expect(new Date(doc.completed_at as string).toISOString()).toBe('2026-03-01T12:00:00.000Z');

    // the legacy format's reader (the backfill) accepts it and finds the same two facts
    const parsed = parseSessionLine(JSON.stringify(doc));
    expect(parsed.kind).toBe('messages');
    if (parsed.kind !== 'messages') return;
    expect(parsed.messages.map((m) => [m.type, m.payload.confidence_score ?? m.payload.visa_score])).toEqual([
      ['AUDIT_COMPLETED', 85],
      ['CHAT_SUMMARIZED', 72],
    ]);
  });

  it('a call request alone writes no legacy session (the legacy collection never held one)', async () => {
    const email = `lead-${randomUUID()}@example.fr`;
    await ingestPartner(h, partnerMessage('CALL_REQUESTED', { email }));
    expect(await sessions(h, email)).toEqual([]);
  });
});

describe('dual write off (the default)', () => {
  const h = perFile(() => startClaims('claims_dual_write_off'));

  it('writes nothing to audit_sessions', async () => {
    const email = `lead-${randomUUID()}@example.fr`;
    await ingestPartner(h, partnerMessage('AUDIT_COMPLETED', { email }));
    expect(await h.casesOfLead(email)).toHaveLength(1);
    expect(await sessions(h, email)).toEqual([]);
  });
});

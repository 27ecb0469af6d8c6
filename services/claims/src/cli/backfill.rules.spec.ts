import { identityNotesOf, partnerEventId, validatePartnerMessage } from '@crm/events';
import { BACKFILL_SOURCE, formatDuration, formatProgress, parseSessionLine } from './backfill.rules';
import { parseArgs, partnerInboundSpec } from './backfill.cli';

const session = (overrides: Record<string, unknown> = {}) => ({
  session_id: 'sess-42',
  email: '  Jean.Dupont@Example.FR ',
  phone: '06 12 34 56 78',
  name: 'Jean Dupont',
  visa_type: 'DTV',
  site_id: 'siam-visa-pro',
  created_at: '2024-03-01T10:00:00Z',
  completed_at: '2024-03-01T10:40:00+02:00',
  audit: {
    status: 'VALID',
    confidence_score: 85,
    issues: ['Missing Bank Statement'],
    missing_docs: ['Proof of Address'],
    ready_for_payment: false,
  },
  summary: {
    executive_summary: 'Dossier solide',
    strengths: ['Revenus stables'],
    weaknesses: ['Justificatif de domicile'],
    action_plan: [{ step: 'Envoyer le justificatif', timing: 'J+2' }],
    visa_score: 72,
  },
  ...overrides,
});
const line = (overrides: Record<string, unknown> = {}) => JSON.stringify(session(overrides));

describe('parseSessionLine', () => {
  it('derives AUDIT_COMPLETED then CHAT_SUMMARIZED with deterministic source ids', () => {
    const result = parseSessionLine(line());
    expect(result).toEqual({
      kind: 'messages',
      key: 'jean.dupont@example.fr',
      messages: [
        {
          type: 'AUDIT_COMPLETED',
          timestamp: '2024-03-01T08:40:00.000Z',
          source: BACKFILL_SOURCE,
          source_id: 'sess-42:audit',
          email: 'jean.dupont@example.fr',
          // as exported: the partner decoder reads it (see below), in the source's region
          phone: '06 12 34 56 78',
          name: 'Jean Dupont',
          intent: 'DTV',
          site_id: 'siam-visa-pro',
          payload: {
            visa_type: 'DTV',
            audit_status: 'VALID',
            confidence_score: 85,
            issues: ['Missing Bank Statement'],
            missing_docs: ['Proof of Address'],
            ready_for_payment: false,
          },
        },
        expect.objectContaining({
          type: 'CHAT_SUMMARIZED',
          source_id: 'sess-42:summary',
          payload: session().summary,
        }),
      ],
    });
  });

  it('yields messages the live partner decoder accepts, keyed like the journal', () => {
    const result = parseSessionLine(line());
    if (result.kind !== 'messages') throw new Error(result.kind);
    for (const message of result.messages) {
      const envelope = validatePartnerMessage(message);
      expect(envelope.id).toBe(partnerEventId(BACKFILL_SOURCE, message.source_id));
      expect(envelope.subject).toBe(result.key);
      expect(envelope.data).toMatchObject({ phone: '+33612345678' });
    }
  });

  it('keeps a session whose phone is unreadable: the event is applied without it, with a note', () => {
    const result = parseSessionLine(line({ phone: '12' }));
    if (result.kind !== 'messages') throw new Error(result.kind);
    expect(result.messages).toHaveLength(2);
    const envelope = validatePartnerMessage(result.messages[0]);
    expect(envelope.data).not.toHaveProperty('phone');
    expect(identityNotesOf(envelope)).toEqual([
      { field: 'phone', code: 'PHONE.UNREADABLE', received: '12', region: 'FR' },
    ]);
  });

  it('is deterministic: the same line gives the same messages', () => {
    expect(parseSessionLine(line())).toEqual(parseSessionLine(line()));
  });

  it('derives only what the session has', () => {
    const auditOnly = parseSessionLine(line({ summary: null }));
    const summaryOnly = parseSessionLine(line({ audit: undefined }));
    const neither = parseSessionLine(line({ audit: null, summary: null }));
    expect(auditOnly.kind === 'messages' && auditOnly.messages.map((m) => m.type)).toEqual([
      'AUDIT_COMPLETED',
    ]);
    expect(summaryOnly.kind === 'messages' && summaryOnly.messages.map((m) => m.type)).toEqual([
      'CHAT_SUMMARIZED',
    ]);
    expect(neither).toEqual({ kind: 'messages', key: 'jean.dupont@example.fr', messages: [] });
  });

  it('dates a session never completed by its start, takes intent over visa_type, drops empty contacts', () => {
    const result = parseSessionLine(
      line({ completed_at: null, intent: 'RETIREMENT', visa_type: 'O-A', phone: '', name: ' ' }),
    );
    if (result.kind !== 'messages') throw new Error(result.kind);
    const [audit] = result.messages;
    expect(audit).toMatchObject({ timestamp: '2024-03-01T10:00:00.000Z', intent: 'RETIREMENT' });
    expect(audit?.payload.visa_type).toBe('O-A');
    expect(audit).not.toHaveProperty('phone');
    expect(audit).not.toHaveProperty('name');
  });

  it('fills the legacy lists an old record left out', () => {
    const result = parseSessionLine(
      line({ audit: { status: 'PENDING', confidence_score: 10 }, summary: null, unknown_field: 1 }),
    );
    if (result.kind !== 'messages') throw new Error(result.kind);
    expect(result.messages[0]?.payload).toEqual({
      visa_type: 'DTV',
      audit_status: 'PENDING',
      confidence_score: 10,
      issues: [],
      missing_docs: [],
      ready_for_payment: false,
    });
  });

  it('treats a blank line as nothing to do', () => {
    expect(parseSessionLine('   ')).toEqual({ kind: 'blank' });
  });

  it.each([
    ['not JSON', '{not json', 'BACKFILL.MALFORMED_LINE', /not JSON/],
    ['a JSON array', '[1,2]', 'BACKFILL.MALFORMED_LINE', /not a JSON object/],
    ['a bad e-mail', line({ email: 'nobody' }), 'BACKFILL.INVALID_LINE', /email/],
    ['no site_id', line({ site_id: undefined }), 'BACKFILL.INVALID_LINE', /site_id/],
    [
      'no intent nor visa_type',
      line({ visa_type: undefined }),
      'BACKFILL.INVALID_LINE',
      /intent or visa_type/,
    ],
    ['a bad created_at', line({ created_at: 'yesterday' }), 'BACKFILL.INVALID_LINE', /created_at/],
    [
      'an unknown audit status',
      line({ audit: { status: 'DONE', confidence_score: 50 } }),
      'BACKFILL.INVALID_LINE',
      /audit\.status/,
    ],
    [
      'a score above 100',
      line({ audit: { status: 'VALID', confidence_score: 150 } }),
      'BACKFILL.INVALID_LINE',
      /confidence_score/,
    ],
    ['a session_id too long', line({ session_id: 'x'.repeat(191) }), 'BACKFILL.INVALID_LINE', /session_id/],
  ])('rejects %s', (_label, input, code, message) => {
    const result = parseSessionLine(input);
    expect(result).toMatchObject({ kind: 'invalid', code });
    expect(result.kind === 'invalid' && result.message).toMatch(message);
  });
});

describe('formatProgress', () => {
  it('shows lines done / total, the rate of this run and the ETA', () => {
    expect(formatProgress({ done: 6000, total: 10_000, resumedFrom: 2000, elapsedMs: 2000 }, 10)).toBe(
      '[######----] 6000/10000 lines  60.0%  2000 lines/s  ETA 2s',
    );
  });

  it('has no ETA before any progress and none left at the end', () => {
    expect(formatProgress({ done: 0, total: 10, resumedFrom: 0, elapsedMs: 0 }, 4)).toMatch(/ETA \?$/);
    expect(formatProgress({ done: 10, total: 10, resumedFrom: 0, elapsedMs: 5 }, 4)).toMatch(
      /^\[####\] 10\/10 lines {2}100\.0% .*ETA 0s$/,
    );
  });

  it('formats durations', () => {
    expect([formatDuration(4_400), formatDuration(125_000), formatDuration(7_260_000)]).toEqual([
      '4s',
      '2m05s',
      '2h01m',
    ]);
  });
});

describe('backfill CLI arguments', () => {
  it('reads the file and options', () => {
    expect(parseArgs(['in.jsonl', '--restart', '--batch-size', '100', '--max-lines', '5'])).toEqual({
      file: 'in.jsonl',
      restart: true,
      batchSize: 100,
      maxLines: 5,
    });
  });

  it.each([
    [[], /missing/],
    [['a', 'b'], /one input file/],
    [['a', '--batch-size', '0'], /positive integer/],
    [['a', '--force'], /unknown option/],
  ])('refuses %j', (argv, message) => {
    expect(parseArgs(argv)).toMatch(message);
  });

  it('targets the catalog partner topic under the namespace', () => {
    expect(partnerInboundSpec('').name).toBe('crm.partner.inbound.v1');
    expect(partnerInboundSpec('staging.').name).toBe('staging.crm.partner.inbound.v1');
  });
});

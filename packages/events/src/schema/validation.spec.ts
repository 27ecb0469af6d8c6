import { claimOpenedFixture } from '../claim-opened.fixture';
import { newEvent, partnerEventId } from '../envelope';
import { EventError } from '../errors';
import { DATA_SCHEMAS, EVENT_TYPES, PERSONAL_DATA } from '../generated/schemas.generated';
import {
  compileEventSchemas,
  decodeEvent,
  PARTNER_MESSAGE_MAX_BYTES,
  validateEvent,
  validatePartnerMessage,
} from './validation';

const actor = { kind: 'system', id: 'claims' } as const;
const claimOpened = () => claimOpenedFixture();

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (err instanceof EventError) return err.code;
    throw err;
  }
  throw new Error('expected an EventError');
};

const partnerMessage = {
  type: 'CALL_REQUESTED',
  timestamp: '2026-11-20T10:00:00Z',
  source: 'WEB_CHAT',
  source_id: 'session-42',
  email: 'Marie.Dupont@Example.fr',
  intent: 'DTV',
  site_id: 'siam-visa-pro',
  payload: { reason: 'user_request', visa_type: 'DTV', user_stage: 'documents_review', notes: 'appel svp' },
};

describe('envelope validation', () => {
  it('accepts an event built by newEvent and fills the envelope', () => {
    const event = claimOpened();
    expect(validateEvent(event)).toBe(event);
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
    // the latest version of the type (ClaimOpened v2 adds the declared third party)
    expect(event.version).toBe(2);
    expect(event.correlationId).toBe(event.id);
    expect(event.causationId).toBeNull();
  });

  it('rejects bad data with EVENT.INVALID_SCHEMA, unknown types with EVENT.UNKNOWN_TYPE (not retriable)', () => {
    const bad = { ...claimOpened(), data: { claimId: 'c-1' } };
    expect(codeOf(() => validateEvent(bad))).toBe('EVENT.INVALID_SCHEMA');
    expect(codeOf(() => validateEvent({ ...claimOpened(), type: 'ClaimExploded' }))).toBe(
      'EVENT.UNKNOWN_TYPE',
    );
    expect(codeOf(() => validateEvent({ ...claimOpened(), version: 9 }))).toBe('EVENT.UNKNOWN_TYPE');
    expect(codeOf(() => validateEvent({ ...claimOpened(), subject: '' }))).toBe('EVENT.INVALID_SCHEMA');
    try {
      validateEvent(bad);
    } catch (err) {
      expect((err as EventError).retriable).toBe(false);
      expect((err as EventError).message).toMatch(/must have required property 'claimNumber'/);
    }
  });

  it('decodes bytes and calls non-JSON EVENT.MALFORMED', () => {
    const event = claimOpened();
    expect(decodeEvent(Buffer.from(JSON.stringify(event)))).toEqual(event);
    expect(codeOf(() => decodeEvent(Buffer.from('{not json')))).toBe('EVENT.MALFORMED');
    expect(codeOf(() => decodeEvent(null))).toBe('EVENT.MALFORMED');
  });

  it('compiles every schema under strict mode: the envelope, the partner message, each data clear and sealed', () => {
    // the validators are compiled on first use: a schema ajv refuses must fail here, not at a
    // consumer's first event of its type
    const personal = DATA_SCHEMAS.filter((s) => PERSONAL_DATA[`${s.type}.v${s.version}`]).length;
    expect(personal).toBeGreaterThan(0);
    expect(compileEventSchemas()).toBe(2 + DATA_SCHEMAS.length + personal);
    // compiled once: a second call compiles nothing again (ajv refuses a second schema of one $id)
    expect(compileEventSchemas()).toBe(2 + DATA_SCHEMAS.length + personal);
  });

  it('has a schema, a data type and a version for every event type', () => {
    expect(new Set(DATA_SCHEMAS.map((s) => s.type))).toEqual(new Set(EVENT_TYPES));
    expect(EVENT_TYPES).toEqual(
      expect.arrayContaining(['ClaimOpened', 'AUDIT_COMPLETED', 'AdvisorStatusChanged']),
    );
  });
});

describe('versions', () => {
  const started = (data: Record<string, unknown>, version: number) => ({
    ...newEvent(
      'EscalationStarted',
      { escalationId: ESC, advisorId: ADVISOR, startedAt: '2026-11-21T10:00:00.000Z' },
      { source: 'escalation', subject: ESC, actor },
    ),
    version,
    data: { escalationId: ESC, advisorId: ADVISOR, startedAt: '2026-11-21T10:00:00.000Z', ...data },
  });
  const ESC = '0b6f4e4e-8f2a-4c57-9a43-5a1f0d0c9e11';
  const ADVISOR = '5d2c7a90-1b3e-4f6a-8c9d-0e1f2a3b4c5d';
  const OTHER = '7a1c2e3f-4b5d-4e6f-8a9b-0c1d2e3f4a5b';

  it('producers build the latest version; a consumer still validates an older one', () => {
    expect(started({}, 2).version).toBe(2);
    expect(
      newEvent(
        'EscalationStarted',
        { escalationId: ESC, advisorId: ADVISOR, startedAt: '2026-11-21T10:00:00.000Z' },
        {
          source: 'escalation',
          subject: ESC,
          actor,
        },
      ).version,
    ).toBe(3);
    expect(() => validateEvent(started({ claimId: OTHER }, 1))).not.toThrow();
    // v1 requires the claim
    expect(codeOf(() => validateEvent(started({ caseId: OTHER }, 1)))).toBe('EVENT.INVALID_SCHEMA');
  });

  it('an escalation event v2 names exactly one of its claim and its case', () => {
    expect(() => validateEvent(started({ claimId: OTHER }, 2))).not.toThrow();
    expect(() => validateEvent(started({ caseId: OTHER }, 2))).not.toThrow();
    expect(codeOf(() => validateEvent(started({}, 2)))).toBe('EVENT.INVALID_SCHEMA');
    expect(codeOf(() => validateEvent(started({ claimId: OTHER, caseId: OTHER }, 2)))).toBe(
      'EVENT.INVALID_SCHEMA',
    );
  });

  it('an escalation event v3 may be about a conversation, never about a claim and a case', () => {
    for (const about of [
      { claimId: OTHER },
      { caseId: OTHER },
      { conversationId: OTHER },
      { claimId: OTHER, conversationId: ESC },
    ])
      expect(() => validateEvent(started(about, 3))).not.toThrow();
    expect(codeOf(() => validateEvent(started({}, 3)))).toBe('EVENT.INVALID_SCHEMA');
    expect(codeOf(() => validateEvent(started({ claimId: OTHER, caseId: OTHER }, 3)))).toBe(
      'EVENT.INVALID_SCHEMA',
    );
    // v2 knew no conversation
    expect(codeOf(() => validateEvent(started({ conversationId: OTHER }, 2)))).toBe('EVENT.INVALID_SCHEMA');
  });
});

describe('partner events (seed 2)', () => {
  it('get sha256(source + source_id) as their id', () => {
    // sha256("WEB_CHATsession-42"), computed independently with `printf %s WEB_CHATsession-42 | sha256sum`
    expect(partnerEventId('WEB_CHAT', 'session-42')).toBe(
      'ff048af7fe57626cf8690fb48e7610d705ac8a7306bf76e72326423441b81c06',
    );
  });

  it('are turned from the partner format into a validated envelope keyed by the lower-case e-mail', () => {
    const event = validatePartnerMessage(partnerMessage);
    expect(event).toMatchObject({
      id: partnerEventId('WEB_CHAT', 'session-42'),
      type: 'CALL_REQUESTED',
      source: 'WEB_CHAT',
      subject: 'marie.dupont@example.fr',
      actor: { kind: 'partner', id: 'WEB_CHAT' },
      occurredAt: '2026-11-20T10:00:00.000Z',
      data: {
        source_id: 'session-42',
        intent: 'DTV',
        site_id: 'siam-visa-pro',
        payload: partnerMessage.payload,
      },
    });
  });

  it('read a type in any case and a timestamp written otherwise as the same value', () => {
    const at = (timestamp: unknown, options = {}) =>
      validatePartnerMessage({ ...partnerMessage, timestamp }, options).occurredAt;
    expect(validatePartnerMessage({ ...partnerMessage, type: ' call_requested ' }).type).toBe(
      'CALL_REQUESTED',
    );
    // no offset: the source's wall clock, Europe/Paris by default (UTC+1 in winter, +2 in summer)
    expect(at('2026-12-08 04:30:00')).toBe('2026-12-08T03:30:00.000Z');
    expect(at('2026-07-01T10:00')).toBe('2026-07-01T08:00:00.000Z');
    expect(at('2026-12-08T04:30:00.25')).toBe('2026-12-08T03:30:00.250Z');
    expect(at('2026-12-08 04:30:00', { timeZone: () => 'America/Guadeloupe' })).toBe(
      '2026-12-08T08:30:00.000Z',
    );
    // epoch milliseconds, or seconds
    expect(at(1796700000000)).toBe('2026-12-08T03:20:00.000Z');
    expect(at(1796700000)).toBe('2026-12-08T03:20:00.000Z');
    // an instant with its offset is kept as sent (its data keeps the partner's writing)
    expect(at('2026-12-08T04:30:00+01:00')).toBe('2026-12-08T03:30:00.000Z');
    // what is no time stays refused, with its code
    for (const bad of ['08/12/2026 04:30', '2026-02-30 10:00', '2026-12-08 25:00', -5, 'demain'])
      expect(codeOf(() => at(bad))).toBe('EVENT.INVALID_SCHEMA');
    // the source names the partner's key and the event's id: never rewritten
    expect(validatePartnerMessage({ ...partnerMessage, source: 'web_chat' }).id).toBe(
      partnerEventId('web_chat', 'session-42'),
    );
  });

  it('reject a payload that does not match its type', () => {
    expect(codeOf(() => validatePartnerMessage({ ...partnerMessage, payload: { reason: 'x' } }))).toBe(
      'EVENT.INVALID_SCHEMA',
    );
    expect(codeOf(() => validatePartnerMessage({ ...partnerMessage, type: 'NEWSLETTER' }))).toBe(
      'EVENT.INVALID_SCHEMA',
    );
    // no usable e-mail: no person to attach the event to (partner.spec.ts has the identity rules)
    expect(codeOf(() => decodeEvent(JSON.stringify({ ...partnerMessage, email: 'nope' }), 'partner'))).toBe(
      'EVENT.NO_IDENTITY',
    );
  });

  describe('bounds: one message cannot store megabytes in a case journal', () => {
    const withPayload = (payload: Record<string, unknown>) => ({ ...partnerMessage, payload });
    const payload = partnerMessage.payload;

    it('refuses a message over PARTNER_MESSAGE_MAX_BYTES before reading it (EVENT.TOO_LARGE), from bytes and from text', () => {
      const padded = JSON.stringify({ ...partnerMessage, pad: 'x'.repeat(PARTNER_MESSAGE_MAX_BYTES) });
      expect(codeOf(() => decodeEvent(padded, 'partner'))).toBe('EVENT.TOO_LARGE');
      expect(codeOf(() => decodeEvent(Buffer.from(padded), 'partner'))).toBe('EVENT.TOO_LARGE');
      // bytes, not characters: 100,000 'é' are 200,000 bytes
      const notes = 'é'.repeat(140_000);
      expect(codeOf(() => decodeEvent(JSON.stringify(withPayload({ ...payload, notes })), 'partner'))).toBe(
        'EVENT.TOO_LARGE',
      );
      // just under the bound, the message is read (and here refused for its schema, not its size)
      const under = JSON.stringify(withPayload({ ...payload, notes: 'x'.repeat(200_000) }));
      expect(Buffer.byteLength(under)).toBeLessThan(PARTNER_MESSAGE_MAX_BYTES);
      expect(codeOf(() => decodeEvent(under, 'partner'))).toBe('EVENT.INVALID_SCHEMA');
    });

    it('bounds each string and list of every partner type, and accepts them at their bound', () => {
      const tooLong: [string, Record<string, unknown>][] = [
        ['CALL_REQUESTED', { ...payload, notes: 'n'.repeat(10_001) }],
        ['CALL_REQUESTED', { ...payload, transcript: 't'.repeat(60_001) }],
        ['CALL_REQUESTED', { ...payload, reason: 'r'.repeat(1_001) }],
      ];
      for (const [type, p] of tooLong) {
        expect(codeOf(() => validatePartnerMessage({ ...withPayload(p), type }))).toBe(
          'EVENT.INVALID_SCHEMA',
        );
      }
      expect(() =>
        validatePartnerMessage(withPayload({ ...payload, notes: 'n'.repeat(10_000) })),
      ).not.toThrow();
      const audit = {
        visa_type: 'DTV',
        audit_status: 'VALID',
        confidence_score: 80,
        issues: Array.from({ length: 50 }, (_, i) => `point ${i}`),
        missing_docs: [],
        ready_for_payment: false,
      };
      expect(() => validatePartnerMessage({ ...withPayload(audit), type: 'AUDIT_COMPLETED' })).not.toThrow();
      expect(
        codeOf(() =>
          validatePartnerMessage({
            ...withPayload({ ...audit, issues: [...audit.issues, 'un de trop'] }),
            type: 'AUDIT_COMPLETED',
          }),
        ),
      ).toBe('EVENT.INVALID_SCHEMA');
      const summarized = {
        executive_summary: 'Dossier solide',
        strengths: [],
        weaknesses: [],
        action_plan: [{ step: 's'.repeat(1_001), timing: 'J+2' }],
        visa_score: 70,
      };
      expect(
        codeOf(() => validatePartnerMessage({ ...withPayload(summarized), type: 'CHAT_SUMMARIZED' })),
      ).toBe('EVENT.INVALID_SCHEMA');
    });

    it('bounds the free-form summary by its entries and its size as JSON, and says so', () => {
      const big = { notes: 'x'.repeat(17_000) };
      let message = '';
      try {
        validatePartnerMessage({ ...partnerMessage, summary: big });
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(/^EVENT\.INVALID_SCHEMA: .*\/summary must be at most 16384 bytes as JSON/);
      const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i]));
      expect(codeOf(() => validatePartnerMessage({ ...partnerMessage, summary: many }))).toBe(
        'EVENT.INVALID_SCHEMA',
      );
      const fine = { texte: 'synthèse', points: ['a', 'b'], plan: [{ step: 'appeler', timing: 'J+1' }] };
      expect(validatePartnerMessage({ ...partnerMessage, summary: fine }).data).toMatchObject({
        summary: fine,
      });
    });
  });
});

import { createHash } from 'node:crypto';
import { identityNotesOf } from './partner';
import { decodeEvent, validatePartnerMessage } from './schema/validation';

// What real partners send: the identity as people type it (issue 12).
const message = (identity: Record<string, unknown>) => ({
  type: 'CALL_REQUESTED',
  timestamp: '2026-11-20T10:00:00Z',
  source: 'WEB_CHAT',
  source_id: `session-${createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 16)}`,
  intent: 'DTV',
  site_id: 'siam-visa-pro',
  payload: { reason: 'user_request', visa_type: 'DTV', user_stage: 'documents_review', notes: '' },
  email: 'marie@example.fr',
  ...identity,
});

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code;
  }
};

describe('the identity of a partner message is normalized before it is validated', () => {
  it('trims and lower-cases the e-mail, which is also the subject (the lead key)', () => {
    const event = validatePartnerMessage(message({ email: '  Marie.Curie@Exemple.FR ' }));
    expect(event.subject).toBe('marie.curie@exemple.fr');
    expect(event.data).toMatchObject({ email: 'marie.curie@exemple.fr' });
  });

  it.each([
    ['06 12 34 56 78', '+33612345678'],
    ['+33 6 12 34 56 78', '+33612345678'],
    ['06.12.34.56.78', '+33612345678'],
    ['06-12-34-56-78', '+33612345678'],
    ['0033 6 12 34 56 78', '+33612345678'],
    ['+33612345678', '+33612345678'],
  ])('reads the phone %j as %s', (phone, e164) => {
    const event = validatePartnerMessage(message({ phone }));
    expect(event.data).toMatchObject({ phone: e164 });
    expect(identityNotesOf(event)).toEqual([]);
  });

  it('normalizes the name, and leaves a blank one out', () => {
    expect(validatePartnerMessage(message({ name: '  jean-pierre   DUPONT ' })).data).toMatchObject({
      name: 'Jean-Pierre Dupont',
    });
    expect(validatePartnerMessage(message({ name: '   ' })).data).not.toHaveProperty('name');
  });

  it('applies the event without a phone it cannot read, and says so in identity_notes', () => {
    const event = validatePartnerMessage(message({ phone: '06 12 34' }));
    expect(event.data).not.toHaveProperty('phone');
    expect(identityNotesOf(event)).toEqual([
      { field: 'phone', code: 'PHONE.UNREADABLE', received: '06 12 34', region: 'FR' },
    ]);
    const long = validatePartnerMessage(message({ phone: `call me on ${'9'.repeat(900)}` }));
    expect(identityNotesOf(long)[0]!.received).toHaveLength(100);
  });

  it('leaves out an empty phone without a note', () => {
    const event = validatePartnerMessage(message({ phone: '  ' }));
    expect(event.data).not.toHaveProperty('phone');
    expect(identityNotesOf(event)).toEqual([]);
  });

  it("reads a national number in the source's region", () => {
    const options = { phoneRegion: (source: string) => (source === 'WEB_CHAT' ? 'TH' : 'FR') };
    expect(validatePartnerMessage(message({ phone: '081 234 5678' }), options).data).toMatchObject({
      phone: '+66812345678',
    });
    expect(validatePartnerMessage(message({ phone: '081 234 5678' })).data).toMatchObject({
      phone: '+33812345678',
    });
    // an international number is the same whatever the region
    expect(validatePartnerMessage(message({ phone: '+33 6 12 34 56 78' }), options).data).toMatchObject({
      phone: '+33612345678',
    });
  });

  it('refuses only what cannot be a person: no usable e-mail (EVENT.NO_IDENTITY)', () => {
    for (const email of ['', '   ', 'not an address', 'marie@', `${'a'.repeat(300)}@example.com`]) {
      expect(codeOf(() => validatePartnerMessage(message({ email })))).toBe('EVENT.NO_IDENTITY');
    }
    // still a shape error when the e-mail is missing altogether
    const { email: _omitted, ...noEmail } = message({});
    expect(codeOf(() => decodeEvent(JSON.stringify(noEmail), 'partner'))).toBe('EVENT.INVALID_SCHEMA');
  });

  it('has no notes on our own events', () => {
    expect(identityNotesOf({ data: { claimId: 'x' } })).toEqual([]);
  });
});

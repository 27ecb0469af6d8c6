import fc from 'fast-check';
import { ValidationError } from '@crm/subgraph';
import {
  CASES_PER_EVENT,
  caseChunks,
  mergeLead,
  normalizeLeadTouch,
  type LeadState,
  type LeadTouch,
} from './lead.rules';

const t = (iso: string) => new Date(iso);

describe('normalizeLeadTouch', () => {
  it('lower-cases the e-mail, gives the phone in E.164 and capitalizes the name', () => {
    expect(
      normalizeLeadTouch({
        email: ' Jean.Dupont@Example.COM ',
        phone: '0033 6 12 34 56 78',
        name: '  jean-pierre   DUPONT ',
        source: ' AUDIT_IA ',
        at: t('2026-03-01T10:00:00Z'),
      }),
    ).toEqual({
      email: 'jean.dupont@example.com',
      phone: '+33612345678',
      name: 'Jean-Pierre Dupont',
      source: 'AUDIT_IA',
      at: t('2026-03-01T10:00:00Z'),
    });
  });

  it('treats blank phone and name as absent', () => {
    expect(
      normalizeLeadTouch({
        email: 'a@b.fr',
        phone: '  ',
        name: ' ',
        source: 'X',
        at: t('2026-03-01T10:00:00Z'),
      }),
    ).toMatchObject({ phone: null, name: null });
  });

  it('reports every problem at once with VALIDATION.FAILED', () => {
    try {
      normalizeLeadTouch({
        email: 'nope',
        phone: 'abc',
        name: 'x'.repeat(201),
        source: '',
        at: new Date('x'),
      });
      throw new Error('expected a ValidationError');
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).code).toBe('VALIDATION.FAILED');
      expect((err as ValidationError).problems.map((p) => p.field)).toEqual([
        'email',
        'phone',
        'name',
        'source',
        'at',
      ]);
    }
  });
});

const touch = (at: string, fields: Partial<LeadTouch> = {}): LeadTouch => ({
  email: 'lead@example.com',
  phone: null,
  name: null,
  source: 'WEB_CHAT',
  at: t(at),
  ...fields,
});

describe('mergeLead', () => {
  it('creates a lead from a first touch', () => {
    expect(mergeLead(null, touch('2026-03-01T10:00:00Z', { name: 'Ana', source: 'AUDIT_IA' }))).toEqual({
      next: {
        email: 'lead@example.com',
        phone: null,
        name: 'Ana',
        source: 'AUDIT_IA',
        createdAt: t('2026-03-01T10:00:00Z'),
        updatedAt: t('2026-03-01T10:00:00Z'),
        phoneAt: null,
        nameAt: t('2026-03-01T10:00:00Z'),
      },
      created: true,
      changed: true,
    });
  });

  const existing: LeadState = {
    email: 'lead@example.com',
    phone: '+33612345678',
    name: 'Ana',
    source: 'AUDIT_IA',
    createdAt: t('2026-03-05T00:00:00Z'),
    updatedAt: t('2026-03-10T00:00:00Z'),
    phoneAt: t('2026-03-10T00:00:00Z'),
    nameAt: t('2026-03-05T00:00:00Z'),
  };

  it('lets a newer touch overwrite what it carries and move updated_at forward', () => {
    const { next, changed } = mergeLead(existing, touch('2026-03-12T00:00:00Z', { phone: '+33700000000' }));
    expect(changed).toBe(true);
    expect(next).toEqual({
      ...existing,
      phone: '+33700000000',
      phoneAt: t('2026-03-12T00:00:00Z'),
      updatedAt: t('2026-03-12T00:00:00Z'),
    });
  });

  it('never rolls updated_at back: an older touch only sets what no later touch gave', () => {
    const blankName = { ...existing, name: null, nameAt: null };
    const { next } = mergeLead(
      blankName,
      touch('2026-03-07T00:00:00Z', { name: 'Older', phone: '+33700000000' }),
    );
    expect(next).toEqual({ ...blankName, name: 'Older', nameAt: t('2026-03-07T00:00:00Z') });
    // the name was given on 03-05: a touch of 03-07 arriving late still replaces it
    const { next: renamed } = mergeLead(existing, touch('2026-03-07T00:00:00Z', { name: 'Ana Maria' }));
    expect(renamed).toEqual({ ...existing, name: 'Ana Maria', nameAt: t('2026-03-07T00:00:00Z') });
  });

  it('a touch without a phone or name erases nothing', () => {
    expect(mergeLead(existing, touch('2026-03-12T00:00:00Z')).next).toMatchObject({
      phone: existing.phone,
      name: existing.name,
      updatedAt: t('2026-03-12T00:00:00Z'),
    });
  });

  it('keeps a hand-written value without its instant unless a later touch replaces it', () => {
    const legacy = { ...existing, phoneAt: null, nameAt: null };
    expect(mergeLead(legacy, touch('2026-03-01T00:00:00Z', { phone: '+33700000000' })).next.phone).toBe(
      existing.phone,
    );
    expect(mergeLead(legacy, touch('2026-03-06T00:00:00Z', { phone: '+33700000000' })).next.phone).toBe(
      '+33700000000',
    );
  });

  it('moves created_at and the first source back for a touch older than the first one', () => {
    const { next } = mergeLead(existing, touch('2026-03-01T00:00:00Z', { source: 'CALENDLY' }));
    expect(next).toEqual({ ...existing, source: 'CALENDLY', createdAt: t('2026-03-01T00:00:00Z') });
  });

  it('reports no change for a replay', () => {
    const first = mergeLead(existing, touch('2026-03-12T00:00:00Z', { name: 'Ana B' })).next;
    expect(mergeLead(first, touch('2026-03-12T00:00:00Z', { name: 'Ana B' }))).toMatchObject({
      changed: false,
      created: false,
      next: first,
    });
  });

  // few distinct instants, so that ties (equal instants, different values) are frequent
  const touches = fc.array(
    fc.record({
      email: fc.constant('lead@example.com'),
      phone: fc.option(fc.constantFrom('+33611111111', '+33622222222', '+33633333333'), { nil: null }),
      name: fc.option(fc.constantFrom('Ana', 'Bea', 'Cid'), { nil: null }),
      source: fc.constantFrom('AUDIT_IA', 'WEB_CHAT', 'CALENDLY'),
      at: fc.integer({ min: 0, max: 6 }).map((hour) => new Date(Date.UTC(2026, 0, 1, hour))),
    }),
    { minLength: 1, maxLength: 8 },
  );
  const fold = (list: LeadTouch[]) =>
    list.reduce<LeadState | null>((lead, next) => mergeLead(lead, next).next, null);

  it('gives the same lead whatever the order the touches arrive in, and replays change nothing', () => {
    fc.assert(
      fc.property(touches, fc.func(fc.integer()), (list, order) => {
        const keyed = list.map((touch, i) => ({ touch, key: order(i) }));
        const shuffled = keyed.sort((a, b) => a.key - b.key).map((k) => k.touch);
        const expected = fold(list)!;
        expect(fold(shuffled)).toEqual(expected);
        for (const again of list) expect(mergeLead(expected, again).changed).toBe(false);
        const times = list.map((x) => x.at.getTime());
        expect(expected.updatedAt.getTime()).toBe(Math.max(...times));
        expect(expected.createdAt.getTime()).toBe(Math.min(...times));
        const firsts = list.filter((x) => x.at.getTime() === Math.min(...times)).map((x) => x.source);
        expect(expected.source).toBe([...firsts].sort()[0]);
        const phones = list.filter((x) => x.phone !== null);
        if (phones.length === 0) expect(expected.phone).toBeNull();
        else {
          const last = Math.max(...phones.map((x) => x.at.getTime()));
          const candidates = phones.filter((x) => x.at.getTime() === last).map((x) => x.phone!);
          expect(expected.phone).toBe([...candidates].sort().at(-1));
        }
      }),
    );
  });
});

describe('caseChunks', () => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `case-${String(i).padStart(4, '0')}`);

  it('gives one empty chunk for a lead without cases: the erasure is still told', () => {
    expect(caseChunks([])).toEqual([[]]);
  });

  it('keeps up to CASES_PER_EVENT ids in one chunk, in order', () => {
    expect(caseChunks(['b', 'a'])).toEqual([['b', 'a']]);
    expect(caseChunks(ids(CASES_PER_EVENT))).toEqual([ids(CASES_PER_EVENT)]);
  });

  it('splits more ids into full chunks and a last partial one, losing none', () => {
    const all = ids(2 * CASES_PER_EVENT + 1);
    const chunks = caseChunks(all);
    expect(chunks.map((c) => c.length)).toEqual([CASES_PER_EVENT, CASES_PER_EVENT, 1]);
    expect(chunks.flat()).toEqual(all);
  });
});

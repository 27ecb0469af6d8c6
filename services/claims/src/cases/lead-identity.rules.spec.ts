import { normalizeLead } from './lead-identity.rules';

describe('the lead of a partner message (seed 2, leads)', () => {
  it('normalises a whole lead', () => {
    expect(normalizeLead({ email: ' A@B.FR ', phone: '06 12 34 56 78', name: 'a b' })).toEqual({
      email: 'a@b.fr',
      phone: '+33612345678',
      name: 'A B',
    });
    expect(normalizeLead({ email: 'a@b.fr' })).toEqual({ email: 'a@b.fr', phone: null, name: null });
  });

  it('keeps an unreadable phone or empty name out rather than storing a wrong value', () => {
    expect(normalizeLead({ email: 'a@b.fr', phone: 'call me', name: '   ' })).toEqual({
      email: 'a@b.fr',
      phone: null,
      name: null,
    });
  });

  it('has no lead when the e-mail cannot be a key', () => {
    expect(normalizeLead({ email: 'not an address' })).toBeNull();
    expect(normalizeLead({ email: `${'a'.repeat(300)}@example.com` })).toBeNull();
  });
});

import { normalizeEmail, normalizeLead, normalizeName, normalizePhone } from './lead-identity.rules';

describe('lead identity normalisation (seed 2, leads)', () => {
  it('trims and lower-cases the e-mail', () => {
    expect(normalizeEmail('  Jean.Dupont@Example.FR \n')).toBe('jean.dupont@example.fr');
  });

  it.each([
    ['+33612345678', '+33612345678'],
    ['+33 6 12 34 56 78', '+33612345678'],
    ['06 12 34 56 78', '+33612345678'],
    ['06.12.34.56.78', '+33612345678'],
    ['0033 6 12 34 56 78', '+33612345678'],
    ['+33 (0)6 12 34 56 78', '+33612345678'],
    ['+66 81 234 5678', '+66812345678'],
  ])('puts %s in E.164 (%s)', (raw, expected) => {
    expect(normalizePhone(raw)).toBe(expected);
  });

  it.each([
    ['12345'],
    ['6 12 34 56 78'],
    ['+0612345678'],
    ['+33 6 12'],
    ['call me'],
    ['   '],
    ['+1234567890123456'],
  ])('refuses %s (null, never a wrong number)', (raw) => {
    expect(normalizePhone(raw)).toBeNull();
  });

  it('leaves an absent phone absent', () => {
    expect(normalizePhone(undefined)).toBeNull();
    expect(normalizePhone(null)).toBeNull();
  });

  it.each([
    ['  jean-pierre   DUPONT ', 'Jean-Pierre Dupont'],
    ["anne d'arc", "Anne D'Arc"],
    ['ÉLODIE müller', 'Élodie Müller'],
    ['marie\tclaire', 'Marie Claire'],
  ])('normalises the name %s -> %s', (raw, expected) => {
    expect(normalizeName(raw)).toBe(expected);
  });

  it('composes decomposed accents (NFC) so the same name compares equal', () => {
    expect(normalizeName('e\u0301lise')).toBe('\u00c9lise');
  });

  it('turns an empty name into null', () => {
    expect(normalizeName('   ')).toBeNull();
  });

  it('normalises a whole lead', () => {
    expect(normalizeLead({ email: ' A@B.FR ', phone: '06 12 34 56 78', name: 'a b' })).toEqual({
      email: 'a@b.fr',
      phone: '+33612345678',
      name: 'A B',
    });
    expect(normalizeLead({ email: 'a@b.fr' })).toEqual({ email: 'a@b.fr', phone: null, name: null });
  });
});

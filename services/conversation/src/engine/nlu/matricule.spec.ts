import { parseMatricule } from './matricule';

describe('parseMatricule', () => {
  it.each([
    ['AB-123-CD', 'AB-123-CD'],
    ['ab123cd', 'AB-123-CD'],
    ['a b 1 2 3 c d', 'AB-123-CD'],
    ['AB tiret 123 tiret CD', 'AB-123-CD'],
    ['a bé trait d’union cent vingt-trois cé dé', 'AB-123-CD'],
    ['mon matricule c’est le xy 4 5 6 za', 'XY-456-ZA'],
    ['Z comme Zoé, A comme Anatole, zéro un zéro, B comme Berthe, E comme Eugène', 'ZA-010-BE'],
    ['c’est QU - quatre-vingt-dix-neuf... non pardon, QU 099 RS', 'QU-099-RS'],
    ['m n zéro quarante-cinq p q', 'MN-045-PQ'],
    // "et" is a word people put between the parts, and also the letters E and T
    ['ZZ-119-ET', 'ZZ-119-ET'],
    ['et 123 ab', 'ET-123-AB'],
    ['a b 1 2 3 c et d', 'AB-123-CD'],
    ['AB tiret 123 et tiret ET', 'AB-123-ET'],
    // "un" is a number and the letters U and N
    ['ZZ-119-UN', 'ZZ-119-UN'],
    ['un cent un b c', 'UN-101-BC'],
  ])('reads %p', (text, expected) => {
    expect(parseMatricule(text)).toBe(expected);
  });

  it('reads every pair of letters in either place', () => {
    const pairs = Array.from({ length: 26 * 26 }, (_, n) =>
      String.fromCharCode(65 + Math.floor(n / 26), 65 + (n % 26)),
    );
    const misread = pairs
      .flatMap((p) => [`ZZ-119-${p}`, `${p}-119-ZZ`, `${p}-119-${p}`])
      .filter((m) => parseMatricule(m) !== m);
    expect(misread).toEqual([]);
  });

  it.each(['bonjour', 'AB-12-CD', 'j’ai eu un accident hier à 14h30', '123-AB-456'])(
    'finds none in %p',
    (text) => {
      expect(parseMatricule(text)).toBeNull();
    },
  );
});

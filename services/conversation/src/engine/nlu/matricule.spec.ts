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
  ])('reads %p', (text, expected) => {
    expect(parseMatricule(text)).toBe(expected);
  });

  it.each(['bonjour', 'AB-12-CD', 'j’ai eu un accident hier à 14h30', '123-AB-456'])(
    'finds none in %p',
    (text) => {
      expect(parseMatricule(text)).toBeNull();
    },
  );
});

import { parseClaimType } from './claim-type';

describe('parseClaimType', () => {
  it.each([
    ["J'étais arrêté au feu rouge, une voiture m'a percuté par l'arrière", 'collision'],
    ['un automobiliste a accroché mon rétroviseur, et j’ai mal au cou', 'collision'],
    ['on a cambriolé mon appartement', 'vol'],
    ['vitre cassée mais rien n’a été volé', 'degats'],
    ['ma voiture a pris feu', 'incendie'],
    ['accident avec un camion sur la nationale', 'collision'],
    ['une fuite d’eau a traversé le plafond', 'degats'],
    ['je suis tombé dans l’escalier, j’ai une entorse', 'blessure'],
    ['je me suis brûlé la main en cuisinant', 'blessure'],
  ])('classifies %p', (text, expected) => {
    expect(parseClaimType(text)).toBe(expected);
  });

  it.each(['bonjour', 'ma voiture', 'je voudrais des informations'])('does not guess from %p', (text) => {
    expect(parseClaimType(text)).toBeNull();
  });
});

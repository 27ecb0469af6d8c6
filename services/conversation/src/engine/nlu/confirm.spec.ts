import { isUnsure, parseConfirmation } from './confirm';

describe('parseConfirmation', () => {
  it.each([
    'Oui, c’est moi.',
    'ouais',
    'tout à fait',
    'Exactement.',
    'oui oui',
    'pas de souci',
    'bah oui',
    'c’est bien ça',
    'je confirme',
    "oui mais ce n'est pas moi qui conduisais",
  ])('reads %p as yes', (text) => {
    expect(parseConfirmation(text)).toBe('yes');
  });

  it.each([
    'non',
    'non c’est pas moi',
    'c’est mon mari',
    'pas du tout',
    'absolument pas',
    'Ce n’est pas moi, c’est ma femme',
    'vous vous trompez',
    'oui enfin non',
  ])('reads %p as no', (text) => {
    expect(parseConfirmation(text)).toBe('no');
  });

  it.each(['je ne sais pas', 'euh', '', 'il pleut'])('reads %p as neither', (text) => {
    expect(parseConfirmation(text)).toBeNull();
  });

  it('tells "I do not know" apart', () => {
    expect(isUnsure('aucune idée')).toBe(true);
    expect(isUnsure('oui')).toBe(false);
  });
});

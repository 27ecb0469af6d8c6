import { mayHoldPin, parsePin } from './pin';

describe('parsePin', () => {
  it.each([
    ['4709', '4709'],
    ['47 09', '4709'],
    ['47-09', '4709'],
    ['mon code c’est le 1 9 7 3 5', '19735'],
    ['４７０９', '4709'],
    ['quatre sept zéro neuf', '4709'],
    ['douze trente-quatre', '1234'],
    ['un code : deux trois quatre cinq', '2345'],
    ['zéro zéro sept un', '0071'],
    ['123456', '123456'],
  ])('reads %p', (text, pin) => {
    expect(parsePin(text)).toEqual({ kind: 'pin', pin });
  });

  it.each(["je n'en ai pas", 'je n’ai pas de code', 'non', "j'ai oublié mon code", 'je ne sais pas'])(
    'hears that there is none in %p',
    (text) => {
      expect(parsePin(text)).toEqual({ kind: 'none' });
    },
  );

  it.each(['123', '1234567', 'AB-123-CD', 'euh attendez', 'bonjour', 'trois deux un'])(
    'finds no code in %p',
    (text) => {
      expect(parsePin(text)).toBeNull();
    },
  );

  it('masks any answer holding a digit or a number word, and only those', () => {
    for (const text of ['4709', 'c’est 12', 'quatre sept', 'euh un']) expect(mayHoldPin(text)).toBe(true);
    for (const text of ["je n'en ai pas", 'pas de code', 'bonjour']) expect(mayHoldPin(text)).toBe(false);
  });
});

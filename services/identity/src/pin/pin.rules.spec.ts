import { normalizePin, weakPinReason } from './pin.rules';

describe('personal code rules', () => {
  it.each([
    ['4709', '4709'],
    [' 47 09 ', '4709'],
    ['47.09', '4709'],
    ['47-09-1', '47091'],
    ['４７０９', '4709'],
    ['470915', '470915'],
  ])('reads %p as %p', (raw, pin) => {
    expect(normalizePin(raw)).toBe(pin);
  });

  it.each(['123', '1234567', '12a4', '', 'abcd', '47 0x'])('refuses %p', (raw) => {
    expect(normalizePin(raw)).toBeNull();
  });

  it.each(['0000', '999999', '1234', '456789', '9876', '3210', '1212', '123123', '2580'])(
    'refuses the guessable %p',
    (pin) => {
      expect(weakPinReason(pin, null)).not.toBeNull();
    },
  );

  it('refuses the birth date in its usual forms', () => {
    for (const pin of ['1503', '0315', '1985', '150385', '850315'])
      expect(weakPinReason(pin, '1985-03-15')).toBe('must not be made of the birth date');
    expect(weakPinReason('1503', null)).toBeNull();
  });

  it('accepts an ordinary code', () => {
    expect(weakPinReason('4709', '1985-03-15')).toBeNull();
    expect(weakPinReason('19735', null)).toBeNull();
  });
});

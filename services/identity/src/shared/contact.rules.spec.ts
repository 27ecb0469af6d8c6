import { collapseSpaces, normalizeEmail, normalizePersonName, normalizePhone } from './contact.rules';

describe('normalizeEmail', () => {
  it('trims and lower-cases', () => {
    expect(normalizeEmail('  Jean.Dupont@Example.COM ')).toBe('jean.dupont@example.com');
  });
  it.each(['', '   ', 'jean', 'jean@', '@example.com', 'jean dupont@example.com', 'jean@example', 'a@b..fr'])(
    'refuses %j',
    (raw) => {
      expect(normalizeEmail(raw)).toBeNull();
    },
  );
  it('refuses addresses longer than the limit', () => {
    expect(normalizeEmail(`${'a'.repeat(95)}@example.com`, 100)).toBeNull();
    expect(normalizeEmail(`${'a'.repeat(80)}@example.com`, 100)).toBe(`${'a'.repeat(80)}@example.com`);
  });
});

describe('normalizePhone', () => {
  it.each([
    ['06 12 34 56 78', '+33612345678'],
    ['06.12.34.56.78', '+33612345678'],
    ['06-12-34-56-78', '+33612345678'],
    ['0612345678', '+33612345678'],
    ['+33 6 12 34 56 78', '+33612345678'],
    ['+33612345678', '+33612345678'],
    ['+33 (0)6 12 34 56 78', '+33612345678'],
    ['+33 06 12 34 56 78', '+33612345678'],
    ['0033 6 12 34 56 78', '+33612345678'],
    ['0033612345678', '+33612345678'],
    ['33612345678', '+33612345678'],
    ['01 23 45 67 89', '+33123456789'],
    ['+44 20 7946 0958', '+442079460958'],
    ['0044 20 7946 0958', '+442079460958'],
    ['+262 692 12 34 56', '+262692123456'],
  ])('reads %j as %s', (raw, expected) => {
    expect(normalizePhone(raw)).toBe(expected);
  });

  it.each([
    '',
    'call me',
    '12',
    '612345678',
    '+33 6 12 34 56',
    '+33 6 12 34 56 78 90',
    '+0 123456789',
    '+1234',
  ])('refuses %j', (raw) => {
    expect(normalizePhone(raw)).toBeNull();
  });

  it('always gives E.164 when it gives anything', () => {
    for (const raw of ['06 12 34 56 78', '+44 20 7946 0958', '0033 7 00 00 00 00'])
      expect(normalizePhone(raw)).toMatch(/^\+[1-9]\d{6,14}$/);
  });
});

describe('collapseSpaces', () => {
  it('trims and collapses inner runs of white space; null when empty', () => {
    expect(collapseSpaces('  12   rue \t des  Lilas ')).toBe('12 rue des Lilas');
    expect(collapseSpaces(' \n ')).toBeNull();
  });
});

describe('normalizePersonName', () => {
  it.each([
    ['  jean   DUPONT ', 'Jean Dupont'],
    ['jean-pierre de la fontaine', 'Jean-Pierre De La Fontaine'],
    ["o'neil", "O'Neil"],
    ['d\u2019artagnan', 'D\u2019Artagnan'],
    ['ÉLODIE éric', 'Élodie Éric'],
    ['Anne', 'Anne'],
  ])('normalizes %j to %j', (raw, expected) => {
    expect(normalizePersonName(raw)).toBe(expected);
  });
  it('gives null for a blank name', () => {
    expect(normalizePersonName('   ')).toBeNull();
  });
});

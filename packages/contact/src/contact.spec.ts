import {
  collapseSpaces,
  isPhoneRegion,
  normalizeEmail,
  normalizePersonName,
  normalizePhone,
} from './contact';

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
    // a French number typed without its trunk 0 is still that number (the +33 selector of a form)
    ['612345678', '+33612345678'],
    ['6 12 34 56 78', '+33612345678'],
  ])('reads %j as %s', (raw, expected) => {
    expect(normalizePhone(raw)).toBe(expected);
  });

  it.each([
    '',
    'call me',
    '12',
    '+33 6 12 34 56',
    '+33 6 12 34 56 78 90',
    '+0 123456789',
    '+1234',
    '06 12 34 56 78 / 07 11 22 33 44',
    `06 12 34 56 78${' '.repeat(60)}`,
  ])('refuses %j', (raw) => {
    expect(normalizePhone(raw)).toBeNull();
  });

  it('always gives E.164 when it gives anything', () => {
    for (const raw of ['06 12 34 56 78', '+44 20 7946 0958', '0033 7 00 00 00 00'])
      expect(normalizePhone(raw)).toMatch(/^\+[1-9]\d{6,14}$/);
  });
});

describe('normalizePhone in a region', () => {
  it('reads a national number in the region given, an international one whatever the region', () => {
    expect(normalizePhone('081 234 5678', 'TH')).toBe('+66812345678');
    expect(normalizePhone('081 234 5678')).toBe('+33812345678');
    expect(normalizePhone('0470 12 34 56', 'BE')).toBe('+32470123456');
    expect(normalizePhone('+33 6 12 34 56 78', 'TH')).toBe('+33612345678');
  });
  it('accepts a number of a range the metadata does not know as assigned yet (plans change)', () => {
    expect(normalizePhone('+33 7 11 22 33 44')).toBe('+33711223344');
    expect(normalizePhone('07 00 00 00 00')).toBe('+33700000000');
  });
  it('knows which regions exist', () => {
    expect(isPhoneRegion('FR')).toBe(true);
    expect(isPhoneRegion('TH')).toBe(true);
    expect(isPhoneRegion('XX')).toBe(false);
    expect(isPhoneRegion('fr')).toBe(false);
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

describe('one lead key for every service', () => {
  it('composes a decomposed accent into one letter', () => {
    expect(normalizePersonName('ame\u0301lie POULAIN')).toBe('Amélie Poulain');
  });
  it('accepts addresses up to the envelope subject limit and no longer', () => {
    expect(normalizeEmail(`${'a'.repeat(188)}@example.com`)).toHaveLength(200);
    expect(normalizeEmail(`${'a'.repeat(189)}@example.com`)).toBeNull();
  });
});

describe('cases partners send (formerly the claims service own rules)', () => {
  it.each([
    ['+33612345678', '+33612345678'],
    ['+33 6 12 34 56 78', '+33612345678'],
    ['06.12.34.56.78', '+33612345678'],
    ['0033 6 12 34 56 78', '+33612345678'],
    ['+33 (0)6 12 34 56 78', '+33612345678'],
    ['+66 81 234 5678', '+66812345678'],
  ])('puts %s in E.164', (raw, expected) => {
    expect(normalizePhone(raw)).toBe(expected);
  });
  it.each(['12345', '+0612345678', '+33 6 12', 'call me', '   ', '+1234567890123456'])(
    'refuses %j (null, never a wrong number)',
    (raw) => {
      expect(normalizePhone(raw)).toBeNull();
    },
  );
  it.each([
    ['  jean-pierre   DUPONT ', 'Jean-Pierre Dupont'],
    ["anne d'arc", "Anne D'Arc"],
    ['ÉLODIE müller', 'Élodie Müller'],
    ['marie\tclaire', 'Marie Claire'],
  ])('normalises the name %j', (raw, expected) => {
    expect(normalizePersonName(raw)).toBe(expected);
  });
});

import { DateScalar, DateTimeScalar, DecimalScalar } from './scalars';

describe('scalars', () => {
  it('DateTime serializes to ISO UTC and refuses garbage', () => {
    expect(DateTimeScalar.serialize(new Date('2026-02-02T15:30:00+01:00'))).toBe('2026-02-02T14:30:00.000Z');
    expect(() => DateTimeScalar.parseValue('yesterday')).toThrow('invalid DateTime');
    expect(DateTimeScalar.parseValue('2026-02-02T14:30:00Z')).toEqual(new Date('2026-02-02T14:30:00Z'));
  });
  it('Date keeps calendar dates', () => {
    expect(DateScalar.serialize('1980-05-17')).toBe('1980-05-17');
    expect(() => DateScalar.parseValue('17/05/1980')).toThrow('invalid Date');
  });
  it('Decimal keeps cents exact and refuses more than two decimals on input', () => {
    expect(DecimalScalar.serialize('1234.50')).toBe('1234.50');
    expect(DecimalScalar.parseValue('99.99')).toBe('99.99');
    expect(() => DecimalScalar.parseValue('1.999')).toThrow('invalid Decimal');
    expect(() => DecimalScalar.parseValue('abc')).toThrow('invalid Decimal');
  });
});

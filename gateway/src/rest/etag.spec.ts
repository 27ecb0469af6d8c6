import { etagOf, ifMatchHolds, parseIfMatch } from './etag';

describe('ETag / If-Match', () => {
  it('is a strong hash of the representation: equal for equal JSON, different otherwise', () => {
    const a = etagOf({ id: '1', nom: 'Dupont' });
    expect(a).toMatch(/^"[\w-]{43}"$/);
    expect(etagOf({ id: '1', nom: 'Dupont' })).toBe(a);
    expect(etagOf({ id: '1', nom: 'Dupond' })).not.toBe(a);
  });

  it('parses If-Match lists and *, compares strongly', () => {
    const tag = etagOf({ x: 1 });
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(parseIfMatch('  ')).toBeUndefined();
    expect(parseIfMatch('*')).toBe('*');
    expect(parseIfMatch(`"a", ${tag}`)).toEqual(['"a"', tag]);
    expect(ifMatchHolds(parseIfMatch(`"a", ${tag}`)!, tag)).toBe(true);
    expect(ifMatchHolds(parseIfMatch(`W/${tag}`)!, tag)).toBe(false);
    expect(ifMatchHolds('*', tag)).toBe(true);
    expect(ifMatchHolds('*', undefined)).toBe(false);
    expect(ifMatchHolds(['"a"'], tag)).toBe(false);
  });
});

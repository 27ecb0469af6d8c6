import { isUuid, uuidsOnly } from './ids';

describe('ids', () => {
  it('knows a UUID in either case, and nothing else', () => {
    expect(isUuid('0b6f4e4e-8f2a-4c57-9a43-5a1f0d0c9e11')).toBe(true);
    expect(isUuid('0B6F4E4E-8F2A-4C57-9A43-5A1F0D0C9E11')).toBe(true);
    for (const bad of [
      '',
      'not-a-uuid',
      '0b6f4e4e8f2a4c579a435a1f0d0c9e11',
      `0b6f4e4e-8f2a-4c57-9a43-5a1f0d0c9e11 `,
    ])
      expect(isUuid(bad)).toBe(false);
  });
  it('keeps the UUIDs of a batch in order', () => {
    const a = '0b6f4e4e-8f2a-4c57-9a43-5a1f0d0c9e11';
    const b = '7a1c2e3f-4b5d-4e6f-8a9b-0c1d2e3f4a5b';
    expect(uuidsOnly([b, 'x', a])).toEqual([b, a]);
  });
});

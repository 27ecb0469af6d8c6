import { advisorStatus } from './advisor.mapping';

describe('advisor mapping', () => {
  it('maps every value both ways onto the seed / migration values', () => {
    expect(advisorStatus.dbValues).toEqual(['disponible', 'occupe', 'pause']);
    for (const v of advisorStatus.values) expect(advisorStatus.fromDb(advisorStatus.toDb(v))).toBe(v);
    expect(advisorStatus.fromDb('pause')).toBe('ON_BREAK');
  });

  it('refuses an unknown database value', () => {
    expect(() => advisorStatus.fromDb('absent')).toThrow('unknown conseillers.statut "absent"');
  });
});

import { enumMapping } from './enum-mapping';

const status = enumMapping(
  { ACTIVE: 'actif', INACTIVE: 'inactif', ERASED: 'supprimé' } as const,
  (value) => new Error(`unknown statut ${value}`),
);

describe('enumMapping', () => {
  it('lists both sides in the table order and maps each value both ways', () => {
    expect(status.values).toEqual(['ACTIVE', 'INACTIVE', 'ERASED']);
    expect(status.dbValues).toEqual(['actif', 'inactif', 'supprimé']);
    for (const v of status.values) expect(status.fromDb(status.toDb(v))).toBe(v);
    expect(status.toDb('ERASED')).toBe('supprimé');
  });

  it("throws the service's own error for a value outside the table", () => {
    expect(() => status.fromDb('supprime')).toThrow('unknown statut supprime');
    // a graph value is not a database value
    expect(() => status.fromDb('ACTIVE')).toThrow('unknown statut ACTIVE');
  });
});

import { firstPerParent } from './per-parent';

describe('firstPerParent', () => {
  it('numbers each parent’s rows in the list’s order and keeps the first max, with its parameters', () => {
    const [where, params] = firstPerParent('c', {
      table: 'contrats',
      parent: 'client_id',
      order: 'k.date_creation DESC, k.id DESC',
      parentIds: ['a', 'b'],
      max: 50,
      filter: 'k.statut = :status',
    });
    expect(where.replace(/\s+/g, ' ')).toBe(
      'c.id IN (SELECT w.id FROM ( SELECT k.id, row_number() OVER (PARTITION BY k.client_id ORDER BY k.date_creation DESC, k.id DESC) AS rn FROM contrats k WHERE k.client_id IN (:...perParentIds) AND (k.statut = :status)) w WHERE w.rn <= :perParentMax)',
    );
    expect(params).toEqual({ perParentIds: ['a', 'b'], perParentMax: 50 });
  });

  it('refuses a table or column that is not a plain identifier', () => {
    const base = { table: 'contrats', parent: 'client_id', order: 'k.id', parentIds: [], max: 1 };
    expect(() => firstPerParent('c', { ...base, parent: 'client_id; drop table x' })).toThrow(/identifier/);
    expect(() => firstPerParent('c', { ...base, table: 'Contrats' })).toThrow(/identifier/);
  });
});

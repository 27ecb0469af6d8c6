import {
  contractStatusColumn,
  contractStatusFromDb,
  contractStatusToDb,
  contractTypeColumn,
  contractTypeFromDb,
  contractTypeToDb,
  type ContractStatus,
  type ContractType,
} from './contract.mapping';

describe('contract mappings', () => {
  it.each<[ContractType, string]>([
    ['AUTO', 'auto'],
    ['HOME', 'habitation'],
    ['OTHER', 'autre'],
  ])('type %s <-> %s', (type, db) => {
    expect(contractTypeToDb(type)).toBe(db);
    expect(contractTypeFromDb(db)).toBe(type);
    expect(contractTypeColumn.from(db)).toBe(type);
  });

  it.each<[ContractStatus, string]>([
    ['ACTIVE', 'actif'],
    ['SUSPENDED', 'suspendu'],
    ['TERMINATED', 'résilié'],
  ])('status %s <-> %s', (status, db) => {
    expect(contractStatusToDb(status)).toBe(db);
    expect(contractStatusFromDb(db)).toBe(status);
    expect(contractStatusColumn.to(status)).toBe(db);
  });

  it('keeps nulls (the seed columns are nullable) and refuses unknown values', () => {
    expect(contractTypeColumn.to(null)).toBeNull();
    expect(contractStatusColumn.from(null)).toBeNull();
    expect(() => contractTypeFromDb('moto')).toThrow(/type_contrat/);
    expect(() => contractStatusFromDb('resilie')).toThrow(/statut/);
  });
});

import {
  clientStatusColumn,
  clientStatusFromDb,
  clientStatusToDb,
  type ClientStatus,
} from './client.mapping';

describe('client status mapping', () => {
  const pairs: [ClientStatus, string][] = [
    ['ACTIVE', 'actif'],
    ['INACTIVE', 'inactif'],
    ['ERASED', 'supprimé'],
  ];
  it.each(pairs)('%s <-> %s both ways', (status, db) => {
    expect(clientStatusToDb(status)).toBe(db);
    expect(clientStatusFromDb(db)).toBe(status);
    expect(clientStatusColumn.to(status)).toBe(db);
    expect(clientStatusColumn.from(db)).toBe(status);
  });
  it('refuses a value the CHECK constraint does not allow', () => {
    expect(() => clientStatusFromDb('deleted')).toThrow(/unknown clients.statut value: deleted/);
  });
});

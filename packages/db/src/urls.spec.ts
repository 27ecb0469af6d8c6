import { assertIdentifier, databaseName, redactUrl, withDatabase } from './urls';

describe('database URLs', () => {
  it('swaps the database and keeps credentials and parameters', () => {
    expect(withDatabase('postgres://u:p@h:5432/postgres?sslmode=disable', 'claims')).toBe(
      'postgres://u:p@h:5432/claims?sslmode=disable',
    );
  });
  it('reads the database name', () => {
    expect(databaseName('postgres://u@h/identity')).toBe('identity');
    expect(() => databaseName('postgres://u@h')).toThrow(/names no database/);
  });
  it('never prints a password', () => {
    expect(redactUrl('postgres://u:secret@h/db')).toBe('postgres://u:***@h/db');
  });
  it('accepts only plain identifiers for DDL', () => {
    expect(assertIdentifier('crm_test_abc')).toBe('crm_test_abc');
    expect(() => assertIdentifier('x"; drop database y; --')).toThrow(/identifier/);
    expect(() => assertIdentifier('Upper')).toThrow();
  });
});

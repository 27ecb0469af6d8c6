import { findingsIn, identifiersIn } from './personal-data-scan';

describe('the canary scan (what it finds in one line, row or record)', () => {
  it('finds the identifiers the masker recognizes, and shows them masked', () => {
    const line = '{"level":"info","msg":"rappel demandé","to":"06 12 34 56 78"}';
    const [excerpt] = identifiersIn(line);
    expect(excerpt).toBeDefined();
    expect(excerpt).not.toContain('06 12 34 56 78');
    expect(identifiersIn('{"email":"jean.dupont@example.fr"}')).toHaveLength(1);
    expect(identifiersIn('matricule AB-123-CD')).toHaveLength(1);
  });

  it('leaves what is not personal: ids, dates, claim numbers, sealed values', () => {
    const record = JSON.stringify({
      id: '2f1c9a34-8c1e-4b6a-9d2e-5a7b3c1d9e0f',
      occurredAt: '2026-12-07T10:18:02.166Z',
      claimNumber: 'SIN-2026-000042',
      sealed: { data: 'pd1:AAECAwQFBgcICQ' },
      amount: '950.00',
      port: 4000,
    });
    expect(identifiersIn(record)).toEqual([]);
    expect(findingsIn('kafka crm.claims.events.v1', record, [])).toEqual([]);
  });

  it('finds a canary in any case, and exempts only what is clear by design', () => {
    expect(findingsIn('db claims.cases', '{"lead":"ZORGLUB"}', ['Zorglub'])).toHaveLength(1);
    expect(findingsIn('log claims', 'nothing here', ['Zorglub'])).toEqual([]);
    // a partner publishing on Kafka writes as it likes (docs/privacy.md)
    const partner = '{"email":"lead@example.fr"}';
    expect(findingsIn('kafka crm.partner.inbound.v1', partner, [])).toEqual([]);
    // its dead letters are sealed by claims: a clear one is a finding
    expect(findingsIn('kafka crm.partner.inbound.v1.dlq', partner, [])).toHaveLength(1);
    expect(findingsIn('kafka crm.identity.events.v1', partner, [])).toHaveLength(1);
    expect(findingsIn('db claims.audit_sessions', partner, [])).toEqual([]);
    expect(findingsIn('db claims.cases', partner, [])).toHaveLength(1);
  });
});

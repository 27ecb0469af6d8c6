import {
  auditHash,
  canonicalJson,
  GENESIS_HASH,
  valueDigest,
  verifyAuditChain,
  type AuditRow,
} from './chain';

const T0 = Date.UTC(2030, 0, 1);

/** A valid chain of n records (seq 1..n), each linked to the one before. */
function chain(n: number): AuditRow[] {
  const rows: AuditRow[] = [];
  let prevHash = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const fields = {
      at: new Date(T0 + i * 1000),
      principal: `advisor-${i}`,
      roles: ['advisor'],
      operation: 'Mutation.updateClaim',
      operationName: 'UpdateClaim',
      entityType: 'Claim',
      entityId: `claim-${i}`,
      outcome: 'ok',
      changes: { description: { old: valueDigest('avant'), new: valueDigest(`après ${i}`) } },
      correlationId: `corr-${i}`,
      prevHash,
    };
    const row = { ...fields, seq: i, hash: auditHash(fields) };
    rows.push(row);
    prevHash = row.hash;
  }
  return rows;
}

describe('the audit hash chain', () => {
  it('accepts an untouched chain and an empty one', () => {
    const rows = chain(5);
    expect(verifyAuditChain(rows)).toEqual({ ok: true, records: 5, lastSeq: 5, lastHash: rows[4]!.hash });
    expect(verifyAuditChain([])).toEqual({ ok: true, records: 0, lastSeq: 0, lastHash: GENESIS_HASH });
  });

  it.each([
    ['principal', { principal: 'someone-else' }],
    ['outcome', { outcome: 'FORBIDDEN' }],
    ['at', { at: new Date(T0) }],
    ['roles', { roles: ['supervisor'] }],
    ['changes', { changes: null }],
    ['hash', { hash: 'f'.repeat(64) }],
    ['prev_hash', { prevHash: 'e'.repeat(64) }],
  ])('names an edited record (%s changed) by its seq', (_field, edit) => {
    const rows = chain(5);
    rows[2] = { ...rows[2]!, ...edit };
    expect(verifyAuditChain(rows)).toMatchObject({ ok: false, seq: 3, problem: 'edited' });
  });

  it('names a removed record by the missing seq', () => {
    const rows = chain(5);
    rows.splice(2, 1);
    const verdict = verifyAuditChain(rows);
    expect(verdict).toMatchObject({ ok: false, seq: 3, problem: 'removed' });
    expect(verdict.ok || verdict.reason).toMatch(/record 3 is missing \(2 is followed by 4\)/);
  });

  it('names a removed first record', () => {
    expect(verifyAuditChain(chain(3).slice(1))).toMatchObject({ ok: false, seq: 1, problem: 'removed' });
  });

  it('names a record removed and the rest renumbered (no gap left in seq)', () => {
    const rows = chain(5);
    rows.splice(1, 1);
    const renumbered = rows.map((r, i) => ({ ...r, seq: i + 1 }));
    expect(verifyAuditChain(renumbered)).toMatchObject({ ok: false, seq: 2, problem: 'removed' });
  });

  it('names a record rewritten with a recomputed hash at the record after it', () => {
    const rows = chain(4);
    const forged = { ...rows[1]!, outcome: 'FORBIDDEN' };
    rows[1] = { ...forged, hash: auditHash(forged) };
    expect(verifyAuditChain(rows)).toMatchObject({ ok: false, seq: 3, problem: 'removed' });
  });

  it('names two swapped records (their seqs exchanged)', () => {
    const rows = chain(5);
    const [third, fourth] = [rows[2]!, rows[3]!];
    rows[2] = { ...fourth, seq: 3 };
    rows[3] = { ...third, seq: 4 };
    const verdict = verifyAuditChain(rows);
    expect(verdict).toMatchObject({ ok: false, seq: 3, problem: 'reordered' });
    expect(verdict.ok || verdict.reason).toMatch(/written after record 4/);
  });

  it('names rows given out of seq order', () => {
    const rows = chain(3);
    expect(verifyAuditChain([rows[0]!, rows[2]!, rows[1]!])).toMatchObject({
      ok: false,
      seq: 2,
      problem: 'removed',
    });
  });
});

describe('canonicalJson and valueDigest', () => {
  it('sorts keys at every depth, so jsonb reordering keeps the hash', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}',
    );
  });
  it('keeps digests, not values; no value stays null', () => {
    expect(valueDigest('jean.dupont@example.fr')).toMatch(/^[0-9a-f]{64}$/);
    expect(valueDigest('jean.dupont@example.fr')).not.toContain('dupont');
    expect(valueDigest(null)).toBeNull();
  });
});

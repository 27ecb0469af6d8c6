import {
  PHASE_VALUES,
  phaseFromGraph,
  phaseToGraph,
  roleFromGraph,
  roleToGraph,
  statusToGraph,
  type RoleValue,
} from './conversation.mapping';

describe('conversation mapping', () => {
  it('maps every seed phase to one graph value and back', () => {
    expect(PHASE_VALUES).toEqual([
      'auth',
      'description',
      'sinistre_details',
      'constat',
      'documents',
      'decision',
      'transfert',
      'suivi',
    ]);
    const graph = PHASE_VALUES.map(phaseToGraph);
    expect(new Set(graph).size).toBe(PHASE_VALUES.length);
    for (const v of PHASE_VALUES) expect(phaseFromGraph(phaseToGraph(v))).toBe(v);
    expect(phaseToGraph('constat')).toBe('AMICABLE_REPORT');
  });

  it('maps every conversation status', () => {
    expect((['active', 'awaiting_lookup', 'completed', 'transferred'] as const).map(statusToGraph)).toEqual([
      'ACTIVE',
      'AWAITING_LOOKUP',
      'COMPLETED',
      'TRANSFERRED',
    ]);
  });

  it('maps message roles both ways', () => {
    const roles: RoleValue[] = ['bot', 'user', 'system'];
    expect(roles.map(roleToGraph)).toEqual(['BOT', 'USER', 'SYSTEM']);
    for (const r of roles) expect(roleFromGraph(roleToGraph(r))).toBe(r);
  });
});

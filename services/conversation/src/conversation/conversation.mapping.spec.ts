import {
  actorOf,
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

  it('takes the actor of an event from the principal, strongest role first', () => {
    expect(actorOf({ sub: 'a1', roles: ['client', 'advisor'] })).toEqual({ kind: 'advisor', id: 'a1' });
    expect(actorOf({ sub: 's1', roles: ['supervisor'] })).toEqual({ kind: 'advisor', id: 's1' });
    expect(actorOf({ sub: 'c1', roles: ['client'] })).toEqual({ kind: 'client', id: 'c1' });
    expect(actorOf({ sub: 'p1', roles: ['partner'] })).toEqual({ kind: 'partner', id: 'p1' });
    expect(actorOf({ sub: 'gateway', roles: [] })).toEqual({ kind: 'system', id: 'gateway' });
  });
});

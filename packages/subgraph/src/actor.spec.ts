import { actorOf } from './actor';

describe('actorOf', () => {
  it('takes the strongest role', () => {
    expect(actorOf({ sub: 'a', roles: ['client', 'supervisor'] })).toEqual({ kind: 'advisor', id: 'a' });
    expect(actorOf({ sub: 'c', roles: ['client'] })).toEqual({ kind: 'client', id: 'c' });
    expect(actorOf({ sub: 'p', roles: ['partner'] })).toEqual({ kind: 'partner', id: 'p' });
    expect(actorOf({ sub: 'gateway', roles: ['system'] })).toEqual({ kind: 'system', id: 'gateway' });
    expect(actorOf({ sub: 'anon', roles: [] })).toEqual({ kind: 'system', id: 'anon' });
  });
  it('fits the envelope limit', () => {
    expect(actorOf({ sub: 'x'.repeat(300), roles: ['advisor'] }).id).toHaveLength(200);
  });
});

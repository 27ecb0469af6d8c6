import { actorOf } from './actor';

describe('actorOf', () => {
  it('maps principals to envelope actors', () => {
    expect(actorOf({ sub: 'adv-1', roles: ['advisor'] })).toEqual({ kind: 'advisor', id: 'adv-1' });
    expect(actorOf({ sub: 'sup-1', roles: ['supervisor'] })).toEqual({ kind: 'advisor', id: 'sup-1' });
    expect(actorOf({ sub: 'c-1', roles: ['client'] })).toEqual({ kind: 'client', id: 'c-1' });
    expect(actorOf({ sub: 'WEB_CHAT', roles: ['partner'] })).toEqual({ kind: 'partner', id: 'WEB_CHAT' });
    expect(actorOf({ sub: 'gateway', roles: ['system'] })).toEqual({ kind: 'system', id: 'gateway' });
    expect(actorOf({ sub: 'anonymous', roles: [] })).toEqual({ kind: 'system', id: 'anonymous' });
  });
});

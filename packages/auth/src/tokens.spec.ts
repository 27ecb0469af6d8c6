import { AuthError } from './errors';
import { issueUserToken, verifyUserToken } from './tokens';
import { requireRole, STAFF, type Role } from './principal';

const settings = { secret: 'a'.repeat(40), issuer: 'crm-idp', audience: 'crm-gateway' };
const advisor = { sub: 'adv-1', roles: ['advisor' as const], name: 'Claire Martin' };

describe('user tokens', () => {
  it('round-trips the principal and the expiry', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await issueUserToken(advisor, settings, 600, now);
    const verified = await verifyUserToken(token, settings);
    expect(verified.principal).toEqual(advisor);
    expect(verified.expiresAt).toBe(now + 600);
  });

  it('refuses an expired token with AUTH.EXPIRED_TOKEN', async () => {
    const token = await issueUserToken(advisor, settings, 10, Math.floor(Date.now() / 1000) - 3600);
    await expect(verifyUserToken(token, settings)).rejects.toMatchObject({ code: 'AUTH.EXPIRED_TOKEN' });
  });

  it('refuses another secret, issuer or audience with AUTH.INVALID_TOKEN', async () => {
    const token = await issueUserToken(advisor, settings);
    await expect(verifyUserToken(token, { ...settings, secret: 'b'.repeat(40) })).rejects.toMatchObject({
      code: 'AUTH.INVALID_TOKEN',
    });
    await expect(verifyUserToken(token, { ...settings, issuer: 'other' })).rejects.toMatchObject({
      code: 'AUTH.INVALID_TOKEN',
    });
    await expect(verifyUserToken(token, { ...settings, audience: 'other' })).rejects.toMatchObject({
      code: 'AUTH.INVALID_TOKEN',
    });
    await expect(verifyUserToken('not.a.jwt', settings)).rejects.toMatchObject({
      code: 'AUTH.INVALID_TOKEN',
    });
  });

  it('drops unknown roles', async () => {
    const token = await issueUserToken({ sub: 'x', roles: ['advisor', 'root' as never] }, settings);
    expect((await verifyUserToken(token, settings)).principal.roles).toEqual(['advisor']);
  });

  it('refuses short secrets', async () => {
    await expect(issueUserToken(advisor, { ...settings, secret: 'short' })).rejects.toThrow(/32 characters/);
  });
});

describe('requireRole', () => {
  it('passes a principal with one of the roles and refuses others with AUTH.FORBIDDEN', () => {
    expect(() => requireRole({ sub: 'a', roles: ['advisor'] }, STAFF, 'escalationQueue')).not.toThrow();
    expect(() => requireRole({ sub: 's', roles: ['system'] }, STAFF, 'escalationQueue')).not.toThrow();
    for (const roles of [['client'], ['partner'], []] as Role[][]) {
      let error: unknown;
      try {
        requireRole({ sub: 'c', roles }, STAFF, 'escalationQueue');
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(AuthError);
      expect((error as AuthError).code).toBe('AUTH.FORBIDDEN');
      expect((error as AuthError).message).toMatch(
        /escalationQueue needs one of the roles advisor, supervisor, system/,
      );
    }
  });
});

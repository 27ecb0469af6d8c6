import { SignJWT } from 'jose';
import { generateKeyPairSync } from 'node:crypto';
import {
  generateInternalKeys,
  InternalTokenSigner,
  InternalTokenVerifier,
  pemOf,
  privateKeyOf,
  publicKeyOf,
  requestDigest,
  SOCKET_BINDING,
} from './internal-tokens';
import { issueConversationToken } from './conversation-tokens';
import { issueUserToken } from './tokens';

const advisor = { sub: 'adv-1', roles: ['advisor' as const], name: 'Claire Martin' };
const keys = generateInternalKeys();
const query = {
  query: 'query Q($id: ID!) { claim(id: $id) { id } }',
  operationName: 'Q',
  variables: { id: 'c-1' },
};
const T0 = 1_900_000_000; // a fixed instant: the tests do not read the machine's clock

function setup(now = T0) {
  let clock = now;
  const signer = new InternalTokenSigner(keys.privateKey);
  const verifier = new InternalTokenVerifier(keys.publicKey, 'claims', () => clock);
  return { signer, verifier, tick: (seconds: number) => (clock += seconds) };
}

describe('internal tokens (EdDSA, bound to a subgraph, a request and one use)', () => {
  it('carry the caller, the correlation id and the address to the named subgraph', async () => {
    const { signer, verifier } = setup();
    const token = await signer.mint(
      advisor,
      'claims',
      { request: requestDigest(query), correlationId: 'corr-1', clientIp: '203.0.113.7' },
      T0,
    );
    await expect(verifier.verify(token, requestDigest(query))).resolves.toEqual({
      principal: advisor,
      correlationId: 'corr-1',
      clientIp: '203.0.113.7',
    });
  });

  it('refuse another audience (a token for claims shown to identity)', async () => {
    const { signer } = setup();
    const token = await signer.mint(advisor, 'claims', { request: requestDigest(query) }, T0);
    const identity = new InternalTokenVerifier(keys.publicKey, 'identity', () => T0);
    await expect(identity.verify(token, requestDigest(query))).rejects.toMatchObject({
      code: 'AUTH.NOT_FROM_GATEWAY',
    });
  });

  it('refuse a replay: the same token twice', async () => {
    const { signer, verifier } = setup();
    const token = await signer.mint(advisor, 'claims', { request: requestDigest(query) }, T0);
    await verifier.verify(token, requestDigest(query));
    await expect(verifier.verify(token, requestDigest(query))).rejects.toThrow(
      'internal token rejected: already used (replayed)',
    );
  });

  it('refuse a token bound to another request (other variables, other query, a socket)', async () => {
    const { signer, verifier } = setup();
    const token = await signer.mint(advisor, 'claims', { request: requestDigest(query) }, T0);
    const otherClaim = requestDigest({ ...query, variables: { id: 'c-2' } });
    await expect(verifier.verify(token, otherClaim)).rejects.toThrow(/bound to another request/);
    await expect(verifier.verify(token, SOCKET_BINDING)).rejects.toThrow(/bound to another request/);
    const socket = await signer.mint(advisor, 'claims', { request: SOCKET_BINDING }, T0);
    await expect(verifier.verify(socket, requestDigest(query))).rejects.toThrow(/bound to another request/);
  });

  it('live 10 seconds (and 5 of clock tolerance), not a minute', async () => {
    const { signer, verifier, tick } = setup();
    const fresh = await signer.mint(advisor, 'claims', { request: 'r' }, T0);
    const old = await signer.mint(advisor, 'claims', { request: 'r' }, T0);
    tick(14);
    await expect(verifier.verify(fresh, 'r')).resolves.toMatchObject({ principal: advisor });
    tick(2); // 16 s after minting: past exp (10) + tolerance (5)
    await expect(verifier.verify(old, 'r')).rejects.toMatchObject({ code: 'AUTH.NOT_FROM_GATEWAY' });
  });

  it('forget used tokens once they expire, so memory stays bounded', async () => {
    const { signer, verifier, tick } = setup();
    for (let i = 0; i < 50; i += 1)
      await verifier.verify(await signer.mint(advisor, 'claims', { request: 'r' }, T0), 'r');
    expect((verifier as unknown as { seen: Map<string, number> }).seen.size).toBe(50);
    tick(60);
    await verifier.verify(await signer.mint(advisor, 'claims', { request: 'r' }, T0 + 60), 'r');
    expect((verifier as unknown as { seen: Map<string, number> }).seen.size).toBe(1);
  });

  it('refuse a token signed by another key, a missing token and a user token', async () => {
    const { verifier } = setup();
    const other = new InternalTokenSigner(generateInternalKeys().privateKey);
    const forged = await other.mint(advisor, 'claims', { request: 'r' }, T0);
    await expect(verifier.verify(forged, 'r')).rejects.toMatchObject({ code: 'AUTH.NOT_FROM_GATEWAY' });
    await expect(verifier.verify(undefined, 'r')).rejects.toMatchObject({ code: 'AUTH.NOT_FROM_GATEWAY' });
    const user = await issueUserToken(advisor, {
      secret: 'u'.repeat(40),
      issuer: 'crm-gateway',
      audience: 'claims',
    });
    await expect(verifier.verify(user, 'r')).rejects.toMatchObject({ code: 'AUTH.NOT_FROM_GATEWAY' });
  });

  it('refuse an HS256 token made with the public key as the secret (algorithm confusion)', async () => {
    const { verifier } = setup();
    const confused = await new SignJWT({ roles: ['supervisor'], req: 'r' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('attacker')
      .setIssuer('crm-gateway')
      .setAudience('claims')
      .setJti('j')
      .setIssuedAt(T0)
      .setExpirationTime(T0 + 10)
      .sign(new TextEncoder().encode(keys.publicKey));
    await expect(verifier.verify(confused, 'r')).rejects.toMatchObject({ code: 'AUTH.NOT_FROM_GATEWAY' });
  });

  it("refuse the gateway's conversation token (same key, another type)", async () => {
    const { signer, verifier } = setup();
    const chat = await issueConversationToken(signer, 'claims', 10, T0);
    await expect(verifier.verify(chat, 'r')).rejects.toMatchObject({ code: 'AUTH.NOT_FROM_GATEWAY' });
  });

  it('refuse a token the gateway would never mint: one living an hour', async () => {
    const { verifier } = setup();
    const long = new InternalTokenSigner(keys.privateKey, 3600);
    await expect(
      verifier.verify(await long.mint(advisor, 'claims', { request: 'r' }, T0), 'r'),
    ).rejects.toThrow(/lives too long/);
  });
});

describe('request digests', () => {
  it('survive the JSON round trip between gateway and subgraph', () => {
    const received = JSON.parse(JSON.stringify(query)) as typeof query;
    expect(requestDigest(received)).toBe(requestDigest(query));
  });
  it('differ when the query, the operation name or a variable differs', () => {
    const digests = new Set([
      requestDigest(query),
      requestDigest({ ...query, operationName: 'R' }),
      requestDigest({ ...query, query: `${query.query} ` }),
      requestDigest({ ...query, variables: { id: 'c-1', extra: true } }),
    ]);
    expect(digests.size).toBe(4);
  });
});

describe('keys from configuration', () => {
  it('read a PEM written on one line with \\n, and ignore text around the block', () => {
    const oneLine = `dev-only ${keys.privateKey.trim().replace(/\n/g, '\\n')}`;
    expect(pemOf(oneLine)).toBe(keys.privateKey);
    expect(privateKeyOf(oneLine).asymmetricKeyType).toBe('ed25519');
    expect(publicKeyOf(keys.publicKey).asymmetricKeyType).toBe('ed25519');
  });
  it('refuse what is not an Ed25519 key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    expect(() => privateKeyOf(rsa.toString())).toThrow(/must be an Ed25519 key/);
    expect(() => publicKeyOf('x'.repeat(40))).toThrow(/not a PEM key/);
    expect(() => publicKeyOf(keys.privateKey)).toThrow(/a private key where the public key belongs/);
  });
  it('derive the public key the subgraphs need from the private key', () => {
    expect(new InternalTokenSigner(keys.privateKey).publicKeyPem).toBe(keys.publicKey);
  });
});

// npm run bench:tokens: the CPU the gateway and a subgraph spend on one internal token, EdDSA
// (Ed25519, bound to the request, replay check) against the HS256 shared-secret token it replaced
// (the baseline, measured in the same run: @crm/auth's HS256 user tokens, the same jose calls). Prints microseconds per mint and per verify.
import { randomUUID } from 'node:crypto';
import {
  generateInternalKeys,
  InternalTokenSigner,
  InternalTokenVerifier,
  issueUserToken,
  requestDigest,
  verifyUserToken,
} from '@crm/auth';

const N = Number(process.env.BENCH_TOKENS ?? 5_000);
const principal = { sub: randomUUID(), roles: ['advisor' as const] };
const request = {
  query: 'query File($id: ID!) { claim(id: $id) { id status client { matricule } } }',
  operationName: 'File',
  variables: { id: randomUUID() },
};

async function time(label: string, run: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 200; i += 1) await run(i); // warm-up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i += 1) await run(i);
  const us = Number(process.hrtime.bigint() - t0) / 1000 / N;
  process.stdout.write(`${label.padEnd(44)} ${us.toFixed(1).padStart(7)} µs\n`);
  return us;
}

async function main() {
  // baseline: HS256 with a shared secret, 60 s, audience only (the scheme before EdDSA)
  const hs = { secret: randomUUID() + randomUUID(), issuer: 'crm-gateway', audience: 'claims' };
  const hsTokens: string[] = [];
  const hsMint = await time('HS256 mint (baseline)', async () => {
    hsTokens.push(await issueUserToken(principal, hs, 60));
  });
  const hsVerify = await time('HS256 verify (baseline)', (i) =>
    verifyUserToken(hsTokens[i % hsTokens.length]!, hs),
  );

  const keys = generateInternalKeys();
  const signer = new InternalTokenSigner(keys.privateKey);
  const verifier = new InternalTokenVerifier(keys.publicKey, 'claims');
  const edTokens: string[] = [];
  const edMint = await time('EdDSA mint + request digest', async () => {
    edTokens.push(await signer.mint(principal, 'claims', { request: requestDigest(request) }));
  });
  let next = 0;
  const edVerify = await time('EdDSA verify + digest + replay check', () =>
    verifier.verify(edTokens[next++], requestDigest(request)),
  );
  process.stdout.write(
    `\nper subgraph call (mint + verify): HS256 ${(hsMint + hsVerify).toFixed(1)} µs, EdDSA ${(edMint + edVerify).toFixed(1)} µs (x${((edMint + edVerify) / (hsMint + hsVerify)).toFixed(2)})\n`,
  );
}

void main();

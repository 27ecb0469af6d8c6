import { hash } from '@node-rs/argon2';
import { PIN_HASH_OPTIONS, PinVerifier, type VerifyHash } from './pin';

/** The PHC string's parameters ($argon2id$v=19$m=19456,t=2,p=1$salt$hash): what a check costs. */
const costOf = (phc: string) => phc.split('$').slice(1, 4).join('$');

describe('PinVerifier', () => {
  const recording = (answer: boolean) => {
    const checked: string[] = [];
    const check: VerifyHash = (phc) => {
      checked.push(phc);
      return Promise.resolve(answer);
    };
    return { checked, check };
  };

  it('checks a matricule nobody holds against a hash of the same cost as a client’s, and never accepts it', async () => {
    const clientHash = await hash('4709', PIN_HASH_OPTIONS);
    const { checked, check } = recording(true);
    const pins = new PinVerifier(check);
    // even a check that says yes does not let an unknown matricule through
    expect(await pins.verify(null, '4709')).toBe(false);
    expect(await pins.verify(clientHash, '4709')).toBe(true);
    // both did the argon2id work, with the same parameters: the same time
    expect(checked).toHaveLength(2);
    expect(checked[0]).not.toBe(clientHash);
    expect(costOf(checked[0]!)).toBe(costOf(clientHash));
    // identity's hashes carry the same (services/identity/src/pin/pin.rules.spec.ts): a change on
    // one side only would make unknown matricules faster than wrong codes
    expect(costOf(checked[0]!)).toBe('argon2id$v=19$m=19456,t=2,p=1');
  });

  it('uses one dummy hash for the instance, made at start', async () => {
    const { checked, check } = recording(false);
    const pins = new PinVerifier(check);
    await pins.verify(null, '1111');
    await pins.verify(null, '2222');
    expect(checked[0]).toBe(checked[1]);
  });

  it('answers with argon2 itself: the right code, a wrong one, a malformed hash', async () => {
    const pins = new PinVerifier();
    const clientHash = await hash('4709', PIN_HASH_OPTIONS);
    expect(await pins.verify(clientHash, '4709')).toBe(true);
    expect(await pins.verify(clientHash, '1357')).toBe(false);
    expect(await pins.verify('not a hash', '4709')).toBe(false);
    expect(await pins.verify(null, '4709')).toBe(false);
  });
});

import { verify } from '@node-rs/argon2';
import { hashPin } from './pin.hash';

describe('the personal code’s hash', () => {
  it('is argon2id at the cost the conversation service checks unknown matricules with', async () => {
    const phc = await hashPin('4709');
    // services/conversation/src/authentication/pin.spec.ts pins the same parameters: a change on
    // one side only would let the answer's time tell which matricules exist
    expect(phc.split('$').slice(1, 4).join('$')).toBe('argon2id$v=19$m=19456,t=2,p=1');
    expect(await verify(phc, '4709')).toBe(true);
    expect(await verify(phc, '1357')).toBe(false);
  });

  it('salts every hash: the same code twice gives two hashes', async () => {
    expect(await hashPin('4709')).not.toBe(await hashPin('4709'));
  });
});

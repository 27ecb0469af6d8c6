import { withoutRandomTokens } from './ids';

describe('withoutRandomTokens', () => {
  it('takes out ids, argon2 hashes and contract numbers made from ids, and keeps the rest', () => {
    const json = withoutRandomTokens({
      id: '81f2c92e-6ed4-4709-a675-e7360859ad5e',
      pinHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdDQ3MDk$aGFzaDQ3MDk',
      text: 'contrat AUTO-c0847094, code 4709',
    });
    expect(json).toBe('{"id":"<random>","pinHash":"<random>","text":"contrat <random>, code 4709"}');
  });
});

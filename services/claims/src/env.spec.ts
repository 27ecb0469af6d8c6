import { generateInternalKeys } from '@crm/auth';
import { ConfigError, parseEnv } from '@crm/config';
import { envSchema } from './env';

const base = {
  NODE_ENV: 'test',
  DATABASE_URL: 'postgres://u@127.0.0.1:5432/crm_claims',
  INTERNAL_TOKEN_PUBLIC_KEY: generateInternalKeys().publicKey,
  KAFKA_BROKERS: '127.0.0.1:9092',
};

const problemsOf = (env: Record<string, string>): readonly string[] => {
  try {
    parseEnv(envSchema, { ...base, ...env });
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
};

describe('the partner phone regions', () => {
  it('read national numbers in France unless configured', () => {
    const env = parseEnv(envSchema, base);
    expect(env.PARTNER_PHONE_REGION).toBe('FR');
    expect(env.PARTNER_PHONE_REGIONS).toEqual({});
  });

  it('take a region per partner source', () => {
    const env = parseEnv(envSchema, {
      ...base,
      PARTNER_PHONE_REGION: 'BE',
      PARTNER_PHONE_REGIONS: ' CALENDLY=TH , SIAM_CHAT=TH,',
    });
    expect(env.PARTNER_PHONE_REGION).toBe('BE');
    expect(env.PARTNER_PHONE_REGIONS).toEqual({ CALENDLY: 'TH', SIAM_CHAT: 'TH' });
  });

  it('name the bad variable', () => {
    expect(problemsOf({ PARTNER_PHONE_REGION: 'XX' })).toEqual([
      expect.stringMatching(/^PARTNER_PHONE_REGION="XX": must be a region code/),
    ]);
    expect(problemsOf({ PARTNER_PHONE_REGIONS: 'CALENDLY:TH' })).toEqual([
      expect.stringMatching(/^PARTNER_PHONE_REGIONS=.*"CALENDLY:TH" is not SOURCE=REGION/),
    ]);
    expect(problemsOf({ PARTNER_PHONE_REGIONS: 'CALENDLY=XX' })).toHaveLength(1);
  });
});

import { ConfigError, env, parseEnv, z } from './index';

const schema = z.object({
  PORT: env.port(4000),
  DATABASE_URL: env.postgresUrl(),
  KAFKA_BROKERS: env.kafkaBrokers(),
  LOG_LEVEL: env.logLevel(),
  OUTBOX_ENABLED: env.boolean(true),
});

describe('parseEnv', () => {
  it('parses, coerces and applies defaults', () => {
    const cfg = parseEnv(schema, {
      DATABASE_URL: 'postgres://u@127.0.0.1:5432/claims',
      KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.1:9093',
      OUTBOX_ENABLED: 'no',
    });
    expect(cfg).toEqual({
      PORT: 4000,
      DATABASE_URL: 'postgres://u@127.0.0.1:5432/claims',
      KAFKA_BROKERS: ['127.0.0.1:9092', '127.0.0.1:9093'],
      LOG_LEVEL: 'info',
      OUTBOX_ENABLED: false,
    });
  });

  it('names every bad variable at once, with the value it got', () => {
    let error: unknown;
    try {
      parseEnv(schema, {
        PORT: '99999',
        DATABASE_URL: 'mysql://x',
        KAFKA_BROKERS: 'nohostport',
        LOG_LEVEL: 'loud',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect((error as ConfigError).code).toBe('CONFIG.INVALID');
    expect(problems).toContain('PORT="99999"');
    expect(problems).toContain('DATABASE_URL="mysql://x"');
    expect(problems).toContain('KAFKA_BROKERS="nohostport"');
    expect(problems).toContain('LOG_LEVEL="loud"');
  });

  it('reports a missing required variable', () => {
    expect(() => parseEnv(schema, { KAFKA_BROKERS: 'k:1' })).toThrow(/DATABASE_URL: /);
  });
});

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

  it('never prints a secret, nor a URL that carries a password', () => {
    const secrets = z.object({
      INTERNAL_TOKEN_SECRET: z.string().min(32),
      DATABASE_URL: env.postgresUrl().refine(() => false, 'unreachable'),
    });
    let error: unknown;
    try {
      parseEnv(secrets, {
        INTERNAL_TOKEN_SECRET: 'hunter2',
        DATABASE_URL: 'postgres://crm:s3cr3t@db:5432/claims',
      });
    } catch (e) {
      error = e;
    }
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('INTERNAL_TOKEN_SECRET=(secret, 7 characters)');
    expect(problems).toContain('DATABASE_URL=(secret, 36 characters)');
    expect(problems).not.toMatch(/hunter2|s3cr3t/);
  });

  it('refuses in production a secret committed for development, and keeps it elsewhere', () => {
    const service = z.object({
      NODE_ENV: env.nodeEnv(),
      DATABASE_URL: env.postgresUrl(),
      JWT_SECRET: z.string().min(32),
      LOG_LEVEL: env.logLevel(),
    });
    const committed = {
      DATABASE_URL: 'postgres://claims:crm-dev-only@postgres:5432/claims',
      JWT_SECRET: 'dev-only-jwt-secret-change-me-0123456789abcdef',
      LOG_LEVEL: 'info',
    };
    expect(parseEnv(service, committed).JWT_SECRET).toBe(committed.JWT_SECRET);
    let error: unknown;
    try {
      parseEnv(service, { ...committed, NODE_ENV: 'production' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.split(':')[0])).toEqual([
      'DATABASE_URL',
      'JWT_SECRET',
    ]);
    expect((error as ConfigError).problems.join('\n')).not.toContain('crm-dev-only@');
    const real = {
      DATABASE_URL: 'postgres://claims:Xk29fj3@db:5432/claims',
      JWT_SECRET: 'z'.repeat(40),
      LOG_LEVEL: 'info',
    };
    expect(parseEnv(service, { ...real, NODE_ENV: 'production' }).NODE_ENV).toBe('production');
  });
});

// What tools/test.mjs hands to the integration tier.
export interface IntegrationEnv {
  pgAdminUrl: string;
  kafkaBrokers: string[];
  runId: string;
}

export function integrationEnv(): IntegrationEnv {
  const pgAdminUrl = process.env.TEST_PG_ADMIN_URL;
  const brokers = process.env.KAFKA_BROKERS;
  if (!pgAdminUrl || !brokers) {
    throw new Error(
      'integration tests need TEST_PG_ADMIN_URL and KAFKA_BROKERS: run them with `npm test` or `npm run test:int`, which provide a real PostgreSQL and Kafka broker',
    );
  }
  return {
    pgAdminUrl,
    kafkaBrokers: brokers.split(',').map((b) => b.trim()),
    runId: process.env.TEST_RUN_ID ?? `local${process.pid}`,
  };
}

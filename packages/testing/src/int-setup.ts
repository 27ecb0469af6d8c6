// Runs before every integration test file: both real dependencies must answer, or the file
// fails at once with a message naming the missing one (never a hang on a dead socket).
import { integrationEnv } from './env';
import { postgresError, tcpAnswers } from './probe';

beforeAll(async () => {
  const { pgAdminUrl, kafkaBrokers } = integrationEnv();
  const [broker] = kafkaBrokers;
  if (!broker || !(await tcpAnswers(broker, 3000))) {
    throw new Error(
      `the Kafka broker at ${kafkaBrokers.join(',')} is not answering (npm run kafka:start starts one)`,
    );
  }
  const pgError = await postgresError(pgAdminUrl);
  if (pgError) throw new Error(`PostgreSQL is not answering: ${pgError}`);
});

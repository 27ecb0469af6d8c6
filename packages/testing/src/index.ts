export { integrationEnv, type IntegrationEnv } from './env';
export { randomSuffix, withoutRandomTokens } from './ids';
export {
  assertTestDatabase,
  createTestDatabase,
  migrateFrom,
  tablesText,
  type TestDatabase,
} from './database';
export {
  testKafka,
  testTopics,
  randomTopicName,
  randomGroupId,
  deleteNamespaceTopics,
  namespaceRecords,
  type TestTopics,
  type TopicRecord,
} from './kafka';
export { waitFor, waitForCount, withTimeout } from './wait';
export { perFile } from './per-file';
export {
  CLEAR_BY_DESIGN,
  databaseText,
  findingsIn,
  identifiersIn,
  scanForPersonalData,
  type PersonalDataFinding,
} from './personal-data-scan';
export { hoursAgo } from './time';
export { measureAudio, type AudioMeasure } from './audio';
export {
  startElevenLabsStub,
  type ElevenLabsStub,
  type ElevenLabsStubOptions,
  type StubFailure,
  type StubRequest,
} from './elevenlabs-stub';
export { lockWaiters, postgresError, tcpAnswers, type LockWaitFilter, type SqlRows } from './probe';
export {
  compiledEntry,
  freePort,
  runtimeArgs,
  startProcess,
  type ProcessRuntime,
  type RunningProcess,
  type StartProcessOptions,
} from './processes';
export {
  graphqlClient,
  startGatewayProcess,
  startSubgraphProcess,
  plannedPorts,
  serviceUrlsOf,
  SYSTEM_SERVICES,
  type GatewayProcessOptions,
  type GraphQLCall,
  type SubgraphProcessOptions,
} from './system';
export {
  startLoneService,
  startReplicatedSystem,
  startSystem,
  type GatewayReplica,
  type LoneService,
  type ReplicatedSystem,
  type RunningSystem,
} from './replicas';
export {
  callSubgraph,
  startServiceForTest,
  TEST_INTERNAL_KEYS,
  TEST_TOKENS,
  type OutboxRow,
  type ServiceHarness,
  type ServiceHarnessOptions,
  type GqlError,
  type GqlResult,
} from './service-harness';
export { problemsOf } from './validation';
export type { TypedDocumentNode } from '@graphql-typed-document-node/core';
export { SubscriptionRecorder } from './subscription-recorder';
export { startPrivateBroker, type PrivateBroker } from './private-broker';
export { parseMetrics, samplesOf, scrapeMetrics, type ScrapedFamily, type ScrapedSample } from './metrics';
export { OTLP_KIND, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './otlp-receiver';

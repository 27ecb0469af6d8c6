export {
  startSubgraphServer,
  stopOnSignals,
  formatSubgraphError,
  type BaseContext,
  type HealthCheck,
  type HttpRoute,
  type SubgraphServer,
  type SubgraphServerOptions,
} from './server';
export { DomainError, ValidationError, type FieldProblem } from './errors';
export {
  assertNotStale,
  COMMON_ERRORS,
  defineErrors,
  httpStatus,
  type CommonErrorCode,
  type ErrorCatalog,
  type ErrorKind,
  type ErrorSpec,
} from './error-codes';
export { parseInput } from './validation';
export { loaderById, loaderByParent } from './loaders';
export {
  connection,
  encodeCursor,
  decodeCursor,
  pageSize,
  type Connection,
  type PageArgs,
} from './pagination';
export { isUuid, uuidsOnly } from './ids';
export { default as gql } from 'graphql-tag';
export {
  DateTimeScalar,
  DateScalar,
  DecimalScalar,
  JSONScalar,
  scalarResolvers,
  scalarTypeDefs,
} from './scalars';
export {
  runServiceMain,
  startService,
  subgraphServiceEnv,
  vaultOf,
  type AnyServiceDefinition,
  type ServiceDefinition,
  type ServiceParts,
  type ServiceRuntime,
  type RunningService,
  type StartServiceOptions,
  type SubgraphServiceEnv,
} from './service';
export { executeGraphQLHttp, listen, readBody, readGraphQLBody, sendJson, sendGraphQLError } from './http';
export { actorOf } from './actor';
export { callerOf, callerOfEvent, eventOptions, systemCaller, type Caller } from './caller';
export {
  ERASURE_PROOFS,
  erasureProof,
  LEAD_ERASURE_PROOFS,
  leadErasureProof,
  subscribeClientErasure,
  type ErasureHandlers,
  type ErasureProofType,
} from './erasure';
export {
  CONNECTION_INIT_TIMEOUT_MS,
  startSubscriptionServer,
  type SubscriptionServer,
} from './subscriptions';
export { PushIterator } from './push-iterator';
export { PeriodicTask } from './periodic';
export { enumMapping, type EnumMapping } from './enum-mapping';
// the seed's spelling of the enumerations the services and the REST facade share: constants only
export * from './seed-values';
export {
  anyCaller,
  chatWidget,
  either,
  enforcePolicies,
  federation,
  missingPolicies,
  ownerOrStaff,
  policyOf,
  roles,
  schemaFields,
  staff,
  staffOrClients,
  theConversation,
  staffOrTheClient,
  supervisors,
  unusedPolicies,
  type Policy,
  type PolicyMap,
} from './policies';
export {
  LATENCY_BUCKETS,
  METRICS_PATH,
  metricsAllowed,
  OperationLabels,
  ProcessMetrics,
  serveMetrics,
  type ProcessMetricsOptions,
} from './metrics';
export { BoundedCache, MIB, type MeasuredCache } from './caches';
export { operationSpanPlugin, traceGraphQLRequest } from './tracing';
export {
  auditPlugin,
  auditWriterOf,
  auditRecordsOf,
  auditTrailLoader,
  MAX_AUDIT_TRAIL,
  type AuditChangeReveal,
  type AuditFieldChangeView,
  type AuditPluginOptions,
  type AuditRecordView,
} from './audit';
export {
  audited,
  AuditNotes,
  auditFieldName,
  changedFields,
  revealFieldChanges,
  sealChangedFields,
  sealFieldChanges,
  sealFieldChangesIfLive,
  type AuditedOutcome,
  type TransactionRunner,
} from './audit-notes';
export { eventKeysOf, keyReleaseOf, parseServiceUrls, type EventKeysSettings } from './event-keys';

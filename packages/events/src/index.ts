export {
  createEventBackbone,
  type EventBackbone,
  type EventBackboneSettings,
  type BackboneHealth,
} from './backbone';
export {
  newEvent,
  causedBy,
  partnerEventId,
  type EventEnvelope,
  type AnyEvent,
  type Actor,
  type NewEventOptions,
  type PartnerEventType,
} from './envelope';
export {
  fromPartnerMessage,
  identityNotesOf,
  partnerMessageKey,
  type IdentityNote,
  type PartnerDecodeOptions,
} from './partner';
export { optionalContractTerms, type OptionalContractTerms } from './contract-terms';
export { EventError, rejectEvent, isRetriable, type EventErrorCode } from './errors';
export {
  validateEvent,
  compileEventSchemas,
  validatePartnerMessage,
  decodeEvent,
  PARTNER_MESSAGE_MAX_BYTES,
  type WireFormat,
} from './schema/validation';
export {
  TOPIC_CATALOG,
  prefixedCatalog,
  topicForEventType,
  topicSpec,
  declaredTopics,
  dlqTopicOf,
  provisionTopics,
  createTopicsAndWait,
  type TopicCatalog,
  type TopicSpec,
  type ProvisionResult,
} from './catalog';
export {
  SUBSCRIPTION_CATALOG,
  declaredSubscription,
  assertDeclaredSubscription,
  readsPersonalEventsOf,
  type SubscriptionSpec,
} from './subscriptions';
export {
  EVENT_BACKBONE_MIGRATIONS,
  CreateEventBackbone1763700000000,
  OUTBOX_TABLE,
  PROCESSED_TABLE,
} from './outbox/migrations';
export { Outbox } from './outbox/outbox';
export {
  ERASED_EVENT,
  openEvent,
  personalDataOf,
  sealedPartName,
  sealEvent,
  stripEvent,
  type EventFieldReader,
  type EventFieldWriter,
  type EventKeys,
} from './privacy/sealing';
export {
  deadLetterSubject,
  expiredUnidentifiedSubjects,
  openPartnerDeadLetter,
  partnerSubject,
  sealPartnerDeadLetter,
  unidentifiedSubject,
  PARTNER_DEAD_LETTER_FIELD,
  SEALED_BY_HEADER,
  SEALED_SUBJECT_HEADER,
  type PartnerRecord,
  type SealedDeadLetter,
} from './privacy/partner-dead-letters';
export { OutboxRelay, type RelayOptions, type OutboxStats } from './outbox/relay';
export {
  EventConsumer,
  type EventHandler,
  type SubscribeOptions,
  type ConsumerHealth,
  type ConsumerStatus,
} from './consumer/consumer';
export { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './consumer/backoff';
export { BackboneMetrics, reportIdentityNotes } from './metrics';
export {
  type Transport,
  type OutgoingRecord,
  type DeliveredMessage,
  type TransportSubscription,
} from './transport/transport';
export { MemoryTransport, partitionOf, type MemoryTransportOptions } from './transport/memory.transport';
export {
  KafkaTransport,
  PRODUCTION_RETRY,
  readTopicsToEnd,
  type KafkaTransportOptions,
} from './transport/kafka.transport';
export * from './generated/schemas.generated';

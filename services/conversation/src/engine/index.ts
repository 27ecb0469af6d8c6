// Public API of the conversation engine (pure; see docs/conversation-engine.md).
export { AUTONOMOUS_COLLISION_SCRIPT, DUPONT_LOGIN } from './demo-scripts';
export { type ConversationStart, handleTurn, resumeConversation, startConversation } from './dialogue';
export { fr } from './messages.fr';
export {
  type DirectoryResultInput,
  type EngineInput,
  type PinResultInput,
  type EngineOptions,
  type TurnResult,
  type UserMessageInput,
  DEFAULT_ENGINE_OPTIONS,
} from './turn';
export { claimFactsOf } from './phases/decision';
export type {
  CollectedData,
  ConversationContext,
  ConversationMessage,
  ConversationStatus,
  DecisionLabel,
  DialogueState,
  Phase,
  Step,
} from './context';
export { authenticatorOf } from './directory';
export type {
  AuthenticationAnswer,
  Authenticator,
  ClaimStatus,
  ContractStatus,
  ContractType,
  DirectoryClaim,
  DirectoryClient,
  DirectoryContract,
  DirectoryLookup,
  DirectoryLookupRequest,
  EngineRequest,
  PinCheckRequest,
} from './directory';
export type {
  EngineOutcome,
  HandoffReason,
  HandoffRequested,
  IntakeClaim,
  IntakeCompleted,
  IntakeDecision,
} from './outcomes';
export { type AsyncAuthenticator, respond, respondAsync } from './session';
export {
  type SeedCollectedData,
  type SeedContext,
  type SeedMessage,
  fromSeedContext,
  toSeedCollected,
  toSeedContext,
} from './seed-context';
export { DEMO_DIRECTORY, demoLookup } from './demo-directory';
export { type ClaimType, CLAIM_TYPES, parseClaimType } from './nlu/claim-type';
export { parseConfirmation } from './nlu/confirm';
export { parseDateTime, type ParsedDateTime } from './nlu/dates';
export { parseMatricule } from './nlu/matricule';
export { parsePin, PIN_MASK } from './nlu/pin';
export { evaluateCorpus, validateCorpus, type EvaluationReport, type NluCorpus } from './nlu/evaluate';

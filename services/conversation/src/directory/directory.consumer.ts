// Feeds the directory projection from identity's and claims' events (the personal code's hash
// included: ClientPinChanged); ClientErased also erases what the client said to the bot and to
// advisors (docs/security.md, Erasure). Idempotent by construction: the backbone records (consumer,
// event id) in the same transaction as these writes. Order-safe per client: every event carries
// the whole state it describes and writes are conditional on the event's time
// (DirectoryRepository), an erased client stays erased, and a contract, a claim or a code may
// arrive before its client.
import {
  optionalContractTerms,
  rejectEvent,
  topicForEventType,
  type AnyEvent,
  type EventEnvelope,
  type EventType,
} from '@crm/events';
import type { PersonalDataVault } from '@crm/privacy';
import { erasureProof, type ServiceRuntime, isUuid } from '@crm/subgraph';
import { type EntityManager } from 'typeorm';
import { AuthenticationRepository } from '../authentication/authentication.repository';
import { ConversationRepository } from '../conversation/conversation.repository';
import { DirectoryRepository } from './directory.repository';
import type { AudioStore } from '../voice/voice.ports';
import { clientStatusValue, contractStatusValue, contractTypeValue } from './directory.rules';

export const DIRECTORY_CONSUMER = 'conversation.directory';
export const DIRECTORY_EVENT_TYPES = [
  'ClientRegistered',
  'ClientUpdated',
  'ClientErased',
  'ClientPinChanged',
  'ContractIssued',
  'ClaimOpened',
  'ClaimStatusChanged',
  'ClaimArchived',
] as const satisfies readonly EventType[];

type DirectoryEventType = (typeof DIRECTORY_EVENT_TYPES)[number];
type DirectoryEvent = EventEnvelope<DirectoryEventType>;

const isDirectoryEvent = (event: AnyEvent): event is DirectoryEvent =>
  (DIRECTORY_EVENT_TYPES as readonly string[]).includes(event.type);

/** The client an event is about, when it names one (ClaimStatusChanged may not). */
const clientOf = (event: DirectoryEvent): string | undefined =>
  'clientId' in event.data && typeof event.data.clientId === 'string' ? event.data.clientId : undefined;

function idsOf(event: DirectoryEvent): string[] {
  switch (event.type) {
    case 'ClientRegistered':
    case 'ClientUpdated':
    case 'ClientErased':
    case 'ClientPinChanged':
      return [event.data.clientId];
    case 'ContractIssued':
      return [event.data.contractId, event.data.clientId];
    case 'ClaimOpened':
      return [event.data.claimId, event.data.clientId];
    case 'ClaimStatusChanged':
    case 'ClaimArchived':
      return [event.data.claimId];
  }
}

export async function applyDirectoryEvent(
  event: AnyEvent,
  manager: EntityManager,
  repo: DirectoryRepository,
  authentication: AuthenticationRepository,
  conversations: ConversationRepository,
  /** publishes the erasure's proof (ConversationsErased) in the same transaction */
  erased: (manager: EntityManager, erasure: EventEnvelope<'ClientErased'>, items: number) => Promise<void>,
  /** the audio store: an erased client's clips are deleted from it */
  audio?: Pick<AudioStore, 'delete'>,
): Promise<void> {
  if (!isDirectoryEvent(event)) return;
  // our ids are UUIDs; anything else can never be stored: dead-letter it at once, no retries
  for (const id of idsOf(event))
    if (!isUuid(id)) throw rejectEvent(`${event.type} ${event.id}: ${id} is not a UUID`);
  const at = new Date(event.occurredAt);
  const clientId = clientOf(event);
  if (clientId) await repo.lockClient(manager, clientId);
  switch (event.type) {
    case 'ClientRegistered':
    case 'ClientUpdated': {
      const d = event.data;
      if (await repo.isErased(manager, d.clientId)) return;
      await repo.upsertClient(
        manager,
        {
          clientId: d.clientId,
          matricule: d.matricule,
          civility: d.civility ?? null,
          lastName: d.lastName,
          firstName: d.firstName,
          status: clientStatusValue(d.status),
          phone: d.phone ?? null,
        },
        at,
      );
      return;
    }
    case 'ClientErased': {
      // what was said in his conversations and on his claims (while the directory still knows
      // them), then what the bot kept about his matricule's failed authentications
      const done = await conversations.eraseClient(manager, event.data.clientId, at);
      // the bot's voice may have spoken his name; a retry of this event finds them gone
      await audio?.delete(done.audioKeys);
      await erased(manager, event, done.messages);
      const key = await repo.matriculeKeyOf(manager, event.data.clientId);
      await authentication.forgetClient(manager, event.data.clientId, key);
      await repo.eraseClient(manager, event.data.clientId, at);
      return;
    }
    case 'ClientPinChanged':
      if (await repo.isErased(manager, event.data.clientId)) return;
      await repo.upsertPin(manager, event.data.clientId, event.data.pinHash, at);
      return;
    case 'ContractIssued': {
      const d = event.data;
      if (await repo.isErased(manager, d.clientId)) return;
      await repo.upsertContract(
        manager,
        {
          contractId: d.contractId,
          clientId: d.clientId,
          contractNumber: d.contractNumber,
          contractType: contractTypeValue(d.type),
          status: contractStatusValue(d.status),
          subscribedOn: d.subscribedOn,
          coverages: d.coverages,
          ...optionalContractTerms(d),
        },
        at,
      );
      return;
    }
    case 'ClaimOpened': {
      const d = event.data;
      if (await repo.isErased(manager, d.clientId)) return;
      await repo.upsertClaim(
        manager,
        {
          claimId: d.claimId,
          clientId: d.clientId,
          claimNumber: d.claimNumber,
          claimType: d.claimType,
          occurredOn: d.occurredOn,
          status: d.status ?? 'NEW',
        },
        at,
      );
      return;
    }
    case 'ClaimStatusChanged':
      await repo.setClaimStatus(manager, event.data.claimId, event.data.to, at);
      return;
    case 'ClaimArchived':
      await repo.archiveClaim(manager, event.data.claimId, new Date(event.data.archivedAt));
      return;
  }
}

export async function subscribeDirectory(
  runtime: ServiceRuntime,
  vault: PersonalDataVault,
  audio?: Pick<AudioStore, 'delete'>,
): Promise<void> {
  const repo = new DirectoryRepository(runtime.dataSource.manager, vault);
  const authentication = new AuthenticationRepository(runtime.dataSource.manager);
  const conversations = new ConversationRepository(runtime.dataSource.manager, vault);
  const topics = [
    topicForEventType('ClientRegistered', runtime.events.catalog).name,
    topicForEventType('ClaimOpened', runtime.events.catalog).name,
  ];
  await runtime.events.subscribe({
    consumer: DIRECTORY_CONSUMER,
    topics,
    types: DIRECTORY_EVENT_TYPES,
    handler: (event, manager) =>
      applyDirectoryEvent(
        event,
        manager,
        repo,
        authentication,
        conversations,
        (tx, erasure, items) =>
          runtime.events.outbox.publish(tx, [
            erasureProof('conversation', DIRECTORY_CONSUMER, erasure, items, runtime.clock()),
          ]),
        audio,
      ),
  });
}

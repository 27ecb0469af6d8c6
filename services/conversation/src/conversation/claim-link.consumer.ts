// Links a bot conversation to its claim once the claims service has opened it (ClaimOpened
// for the id the conversation reserved): Claim.conversation, Claim.messages and claimHistory
// then show the declaration's transcript. Idempotent: the backbone records the event, and
// the update applies only to a conversation not linked yet.
import { topicForEventType } from '@crm/events';
import type { PersonalDataVault } from '@crm/privacy';
import { type ServiceRuntime, isUuid } from '@crm/subgraph';
import { ConversationRepository } from './conversation.repository';

export const CLAIM_LINK_CONSUMER = 'conversation.claim-links';

export async function subscribeClaimLinks(
  runtime: ServiceRuntime,
  vault: PersonalDataVault,
  repo = new ConversationRepository(runtime.dataSource.manager, vault),
): Promise<void> {
  await runtime.events.subscribe({
    consumer: CLAIM_LINK_CONSUMER,
    topics: [topicForEventType('ClaimOpened', runtime.events.catalog).name],
    types: ['ClaimOpened'],
    handler: async (event, manager) => {
      // only a UUID can be an id this service reserved
      if (event.type !== 'ClaimOpened' || !isUuid(event.data.claimId)) return;
      await repo.linkClaim(manager, event.data.claimId, new Date(event.occurredAt));
    },
  });
}

// The escalation queue's AdvisorAssigned (escalation topic): the advisor who took a claim's entry
// becomes the claim's assigned advisor (Claim.assignedAdvisor), the one who took a case's call
// request the case's owner (Case.ownerUid). Once per event (the processed-event row commits with
// the change); in order per entry (the topic's key); an older assignment never overwrites a newer
// one (assignment.rules.ts decideHolder). The claim's status is the lifecycle's: untouched.
import { topicForEventType, type EventConsumer } from '@crm/events';
import { callerOfEvent, type ServiceRuntime } from '@crm/subgraph';
import type { CaseJournal } from '../cases/case.service';
import type { ClaimService } from '../claims/claim.service';
import { assignmentFrom } from './assignment.rules';

export const ASSIGNMENT_CONSUMER = 'claims.assignments';

export function subscribeAssignments(
  runtime: ServiceRuntime,
  service: ClaimService,
  journal: CaseJournal,
): Promise<EventConsumer> {
  const { logger } = runtime;
  return runtime.events.subscribe({
    consumer: ASSIGNMENT_CONSUMER,
    topics: [topicForEventType('AdvisorAssigned', runtime.events.catalog).name],
    types: ['AdvisorAssigned'],
    handler: async (event, manager) => {
      if (event.type !== 'AdvisorAssigned') return;
      const assignment = assignmentFrom(event.data);
      // an entry about a conversation alone: no claim or case of ours yet
      if (!assignment) return;
      const { advisorId, assignedAt } = assignment;
      // whoever assigned (the queue's automatic assignment, a supervisor), in the event's chain
      const caller = callerOfEvent(ASSIGNMENT_CONSUMER, event, event.actor);
      const known = assignment.claimId
        ? (await service.assignAdvisor(manager, assignment.claimId, { advisorId, assignedAt }, caller)) !==
          null
        : await journal.assignOwner(manager, assignment.caseId!, { advisorId, assignedAt });
      if (!known) {
        logger.info(
          { claimId: assignment.claimId, caseId: assignment.caseId, eventId: event.id },
          'advisor assigned to a claim or case this service does not have: nothing to set',
        );
      }
    },
  });
}

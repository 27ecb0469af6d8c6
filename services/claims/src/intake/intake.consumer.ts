// Opens the claim the bot declared (conversation's IntakeCompleted) under the id the bot
// reserved. Once per event: the backbone's processed-events row commits in the same
// transaction as the claim; a second event for the same reserved id opens nothing either
// (ClaimService.openClaim by id). The transcript link stays the conversation's job.
import { rejectEvent, topicForEventType, type EventConsumer } from '@crm/events';
import { callerOfEvent, DomainError, type ServiceRuntime } from '@crm/subgraph';
import type { ClaimService } from '../claims/claim.service';
import { parseOpenClaim } from '../claims/claim.inputs';
import { intakeOpening } from './intake.rules';

export const INTAKE_CONSUMER = 'claims.intake';

export function subscribeIntake(
  runtime: ServiceRuntime,
  service: ClaimService,
  clock: () => Date,
): Promise<EventConsumer> {
  return runtime.events.subscribe({
    consumer: INTAKE_CONSUMER,
    topics: [topicForEventType('IntakeCompleted', runtime.events.catalog).name],
    types: ['IntakeCompleted'],
    handler: async (event, manager) => {
      if (event.type !== 'IntakeCompleted') return;
      const { input, channel, options } = intakeOpening(event.data);
      try {
        // validated like the mutation's input, but the bot may find no contract that applies
        const declaration = parseOpenClaim(input, clock(), { contractOptional: options.contractOptional });
        await service.openClaim(
          declaration,
          // the bot's declaration: its actor, in its causal chain
          callerOfEvent(INTAKE_CONSUMER, event, event.actor),
          channel,
          { id: options.id, knownFacts: options.knownFacts, manager },
        );
      } catch (err) {
        // the client was erased meanwhile: his declaration is dropped, not kept in a dead-letter
        // topic for weeks (ids only in the log)
        if (err instanceof DomainError && err.code === 'CLAIM.CLIENT_ERASED') {
          runtime.logger.warn(
            { eventId: event.id, claimId: options.id },
            'IntakeCompleted for an erased client: no claim opened, the declaration dropped',
          );
          return;
        }
        // the declaration itself is refused: retrying cannot help, the dead-letter topic keeps it
        if (err instanceof DomainError)
          throw rejectEvent(`IntakeCompleted ${event.id}: ${err.message}`, {
            code: err.code,
            details: err.details,
          });
        throw err;
      }
    },
  });
}

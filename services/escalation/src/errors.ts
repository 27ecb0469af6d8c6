// The escalation domain's error codes (docs/graph.md's table is generated from this).
import { defineErrors } from '@crm/subgraph';

export const ESCALATION_ERRORS = {
  'ESCALATION.NOT_FOUND': { kind: 'NOT_FOUND', meaning: 'no queue entry with this id' },
  'ESCALATION.ALREADY_RESOLVED': {
    kind: 'UNPROCESSABLE',
    meaning: 'the entry is resolved: escalate again to open a new one',
  },
  'ESCALATION.NOT_ASSIGNED': {
    kind: 'UNPROCESSABLE',
    meaning: 'assign the entry to an advisor before starting it',
  },
  'ESCALATION.ADVISOR_UNAVAILABLE': { kind: 'UNPROCESSABLE', meaning: 'the advisor is on a break' },
  'ESCALATION.ADVISOR_AT_CAPACITY': {
    kind: 'UNPROCESSABLE',
    meaning: 'the advisor already holds a full load',
  },
  'ESCALATION.CONFLICT': { kind: 'CONFLICT', meaning: "the claim's entry kept changing; try again" },
  'ESCALATION.CORRUPT_ROW': {
    kind: 'INTERNAL',
    meaning: 'a row holds a value outside its table (edited by hand)',
  },
  'ADVISOR.NOT_FOUND': { kind: 'NOT_FOUND', meaning: 'no advisor with this id' },
  'ADVISOR.EMAIL_TAKEN': { kind: 'CONFLICT', meaning: 'another advisor has this e-mail address' },
} as const;

export const { error: escalationError, notFound } = defineErrors(ESCALATION_ERRORS);

// The claims domain's error codes (docs/graph.md's table is generated from this).
import { defineErrors } from '@crm/subgraph';

export const CLAIMS_ERRORS = {
  'CLAIM.NOT_FOUND': { kind: 'NOT_FOUND', meaning: 'no claim with this id or number' },
  'CLAIM.ARCHIVED': { kind: 'UNPROCESSABLE', meaning: 'the claim is archived: it no longer changes' },
  'CLAIM.CLIENT_ERASED': {
    kind: 'UNPROCESSABLE',
    meaning:
      'the client was erased (GDPR): no claim is opened for him, and his claims take no new words about him (description, place, photos, reasons, activity texts); amounts, dates and statuses still change',
  },
  'CLAIM.INVALID_TRANSITION': {
    kind: 'UNPROCESSABLE',
    meaning: "the status change is not one the claim's lifecycle allows from where it is",
  },
  'CLAIM.ID_CONFLICT': {
    kind: 'CONFLICT',
    meaning: 'the id reserved for this claim belongs to another client',
  },
  'CASE.NOT_FOUND': { kind: 'NOT_FOUND', meaning: 'no case with this id' },
  'CASE.PARTNER_MESSAGE_INVALID': {
    kind: 'UNPROCESSABLE',
    meaning:
      "the partner's message is not in the partner format, has no usable e-mail or a payload not of its type (details.code: the EVENT code, as the partner topic's consumer would dead-letter it)",
  },
  'CASE.PARTNER_SOURCE_MISMATCH': {
    kind: 'FORBIDDEN',
    meaning: "a partner sends only its own source's messages (the message's source is not the caller's)",
  },
  'CLAIM.ACTION_NOT_FOUND': { kind: 'NOT_FOUND', meaning: 'no recommended action with this id' },
  'CLAIM.ACTION_CLOSED': {
    kind: 'UNPROCESSABLE',
    meaning: 'the recommended action is already done or ignored: it no longer changes',
  },
} as const;

export const { error: claimsError, notFound } = defineErrors(CLAIMS_ERRORS);

// The identity domain's error codes (docs/graph.md's table is generated from this).
import { defineErrors } from '@crm/subgraph';

export const IDENTITY_ERRORS = {
  'CLIENT.NOT_FOUND': { kind: 'NOT_FOUND', meaning: 'no client with this id' },
  'CLIENT.MATRICULE_TAKEN': { kind: 'CONFLICT', meaning: 'another client has this matricule' },
  'CLIENT.ERASED': {
    kind: 'UNPROCESSABLE',
    meaning: 'the client was erased (GDPR): nothing about them changes any more',
  },
  'CONTRACT.NUMBER_TAKEN': { kind: 'CONFLICT', meaning: 'another contract has this number' },
} as const;

export const { error: identityError, notFound } = defineErrors(IDENTITY_ERRORS);

// The directory port. The engine never calls the identity service: the conversation service
// keeps a local projection of clients, contracts and claims (fed by ClientRegistered,
// ContractIssued, ClaimOpened... events) and answers the engine's lookup requests from it.
// The engine stays pure: a turn that needs the directory returns a DirectoryLookupRequest,
// and the caller feeds the answer back as the next input (a `directory_result`).
import type { ClaimType } from './nlu/claim-type';

export type ContractType = 'auto' | 'habitation' | 'autre';
export type ContractStatus = 'actif' | 'suspendu' | 'résilié';

export interface DirectoryContract {
  contractId: string;
  /** numero_contrat, said to the client during identity confirmation. */
  contractNumber: string;
  type: ContractType;
  status: ContractStatus;
  /** date_souscription, "YYYY-MM-DD": "assuré depuis ...". */
  startDate: string;
}

/** ClaimStatus of the claims service (glossary: status_dossier). */
export type ClaimStatus =
  'NEW' | 'IN_PROGRESS' | 'EXPERT_REVIEW' | 'VALIDATION' | 'CLOSED' | 'ESCALATED' | 'AWAITING_CLIENT';

export interface DirectoryClaim {
  claimId: string;
  claimNumber: string;
  claimType: ClaimType;
  /** Date of the event, "YYYY-MM-DD". */
  occurredOn: string;
  status: ClaimStatus;
}

export interface DirectoryClient {
  clientId: string;
  matricule: string;
  /** "M." or "Mme" (seed clients.civilite); anything else is read as neutral. */
  civility: string | null;
  lastName: string;
  firstName: string;
  contracts: DirectoryContract[];
  /** The client's claims, for follow-up questions and the prior-claims count. */
  claims: DirectoryClaim[];
}

/** Returned by a turn that needs the directory; answer with a `directory_result` input. */
export interface DirectoryLookupRequest {
  kind: 'directory_lookup';
  /** Canonical "AB-123-CD". */
  matricule: string;
}

/** A synchronous directory, for callers that hold the projection in memory (CLI, tests, bench). */
export type DirectoryLookup = (matricule: string) => DirectoryClient | null;

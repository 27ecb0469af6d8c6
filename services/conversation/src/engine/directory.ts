// The directory port. The engine never calls the identity service: the conversation service
// keeps a local projection of clients, contracts and claims (fed by ClientRegistered,
// ContractIssued, ClaimOpened... events) and answers the engine's lookup requests from it.
// The engine stays pure: a turn that needs the directory returns a DirectoryLookupRequest (or,
// for a client's personal code, a PinCheckRequest), and the caller feeds the answer back as the
// next input (a `directory_result`, a `pin_result`). The caller also decides what the engine
// must not know: whether an unknown matricule exists, whether a code was right, whether the
// matricule is locked after too many failures (docs/security.md).
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
  /** The client's postal address, when the projection has it: "devant chez moi" is then named. */
  address?: string | null;
  /** The client's claims, for follow-up questions and the prior-claims count. */
  claims: DirectoryClaim[];
}

/** Returned by a turn that needs the directory; answer with a `directory_result` input. */
export interface DirectoryLookupRequest {
  kind: 'directory_lookup';
  /** Canonical "AB-123-CD". */
  matricule: string;
}

/** Returned by a turn that read a personal code; answer with a `pin_result` input. */
export interface PinCheckRequest {
  kind: 'pin_check';
  /** Canonical "AB-123-CD": the matricule the code is for. */
  matricule: string;
  /** The digits the person gave. Never stored: the transcript keeps a mask in its place. */
  pin: string;
}

export type EngineRequest = DirectoryLookupRequest | PinCheckRequest;

/**
 * What the caller answers to a lookup or a code check. `client` is the record the bot may read
 * back (null: it may not, the engine then asks for the personal code, or says the neutral
 * failure words after a code); `locked`: too many failures for this matricule or address, the
 * bot stops trying and offers an advisor.
 */
export interface AuthenticationAnswer {
  client: DirectoryClient | null;
  locked?: boolean;
}

/** A synchronous directory, for callers that hold the projection in memory (CLI, tests, bench). */
export type DirectoryLookup = (matricule: string) => DirectoryClient | null;

/** The caller's side of authentication, answered synchronously (respond). */
export interface Authenticator {
  /** A client with a code, or an unknown matricule, answers { client: null }: the same. */
  lookup(matricule: string): AuthenticationAnswer;
  /** { client } when the code is the client's, else { client: null }. */
  checkPin(matricule: string, pin: string): AuthenticationAnswer;
}

/**
 * A plain directory (no personal codes, no failure counting) as an authenticator: a client
 * found is read back, an unknown matricule is asked for a code that nothing can match.
 */
export const authenticatorOf = (directory: DirectoryLookup): Authenticator => ({
  lookup: (matricule) => ({ client: directory(matricule) }),
  checkPin: () => ({ client: null }),
});

import { CreateClaims1763800000000 } from './1763800000000-CreateClaims';
import { ClaimLifecycle1764000000000 } from './1764000000000-ClaimLifecycle';
import { CaseJournal1764100000000 } from './1764100000000-CaseJournal';
import { ClaimDelayTimer1764200000000 } from './1764200000000-ClaimDelayTimer';
import { ClaimActivity1764300000000 } from './1764300000000-ClaimActivity';
import { CaseEventNotes1764400000000 } from './1764400000000-CaseEventNotes';
import { AdvisorAssignment1764500000000 } from './1764500000000-AdvisorAssignment';
import { ActionFollowUp1764600000000 } from './1764600000000-ActionFollowUp';
import { CasesDashboard1764700000000 } from './1764700000000-CasesDashboard';
import { AuditLog1767000000000 } from './1767000000000-AuditLog';
import { ClaimActivityRows1767300000000 } from './1767300000000-ClaimActivityRows';
import { ClientErasure1767400000000 } from './1767400000000-ClientErasure';
import { ErasedClients1767600000000 } from './1767600000000-ErasedClients';
import { PrivacyKeys1767700000000 } from './1767700000000-PrivacyKeys';
import { encryptClaimsMigration } from './1767700001000-EncryptClaims';
import { encryptCaseJournalMigration } from './1767800002000-EncryptCaseJournal';
import { CaseLeadLinks1767900003000 } from './1767900003000-CaseLeadLinks';
import { ClaimOccurredTimeKnown1768000000000 } from './1768000000000-ClaimOccurredTimeKnown';
import type { KeyWrapper } from '@crm/privacy';

/**
 * In order; appended after the event backbone's by startService. The wrapper is the service's
 * master key ring: EncryptClaims and EncryptCaseJournal seal existing rows with it.
 */
export const claimsMigrations = (wrapper: KeyWrapper) => [
  CreateClaims1763800000000,
  ClaimLifecycle1764000000000,
  CaseJournal1764100000000,
  ClaimDelayTimer1764200000000,
  ClaimActivity1764300000000,
  CaseEventNotes1764400000000,
  AdvisorAssignment1764500000000,
  ActionFollowUp1764600000000,
  CasesDashboard1764700000000,
  AuditLog1767000000000,
  ClaimActivityRows1767300000000,
  ClientErasure1767400000000,
  ErasedClients1767600000000,
  PrivacyKeys1767700000000,
  encryptClaimsMigration(wrapper),
  encryptCaseJournalMigration(wrapper),
  CaseLeadLinks1767900003000,
  ClaimOccurredTimeKnown1768000000000,
];

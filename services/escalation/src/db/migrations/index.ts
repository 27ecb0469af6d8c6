import { CreateEscalation1763900000000 } from './1763900000000-CreateEscalation';
import { CallRequests1764000000000 } from './1764000000000-CallRequests';
import { ConversationHandoffs1764100000000 } from './1764100000000-ConversationHandoffs';
import { LiveHandoff1764200000000 } from './1764200000000-LiveHandoff';
import { AuditLog1767000000000 } from './1767000000000-AuditLog';
import { PrivacyKeys1767700000000 } from './1767700000000-PrivacyKeys';
import { encryptEscalationsMigration } from './1767700001000-EncryptEscalations';
import type { KeyWrapper } from '@crm/privacy';

/**
 * In order; a migration that has run is never edited, the next one changes it. The wrapper is
 * the service's master key ring: EncryptEscalations seals existing rows with it.
 */
export const escalationMigrations = (wrapper: KeyWrapper) => [
  CreateEscalation1763900000000,
  CallRequests1764000000000,
  ConversationHandoffs1764100000000,
  LiveHandoff1764200000000,
  AuditLog1767000000000,
  PrivacyKeys1767700000000,
  encryptEscalationsMigration(wrapper),
];

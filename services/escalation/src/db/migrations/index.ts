import { CreateEscalation1763900000000 } from './1763900000000-CreateEscalation';
import { CallRequests1764000000000 } from './1764000000000-CallRequests';
import { ConversationHandoffs1764100000000 } from './1764100000000-ConversationHandoffs';
import { LiveHandoff1764200000000 } from './1764200000000-LiveHandoff';
import { AuditLog1767000000000 } from './1767000000000-AuditLog';

/** In order; a migration that has run is never edited, the next one changes it. */
export const ESCALATION_MIGRATIONS = [
  CreateEscalation1763900000000,
  CallRequests1764000000000,
  ConversationHandoffs1764100000000,
  LiveHandoff1764200000000,
  AuditLog1767000000000,
];

import type { Outbox } from '@crm/events';
import type { PersonalDataVault } from '@crm/privacy';
import type { DataSource } from 'typeorm';

/** What the identity services need from the runtime; tests inject a clock or a failing outbox. */
export interface IdentityDeps {
  dataSource: DataSource;
  outbox: Pick<Outbox, 'publish'>;
  clock: () => Date;
  /** clients' and leads' personal data: per-person data keys, blind indexes, shredding (docs/privacy.md) */
  vault: PersonalDataVault;
}

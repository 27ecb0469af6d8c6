import { PrivacyKeysMigration } from '@crm/privacy';

/** Issue 18: the data keys of what reimbursements say in words, wrapped under the master key (docs/privacy.md). */
export class PrivacyKeys1767800000000 extends PrivacyKeysMigration {
  name = 'PrivacyKeys1767800000000';
}

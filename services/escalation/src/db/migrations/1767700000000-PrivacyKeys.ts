import { PrivacyKeysMigration } from '@crm/privacy';

/** Issue 18: the data keys of the queue's words, wrapped under the master key (docs/privacy.md). */
export class PrivacyKeys1767700000000 extends PrivacyKeysMigration {
  name = 'PrivacyKeys1767700000000';
}

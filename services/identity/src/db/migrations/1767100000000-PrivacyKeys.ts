import { PrivacyKeysMigration } from '@crm/privacy';

/** Issue 18: the clients' data keys, wrapped under the master key (docs/privacy.md). */
export class PrivacyKeys1767100000000 extends PrivacyKeysMigration {
  name = 'PrivacyKeys1767100000000';
}

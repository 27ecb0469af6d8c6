import { PrivacyKeysMigration } from '@crm/privacy';

/** Issue 18: the data keys of the clients the directory copies, wrapped under the master key (docs/privacy.md). */
export class PrivacyKeys1767500000000 extends PrivacyKeysMigration {
  name = 'PrivacyKeys1767500000000';
}

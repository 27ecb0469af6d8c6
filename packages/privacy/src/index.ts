export { blindIndex, normalizeForIndex } from './blind-index';
export { BoundedCache } from './cache';
export { openOnRead } from './open-on-read';
export { CiphertextError, MasterKeyUnknownError, SubjectErasedError } from './errors';
export {
  BYTES_PREFIX,
  decryptBytes,
  decryptField,
  encryptBytes,
  encryptField,
  FIELD_PREFIX,
  isBytesCiphertext,
  isFieldCiphertext,
} from './field-cipher';
export {
  MemoryKeyStore,
  PgKeyStore,
  PRIVACY_KEYS_TABLE,
  type KeyStore,
  type Sql,
  type StoredKey,
} from './key-store';
export {
  DEV_EVENT_KEYS_SECRET,
  eventKeysSecretOf,
  KEY_RELEASE_MAX_BODY_BYTES,
  KEY_RELEASE_PATH,
  KeyReleaseClient,
  KeyReleaseError,
  KeyReleaseServer,
  type KeyReleaseClientOptions,
  type KeyReleaseErrorCode,
  type KeyReleaseServerOptions,
} from './key-release';
export { LocalKeyWrapper, type KeyWrapper, type WrappedKey } from './key-wrapper';
export {
  checkPrivacyEnv,
  DEV_MASTER_KEY_ID,
  devMasterKeyRing,
  ensureLocalMasterKeyFile,
  KEY_BYTES,
  loadEnvWithMasterKey,
  masterKeyRingOf,
  newMasterKeyEntry,
  parseMasterKeyRing,
  privacyVariables,
  type MasterKeyRing,
  type PrivacyEnv,
} from './master-keys';
export { PrivacyKeysMigration } from './migration';
export {
  devServicePrivacy,
  freshServicePrivacy,
  servicePrivacyOf,
  serviceVault,
  type ServicePrivacy,
} from './service-privacy';
export {
  ERASED,
  PersonalDataVault,
  type FieldReader,
  type FieldWriter,
  type Revealed,
  type VaultOptions,
} from './vault';

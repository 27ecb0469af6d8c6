// What a service holding personal data is configured with (its environment's privacyVariables):
// the master key ring that wraps its data keys, and how many unwrapped keys it caches, how long.
import { LocalKeyWrapper, type KeyWrapper } from './key-wrapper';
import { PgKeyStore, type Sql } from './key-store';
import {
  devMasterKeyRing,
  masterKeyRingOf,
  newMasterKeyEntry,
  parseMasterKeyRing,
  type PrivacyEnv,
} from './master-keys';
import { PersonalDataVault } from './vault';

/** A service's privacy settings, from its environment: how its data keys are wrapped and cached. */
export interface ServicePrivacy {
  wrapper: KeyWrapper;
  cacheSize: number;
  cacheTtlMs: number;
}

/** The settings a service runs with: the master key ring of its environment (docs/privacy.md). */
export const servicePrivacyOf = (
  env: PrivacyEnv & { PRIVACY_KEY_CACHE_SIZE: number; PRIVACY_KEY_CACHE_TTL_SECONDS: number },
): ServicePrivacy => ({
  wrapper: new LocalKeyWrapper(masterKeyRingOf(env)),
  cacheSize: env.PRIVACY_KEY_CACHE_SIZE,
  cacheTtlMs: env.PRIVACY_KEY_CACHE_TTL_SECONDS * 1000,
});

/** Outside production, with nothing configured: the development ring, default cache (tests). */
export const devServicePrivacy = (): ServicePrivacy => ({
  wrapper: new LocalKeyWrapper(devMasterKeyRing()),
  cacheSize: 10_000,
  cacheTtlMs: 60_000,
});

/**
 * A ring of one new random master key and no cache: the settings of a test that needs keys of
 * its own (a migration's), which nothing else can unwrap and nothing keeps between reads.
 */
export const freshServicePrivacy = (): ServicePrivacy => ({
  wrapper: new LocalKeyWrapper(parseMasterKeyRing(newMasterKeyEntry('test-1'))),
  cacheSize: 0,
  cacheTtlMs: 0,
});

/** A service's vault: its data keys in its own database (privacy_keys), as configured. */
export const serviceVault = (privacy: ServicePrivacy, db: Sql, clock?: () => Date): PersonalDataVault =>
  new PersonalDataVault({
    store: new PgKeyStore(db),
    wrapper: privacy.wrapper,
    cacheSize: privacy.cacheSize,
    cacheTtlMs: privacy.cacheTtlMs,
    ...(clock ? { clock } : {}),
  });

// The partners' dead letters (docs/privacy.md, Events): the partner-ingestion consumer seals each
// message it cannot apply under a key of claims' vault before it goes to the dead-letter topic
// (@crm/events, privacy/partner-dead-letters.ts). claims owns those keys, so it is claims that
// shreds them: a person's on his erasure (partnerKey, the digest of his e-mail, in LeadErased and
// ClientErased), and each day's key for the letters that named nobody once the dead-letter
// topic's retention is past, so no copy of them outlives it readable.
import {
  expiredUnidentifiedSubjects,
  openPartnerDeadLetter,
  partnerSubject,
  type PartnerRecord,
} from '@crm/events';
import { decryptField, type PersonalDataVault } from '@crm/privacy';
import { PeriodicTask, vaultOf, type ServiceRuntime } from '@crm/subgraph';
import type { EntityManager } from 'typeorm';
import { partnerTopicSpec } from './partner.consumer';

/** How often the expired days' keys are looked for. */
export const DEAD_LETTER_PURGE_MS = 60 * 60_000;
/** Days past the retention looked at each time: a service stopped that long still catches up. */
const DAYS_LOOKED_AT = 90;

/** The person's dead letters made unreadable, in the erasure's transaction: 1 if he had any. */
export async function erasePartnerDeadLetters(
  vault: PersonalDataVault,
  manager: EntityManager,
  partnerKey: string,
): Promise<number> {
  return (await vault.shred(partnerSubject(partnerKey), manager)) ? 1 : 0;
}

/** Shreds the keys of the days whose unidentified dead letters are past `retentionMs`; how many. */
export async function purgeUnidentifiedDeadLetters(
  vault: PersonalDataVault,
  now: Date,
  retentionMs: number,
): Promise<number> {
  const live = await vault.liveKeys(expiredUnidentifiedSubjects(now, retentionMs, DAYS_LOOKED_AT));
  let shredded = 0;
  for (const subject of live.keys()) if (await vault.shred(subject)) shredded += 1;
  return shredded;
}

/**
 * A dead letter as read from the topic, opened with claims' vault: the partner's record as it came
 * (for a person to repair and replay), or 'erased' once its key was shredded.
 */
export function openDeadLetter(
  vault: PersonalDataVault,
  record: { key: string | null; value: string; headers: Record<string, string> },
): Promise<PartnerRecord | 'erased'> {
  return openPartnerDeadLetter(record, async (subject) => {
    const key = (await vault.liveKeys([subject])).get(subject);
    return key ? { decrypt: (field, text) => decryptField(key, subject, field, text) } : 'erased';
  });
}

/** The partner dead-letter topic's retention, from the catalog the service runs with. */
export const partnerDeadLetterRetentionMs = (runtime: ServiceRuntime): number =>
  partnerTopicSpec(runtime).dlq.retentionMs;

export function deadLetterPurgeTask(
  runtime: ServiceRuntime,
  intervalMs = DEAD_LETTER_PURGE_MS,
): PeriodicTask {
  const vault = vaultOf(runtime);
  const retentionMs = partnerDeadLetterRetentionMs(runtime);
  return new PeriodicTask(
    'partner dead letters past retention',
    intervalMs,
    async () => {
      const days = await purgeUnidentifiedDeadLetters(vault, runtime.clock(), retentionMs);
      if (days)
        runtime.logger.info({ days }, 'keys of unidentified partner dead letters past retention shredded');
    },
    runtime.logger,
  );
}

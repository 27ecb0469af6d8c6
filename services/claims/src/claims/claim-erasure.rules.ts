// After the client's erasure (ClaimRepository.eraseClient, docs/security.md, Erasure) his claims
// keep what the insurer must keep and move on (amounts, dates, statuses), but take no new words
// about him: a description, a place, photos, a status change's reason, an activity's text. Pure.
import type { ClaimEntity } from './claim.entity';
import { claimsError } from '../errors';

const said = (value: unknown): boolean =>
  value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0);

/** Throws CLAIM.CLIENT_ERASED (details: id, fields) when an erased client's claim would be given words. */
export function assertNoWordsAfterErasure(
  claim: Pick<ClaimEntity, 'id' | 'clientErasedAt'>,
  words: Record<string, unknown>,
): void {
  if (!claim.clientErasedAt) return;
  const fields = Object.keys(words).filter((field) => said(words[field]));
  if (!fields.length) return;
  throw claimsError(
    'CLAIM.CLIENT_ERASED',
    `the client of claim ${claim.id} was erased: it takes no new words about him (${fields.join(', ')})`,
    { id: claim.id, fields },
  );
}

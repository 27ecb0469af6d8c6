// ETag / If-Match (RFC 9110, 8.8.3 and 13.1.1): the ETag of a resource is a strong validator,
// a hash of the exact representation GET answers with (its JSON); PUT requires If-Match with
// it, so two writers cannot silently overwrite each other: the second one's If-Match no longer
// matches (412) and he reads again. PUT without If-Match: 428 (RFC 6585).
import { createHash } from 'node:crypto';

/** The strong ETag of a JSON representation: "<base64url of its SHA-256>". */
export function etagOf(representation: unknown): string {
  const digest = createHash('sha256').update(JSON.stringify(representation)).digest('base64url');
  return `"${digest}"`;
}

/** The entity tags of an If-Match header; `*` for any; undefined when absent or empty. */
export function parseIfMatch(header: string | string[] | undefined): string[] | '*' | undefined {
  const value = (Array.isArray(header) ? header.join(',') : (header ?? '')).trim();
  if (!value) return undefined;
  if (value === '*') return '*';
  return [...value.matchAll(/(W\/)?"[\x21\x23-\x7e\x80-\xff]*"/g)].map((m) => m[0]);
}

/**
 * Whether If-Match holds for the current representation's tag (strong comparison: a weak tag
 * never matches; `*` matches any current representation).
 */
export function ifMatchHolds(tags: string[] | '*', current: string | undefined): boolean {
  if (current === undefined) return false;
  if (tags === '*') return true;
  return tags.some((t) => !t.startsWith('W/') && t === current);
}

// Ids are UUIDs everywhere in this CRM (PostgreSQL's gen_random_uuid, randomUUID()). An id
// from a representation or another service's event is the caller's: only a UUID can match a
// row, and a malformed one must resolve to nothing rather than reach SQL as an error.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);

/** The ids that can be UUIDs, in order (a batch's keys, before they reach SQL). */
export const uuidsOnly = (ids: readonly string[]): string[] => ids.filter(isUuid);

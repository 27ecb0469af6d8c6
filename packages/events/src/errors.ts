/** Stable codes for what can go wrong with an event; `retriable` drives the consumer's policy. */
export type EventErrorCode =
  | 'EVENT.MALFORMED'
  | 'EVENT.INVALID_SCHEMA'
  | 'EVENT.UNKNOWN_TYPE'
  | 'EVENT.UNKNOWN_TOPIC'
  | 'EVENT.REJECTED'
  /** a partner message over PARTNER_MESSAGE_MAX_BYTES: refused before it is parsed */
  | 'EVENT.TOO_LARGE'
  /** a partner message with no usable e-mail: it cannot be attached to a person */
  | 'EVENT.NO_IDENTITY'
  /** a service subscribes a consumer or a type SUBSCRIPTION_CATALOG does not declare for it */
  | 'EVENT.UNDECLARED_SUBSCRIPTION'
  | 'EVENT.HANDLER_FAILED'
  /** the producer of a sealed event could not be asked for its key (retried: the event waits) */
  | 'EVENT.KEY_UNAVAILABLE'
  /** a sealed event's personal field is clear, unlisted, or does not decrypt (dead-lettered) */
  | 'EVENT.SEALED_INVALID'
  /** an event with personal fields published by a backbone that has no keys to seal them */
  | 'EVENT.UNSEALED_PERSONAL_DATA';

export class EventError extends Error {
  readonly code: EventErrorCode;
  readonly retriable: boolean;
  readonly details: unknown;

  constructor(
    code: EventErrorCode,
    message: string,
    options: { retriable?: boolean; details?: unknown } = {},
  ) {
    super(`${code}: ${message}`);
    this.name = 'EventError';
    this.code = code;
    this.retriable =
      options.retriable ?? (code === 'EVENT.HANDLER_FAILED' || code === 'EVENT.KEY_UNAVAILABLE');
    this.details = options.details;
  }
}

/**
 * For handlers: the event can never be applied (a business invariant says no), so retrying is
 * pointless and the message goes to the dead-letter topic at once.
 */
export function rejectEvent(message: string, details?: unknown): EventError {
  return new EventError('EVENT.REJECTED', message, { retriable: false, details });
}

/** Unknown errors are retriable: a dropped connection or a deadlock deserves another try. */
export function isRetriable(err: unknown): boolean {
  return err instanceof EventError ? err.retriable : true;
}

export function errorCode(err: unknown): string {
  if (err instanceof EventError) return err.code;
  const pgCode = (err as { code?: unknown } | null)?.code;
  return typeof pgCode === 'string' ? `PG.${pgCode}` : 'EVENT.HANDLER_FAILED';
}

export const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));

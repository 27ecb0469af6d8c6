// Structured JSON logs, one line per event, with a service name and a correlation id when
// known. Personal data is masked at the source (seed: "Masquage numéros sensibles en logs").
import pino, { type Logger, type LoggerOptions } from 'pino';
import { maskError, maskText, maskValue } from './mask';

export type { Logger };

/** Field names whose values never reach a log line in clear. */
export const SENSITIVE_KEYS = [
  'password',
  'token',
  'authorization',
  'secret',
  'matricule',
  'email',
  'telephone',
  'phone',
  'iban',
  'numero_contrat',
  'contractNumber',
  'date_naissance',
  'birthDate',
  'adresse',
  'address',
  // the bot's personal code, its hash and the caller's address (docs/security.md)
  'pin',
  'pinHash',
  'clientIp',
] as const;

const redactPaths = SENSITIVE_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `req.headers.${k}`]);

export { maskError, maskIdentifier, maskText, maskValue } from './mask';

export interface LoggerSettings {
  service: string;
  level?: string;
  /** where lines go; defaults to stdout (tests pass a stream to read them back) */
  destination?: pino.DestinationStream;
}

export function createLogger({ service, level = 'info', destination }: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    messageKey: 'message',
    formatters: {
      level: (label) => ({ level: label }),
      // masking by value: every string of the line's object (errors included, parameters dropped)
      log: (object) => maskValue(object) as Record<string, unknown>,
    },
    serializers: { err: (err: unknown) => (err instanceof Error ? maskError(err) : maskValue(err)) },
    hooks: {
      // the message and its format arguments
      logMethod(args, method) {
        const masked = args.map((a) => (typeof a === 'string' ? maskText(a) : a)) as typeof args;
        // log.error(err) takes the error's message as the line's message: mask it too
        if (args[0] instanceof Error && typeof args[1] !== 'string') {
          (masked as unknown[]).splice(1, 0, maskText(args[0].message));
        }
        method.apply(this, masked);
      },
    },
    redact: { paths: redactPaths, censor: '[masked]' },
  };
  return destination ? pino(options, destination) : pino(options);
}

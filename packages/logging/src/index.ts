// Structured JSON logs, one line per event, with a service name and a correlation id when
// known. Personal data is masked at the source (seed: "Masquage numéros sensibles en logs").
import pino, { type Logger, type LoggerOptions } from 'pino';

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

/** Keeps the last characters of an identifier so that support can still match it. */
export function maskIdentifier(value: string, keep = 2): string {
  if (value.length <= keep) return '*'.repeat(value.length);
  return `${'*'.repeat(Math.max(3, value.length - keep))}${value.slice(-keep)}`;
}

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
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: redactPaths, censor: '[masked]' },
  };
  return destination ? pino(options, destination) : pino(options);
}

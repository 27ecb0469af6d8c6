// The canary scan of a system under test (issue 18): what every process printed, every table of
// every service database and every record of every Kafka topic of its namespace, searched for
// personal data in clear. Two kinds of canary: the values a test declares (a name, an e-mail it
// used), searched as they are and lower-cased; and, everywhere, what @crm/logging's masker
// recognizes (e-mail addresses, phone numbers, matricules, IBANs, cards): a line or a record it
// would change holds an identifier in clear. startSystem runs it when the system stops, so every
// system suite is a canary test.
import { maskText } from '@crm/logging';
import pg from 'pg';
import { tableRows } from './database';
import { namespaceRecords } from './kafka';

export interface PersonalDataFinding {
  /** `log <process>`, `db <service>.<table>` or `kafka <topic>` */
  where: string;
  /** what was found, masked (the report itself must not leak it) */
  excerpt: string;
}

/**
 * Where clear personal data is expected, with the reason; nothing else is exempt.
 * - the partner inbound topic: a partner publishing on Kafka writes its message as it likes
 *   (docs/privacy.md: deleted once journaled, within about 30 s, which a suite that stops sooner
 *   does not see; unread 3 days). Its dead letters are not exempt: claims seals them;
 * - audit_sessions: the legacy copy kept for readers outside the CRM while LEGACY_DUAL_WRITE is
 *   on (off by default), deleted with its case's erasure;
 * - conseillers (escalation): the advisors' names and work e-mail and phone, the staff directory
 *   the console shows colleagues (employees' data, not the policyholders' this scan protects).
 */
export const CLEAR_BY_DESIGN: readonly { where: RegExp; why: string }[] = [
  {
    where: /^kafka .*crm\.partner\.inbound\.v1$/,
    why: "a third party's writes, deleted once journaled",
  },
  { where: /^db claims\.audit_sessions$/, why: 'the legacy shape, for readers outside the CRM' },
  { where: /^db escalation\.conseillers$/, why: "the staff directory: advisors' work contacts" },
];

const excerptAround = (text: string, index: number, length: number): string =>
  maskText(text.slice(Math.max(0, index - 40), index + length + 40));

/** The identifiers the masker recognizes in `text`, as excerpts (masked). */
export function identifiersIn(text: string): string[] {
  const masked = maskText(text);
  if (masked === text) return [];
  // the first place where they differ, and its surroundings
  let i = 0;
  while (i < text.length && text[i] === masked[i]) i += 1;
  return [excerptAround(text, i, 20)];
}

/** What one line, row or record at `where` holds in clear: the canaries, and the masker's identifiers. */
export function findingsIn(where: string, text: string, canaries: readonly string[]): PersonalDataFinding[] {
  if (CLEAR_BY_DESIGN.some((e) => e.where.test(where))) return [];
  const found: PersonalDataFinding[] = [];
  const lower = text.toLowerCase();
  for (const canary of canaries) {
    const at = lower.indexOf(canary.toLowerCase());
    if (at >= 0) found.push({ where, excerpt: excerptAround(text, at, canary.length) });
  }
  for (const excerpt of identifiersIn(text)) found.push({ where, excerpt });
  return found;
}

/** Every row of every table of the database at `url` (tableRows: one line per row). */
export async function databaseText(url: string): Promise<Map<string, string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await tableRows(
      async <T>(text: string, params?: unknown[]) => (await client.query(text, params)).rows as T[],
    );
  } finally {
    await client.end();
  }
}

export async function scanForPersonalData(target: {
  /** what each process printed, whole */
  output: readonly { process: string; text: string }[];
  databases: Readonly<Record<string, string>>;
  namespace: string;
  /** values the test used that must not appear in clear anywhere */
  canaries?: readonly string[];
}): Promise<PersonalDataFinding[]> {
  const canaries = target.canaries ?? [];
  const findings: PersonalDataFinding[] = [];
  for (const { process, text } of target.output)
    for (const line of text.split('\n')) findings.push(...findingsIn(`log ${process}`, line, canaries));
  for (const [service, url] of Object.entries(target.databases))
    for (const [table, text] of await databaseText(url))
      for (const row of text.split('\n'))
        findings.push(...findingsIn(`db ${service}.${table}`, row, canaries));
  for (const record of await namespaceRecords(target.namespace))
    findings.push(
      ...findingsIn(
        `kafka ${record.topic.slice(target.namespace.length)}`,
        `${record.key ?? ''} ${record.value} ${record.headers}`,
        canaries,
      ),
    );
  return findings;
}

// The partners' dead letters for an operator (docs/events.md, Dead letters): claims seals each
// one (cases/partner-dead-letters.ts), so a plain Kafka client no longer shows or replays them.
// `list` says what is there without a word of the person; `replay` republishes chosen letters,
// opened with claims' vault, onto the partner inbound topic, as the partner sent them (after a
// fix, they are applied; a letter whose person was erased is not replayed).
import {
  SEALED_SUBJECT_HEADER,
  type DeliveredMessage,
  type KafkaTransport,
  type TopicSpec,
} from '@crm/events';
import type { PersonalDataVault } from '@crm/privacy';
import { randomUUID } from 'node:crypto';
import { openDeadLetter } from '../cases/partner-dead-letters';

/** One dead letter as `list` prints it: where it is, why, under which key; nothing of the person. */
export interface DeadLetterLine {
  /** partition:offset on the dead-letter topic, what `replay` takes */
  position: string;
  failedAt: string | null;
  code: string | null;
  /** person: under the key of the person it names; unidentified: the day's; clear: written before sealing */
  sealedUnder: 'person' | 'unidentified' | 'clear';
  /** false once its key was shredded (the person erased, or the day past retention) */
  readable: boolean;
}

export type DeadLetterReader = Pick<KafkaTransport, 'readTopic' | 'send'>;

const positionOf = (m: DeliveredMessage) => `${m.partition}:${m.offset}`;
const recordOf = (m: DeliveredMessage) => ({
  key: m.key,
  value: m.value?.toString('utf8') ?? '',
  headers: m.headers,
});

function sealedUnder(m: DeliveredMessage): DeadLetterLine['sealedUnder'] {
  const subject = m.headers[SEALED_SUBJECT_HEADER];
  if (subject === undefined) return 'clear';
  return subject.startsWith('partner-unidentified:') ? 'unidentified' : 'person';
}

/** The reading group is the environment's, as the services' groups are (EVENT_NAMESPACE), and deleted after. */
const readAll = (kafka: DeadLetterReader, spec: TopicSpec, namespace: string) =>
  kafka.readTopic(spec.dlq.name, `${namespace}claims.dead-letters-${randomUUID()}`);

export async function listDeadLetters(
  kafka: DeadLetterReader,
  vault: PersonalDataVault,
  spec: TopicSpec,
  namespace = '',
): Promise<DeadLetterLine[]> {
  const lines: DeadLetterLine[] = [];
  for (const m of await readAll(kafka, spec, namespace)) {
    const opened = await openDeadLetter(vault, recordOf(m));
    lines.push({
      position: positionOf(m),
      failedAt: m.headers['dlq-failed-at'] ?? null,
      code: m.headers['dlq-error-code'] ?? null,
      sealedUnder: sealedUnder(m),
      readable: opened !== 'erased',
    });
  }
  return lines;
}

export interface ReplayResult {
  replayed: string[];
  /** positions whose key was shredded: nothing left to replay */
  erased: string[];
  /** positions not on the topic (a typo, or past retention) */
  missing: string[];
}

/** Republishes the letters at `positions` (partition:offset) onto the partner inbound topic, opened. */
export async function replayDeadLetters(
  kafka: DeadLetterReader,
  vault: PersonalDataVault,
  spec: TopicSpec,
  positions: readonly string[],
  namespace = '',
): Promise<ReplayResult> {
  const wanted = new Set(positions);
  const result: ReplayResult = { replayed: [], erased: [], missing: [] };
  const found = (await readAll(kafka, spec, namespace)).filter((m) => wanted.has(positionOf(m)));
  for (const m of found) {
    const opened = await openDeadLetter(vault, recordOf(m));
    if (opened === 'erased') {
      result.erased.push(positionOf(m));
      continue;
    }
    await kafka.send([
      {
        topic: spec.name,
        key: opened.key ?? '',
        value: opened.value,
        headers: { ...opened.headers, 'crm-replayed-from': `${spec.dlq.name}/${positionOf(m)}` },
      },
    ]);
    result.replayed.push(positionOf(m));
  }
  const seen = new Set(found.map(positionOf));
  result.missing = positions.filter((p) => !seen.has(p));
  return result;
}

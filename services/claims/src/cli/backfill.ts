// The backfill run: reads the legacy export line by line, produces the derived partner
// messages on the partner inbound topic (the live ingestion path: the claims consumer
// journals them idempotently) and records, beside the input, the last line whose messages
// the broker acknowledged, so an interrupted run resumes there. See docs/backfill.md.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { type OutgoingRecord, type TopicCatalog, type TopicSpec } from '@crm/events';
import { formatProgress, parseSessionLine } from './backfill.rules';

/** What the run needs from a broker: durable sends (acks=all) and topic provisioning. */
export interface BackfillSink {
  provision(catalog: TopicCatalog): Promise<void>;
  send(records: OutgoingRecord[]): Promise<void>;
}

export interface BackfillOptions {
  file: string;
  sink: BackfillSink;
  /** the partner inbound topic of the target environment (namespaced catalog) */
  topic: TopicSpec;
  /** ignore the checkpoint and start from line 1 */
  restart?: boolean;
  /** stop after this many lines of this run (tests interrupt a run this way) */
  maxLines?: number;
  /** messages per produced batch */
  batchSize?: number;
  /** stop after the batch in flight (SIGINT/SIGTERM) */
  signal?: AbortSignal;
  /** progress bar and bad-line reports */
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
  now?: () => number;
}

export interface BackfillSummary {
  file: string;
  topic: string;
  /** lines of the file */
  totalLines: number;
  /** lines an earlier run had already produced (checkpoint) */
  resumedFrom: number;
  /** lines read by this run */
  linesRead: number;
  eventsProduced: number;
  skippedBadLines: number;
  /** valid sessions with neither audit nor summary */
  sessionsWithoutEvents: number;
  /** true when the checkpoint now covers the whole file */
  complete: boolean;
  durationMs: number;
  linesPerSecond: number;
}

export interface Checkpoint {
  version: 1;
  file: string;
  /** last line whose messages Kafka acknowledged (1-based; 0 = none) */
  line: number;
  /** sha256 of lines 1..line: a resumed run refuses a file that changed under it */
  prefixSha256: string;
  complete: boolean;
  updatedAt: string;
}

export class BackfillError extends Error {
  constructor(
    readonly code: 'BACKFILL.CHECKPOINT_MISMATCH' | 'BACKFILL.UNREADABLE_INPUT',
    message: string,
  ) {
    super(message);
    this.name = 'BackfillError';
  }
}

export const checkpointPathOf = (file: string): string => `${file}.checkpoint`;

export function readCheckpoint(file: string): Checkpoint | undefined {
  const path = checkpointPathOf(file);
  if (!existsSync(path)) return undefined;
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<Checkpoint>;
  if (parsed.version !== 1 || typeof parsed.line !== 'number' || typeof parsed.prefixSha256 !== 'string') {
    throw new BackfillError('BACKFILL.CHECKPOINT_MISMATCH', `${path} is not a backfill checkpoint`);
  }
  return parsed as Checkpoint;
}

function writeCheckpoint(file: string, checkpoint: Checkpoint): void {
  const path = checkpointPathOf(file);
  // rename is atomic: a crash mid-write never leaves a truncated checkpoint
  writeFileSync(`${path}.tmp`, `${JSON.stringify(checkpoint)}\n`);
  renameSync(`${path}.tmp`, path);
}

async function countLines(file: string): Promise<number> {
  let lines = 0;
  let last = 10;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    if (chunk.length) last = chunk[chunk.length - 1]!;
  }
  // a last line without its newline is still a line
  return last === 10 ? lines : lines + 1;
}

export async function runBackfill(options: BackfillOptions): Promise<BackfillSummary> {
  const { file, sink, topic } = options;
  const now = options.now ?? Date.now;
  const stderr = options.stderr ?? process.stderr;
  const batchSize = options.batchSize ?? 500;
  const started = now();

  if (!existsSync(file)) throw new BackfillError('BACKFILL.UNREADABLE_INPUT', `${file}: no such file`);
  const checkpoint = options.restart ? undefined : readCheckpoint(file);
  const resumedFrom = checkpoint?.line ?? 0;
  const totalLines = await countLines(file);
  if (resumedFrom > totalLines) {
    throw new BackfillError(
      'BACKFILL.CHECKPOINT_MISMATCH',
      `the checkpoint is at line ${resumedFrom} but ${file} has ${totalLines} lines (use --restart)`,
    );
  }
  // producing to a topic nobody created would fail on every batch; creation is idempotent
  await sink.provision({ topics: [topic] });

  const summary: BackfillSummary = {
    file,
    topic: topic.name,
    totalLines,
    resumedFrom,
    linesRead: 0,
    eventsProduced: 0,
    skippedBadLines: 0,
    sessionsWithoutEvents: 0,
    complete: false,
    durationMs: 0,
    linesPerSecond: 0,
  };

  const progress = progressReporter(stderr, totalLines, resumedFrom, started, now);
  const hash: Hash = createHash('sha256');
  let lineNo = 0;
  let batch: OutgoingRecord[] = [];
  let stoppedEarly = false;

  const flush = async (upToLine: number, complete = false): Promise<void> => {
    if (batch.length) await sink.send(batch);
    summary.eventsProduced += batch.length;
    batch = [];
    // only now, once the broker acknowledged every message of lines 1..upToLine
    writeCheckpoint(file, {
      version: 1,
      file: basename(file),
      line: upToLine,
      prefixSha256: hash.copy().digest('hex'),
      complete,
      updatedAt: new Date(now()).toISOString(),
    });
    progress.update(upToLine);
  };

  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      // checked before the line is hashed, so the checkpoint covers exactly the lines read
      if (
        lineNo >= resumedFrom &&
        ((options.maxLines !== undefined && summary.linesRead >= options.maxLines) || options.signal?.aborted)
      ) {
        stoppedEarly = true;
        break;
      }
      lineNo++;
      hash.update(`${line}\n`);
      if (lineNo <= resumedFrom) {
        if (lineNo === resumedFrom && hash.copy().digest('hex') !== checkpoint?.prefixSha256) {
          throw new BackfillError(
            'BACKFILL.CHECKPOINT_MISMATCH',
            `lines 1..${resumedFrom} of ${file} changed since the checkpoint (use --restart)`,
          );
        }
        continue;
      }
      summary.linesRead++;
      const result = parseSessionLine(line);
      if (result.kind === 'invalid') {
        summary.skippedBadLines++;
        progress.note(`line ${lineNo}: ${result.code}: ${result.message}`);
      } else if (result.kind === 'messages') {
        if (result.messages.length === 0) summary.sessionsWithoutEvents++;
        for (const message of result.messages) {
          batch.push({ topic: topic.name, key: result.key, value: JSON.stringify(message) });
        }
      }
      if (batch.length >= batchSize) await flush(lineNo);
    }
  } finally {
    lines.close();
  }
  summary.complete = !stoppedEarly;
  await flush(lineNo, summary.complete);
  progress.done(lineNo);

  summary.durationMs = now() - started;
  summary.linesPerSecond =
    summary.durationMs > 0 ? Math.round((summary.linesRead / summary.durationMs) * 1000) : summary.linesRead;
  return summary;
}

function progressReporter(
  stderr: NodeJS.WritableStream & { isTTY?: boolean },
  total: number,
  resumedFrom: number,
  started: number,
  now: () => number,
) {
  const tty = Boolean(stderr.isTTY);
  // a terminal redraws one line often; a log file gets a plain line every few seconds
  const every = tty ? 100 : 2000;
  let lastAt = 0;
  let lastDone = -1;
  let drawn = false;
  const render = (done: number) => formatProgress({ done, total, resumedFrom, elapsedMs: now() - started });
  return {
    update(done: number): void {
      const t = now();
      if (t - lastAt < every) return;
      lastAt = t;
      lastDone = done;
      if (tty) {
        stderr.write(`\r${render(done)}\u001b[K`);
        drawn = true;
      } else stderr.write(`${render(done)}\n`);
    },
    note(message: string): void {
      stderr.write(`${tty && drawn ? '\r\u001b[K' : ''}${message}\n`);
      drawn = false;
    },
    done(done: number): void {
      if (!tty && done === lastDone) return;
      stderr.write(`${tty ? '\r' : ''}${render(done)}${tty ? '\u001b[K' : ''}\n`);
    },
  };
}

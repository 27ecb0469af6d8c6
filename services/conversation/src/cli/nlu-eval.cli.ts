// npm run -s nlu:eval -- FILE: scores the French understandings against a labeled corpus.
// Prints per-section accuracy and the misses; the LAST line is one JSON object
// {"accuracy": <overall>, "sections": {<section>: <accuracy, null if empty>}, "total", "correct"}.
import { readFileSync } from 'node:fs';
import { CORPUS_SECTIONS, CorpusFormatError, evaluateCorpus, validateCorpus } from '../engine/nlu/evaluate';

function main(argv: readonly string[]): number {
  const file = argv.find((a) => !a.startsWith('-'));
  if (!file) {
    console.error('usage: npm run -s nlu:eval -- <corpus.json>');
    return 2;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    console.error(`NLU.UNREADABLE_CORPUS: cannot read ${file}: ${(error as Error).message}`);
    return 2;
  }
  let report;
  try {
    report = evaluateCorpus(validateCorpus(raw));
  } catch (error) {
    if (error instanceof CorpusFormatError) {
      console.error(`${error.code}: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  console.log(`NLU evaluation of ${file}`);
  for (const section of CORPUS_SECTIONS) {
    const s = report.sections[section];
    console.log(
      `  ${section.padEnd(12)} ${String(s.correct).padStart(4)}/${String(s.total).padEnd(4)} ${s.total === 0 ? 'n/a' : pct(s.accuracy)}`,
    );
  }
  console.log(
    `  ${'overall'.padEnd(12)} ${String(report.correct).padStart(4)}/${String(report.total).padEnd(4)} ${pct(report.accuracy)}`,
  );
  if (report.misses.length > 0) {
    console.log(`misses (${report.misses.length}):`);
    for (const miss of report.misses) {
      console.log(
        `  [${miss.section}] ${JSON.stringify(miss.text)} expected ${miss.expected}, got ${miss.got}`,
      );
    }
  } else {
    console.log('misses: none');
  }
  // an empty section has no accuracy: null rather than a flattering 1
  const sections = Object.fromEntries(
    CORPUS_SECTIONS.map((s) => {
      const score = report.sections[s];
      return [s, score.total === 0 ? null : Number(score.accuracy.toFixed(4))];
    }),
  );
  console.log(
    JSON.stringify({
      accuracy: Number(report.accuracy.toFixed(4)),
      sections,
      total: report.total,
      correct: report.correct,
    }),
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));

// npm run -s nlu:eval -- FILE: scores the French understandings against a labeled corpus.
// Prints per-section accuracy and the misses; the LAST line is one JSON object
// {"accuracy": <overall>, "sections": {<section>: <accuracy, null if empty>}, "total", "correct"}.
// A dialogue corpus (a `declarations` list, corpus/dialogues.json) is played through the bot
// instead: facts right / wrong / asked / missed and places; the last line is its JSON summary.
import { readFileSync } from 'node:fs';
import {
  DIALOGUE_TARGETS,
  evaluateDialogues,
  validateDialogueCorpus,
  type DialogueReport,
} from '../engine/dialogue-eval';
import { CORPUS_SECTIONS, CorpusFormatError, evaluateCorpus, validateCorpus } from '../engine/nlu/evaluate';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** A dialogue corpus (`declarations`): each declaration played through the bot, facts scored. */
function printDialogues(file: string, report: DialogueReport): void {
  const f = report.facts;
  const p = report.places;
  console.log(`Dialogue evaluation of ${file}: ${report.declarations} declarations`);
  console.log(`  facts ${f.total}: right ${f.right}, asked ${f.asked}, wrong ${f.wrong}, missed ${f.missed}`);
  for (const [fact, v] of Object.entries(report.byFact)) {
    console.log(
      `    ${fact.padEnd(18)} right ${v.right}, asked ${v.asked}, wrong ${v.wrong}, missed ${v.missed}`,
    );
  }
  console.log(
    `  wrong ${pct(report.wrongRate)} (target <= ${pct(DIALOGUE_TARGETS.maxWrongRate)}), right or asked ${pct(report.rightOrAskedRate)} (target >= ${pct(DIALOGUE_TARGETS.minRightOrAskedRate)})`,
  );
  console.log(
    `  places ${p.total}: exact ${p.exact}, partial ${p.partial}, asked ${p.asked}, dirty ${p.dirty}; clean ${pct(report.placeCleanRate)} (target >= ${pct(DIALOGUE_TARGETS.minPlaceCleanRate)}), exact ${pct(report.placeExactRate)}`,
  );
  for (const r of report.problems.fact) {
    console.log(
      `  [${r.verdict}] #${r.declaration} ${r.fact}: expected ${JSON.stringify(r.expected)}, got ${JSON.stringify(r.got)}`,
    );
  }
  for (const r of report.problems.place) {
    console.log(
      `  [dirty place] #${r.declaration}: expected ${JSON.stringify(r.expected)}, got ${JSON.stringify(r.got)}`,
    );
  }
  console.log(
    JSON.stringify({
      declarations: report.declarations,
      facts: f,
      wrongRate: Number(report.wrongRate.toFixed(4)),
      rightOrAskedRate: Number(report.rightOrAskedRate.toFixed(4)),
      places: p,
      placeCleanRate: Number(report.placeCleanRate.toFixed(4)),
      placeExactRate: Number(report.placeExactRate.toFixed(4)),
    }),
  );
}

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
    if (typeof raw === 'object' && raw !== null && 'declarations' in raw) {
      printDialogues(file, evaluateDialogues(validateDialogueCorpus(raw)));
      return 0;
    }
    report = evaluateCorpus(validateCorpus(raw));
  } catch (error) {
    if (error instanceof CorpusFormatError) {
      console.error(`${error.code}: ${error.message}`);
      return 2;
    }
    throw error;
  }
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

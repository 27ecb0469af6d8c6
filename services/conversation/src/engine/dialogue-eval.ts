// The dialogue-level evaluation (issue 20): each declaration of a corpus is played through the
// same turn loop the bot uses (respond(): the demo client logs in, then says the declaration,
// then any further messages, at whatever question is pending), and each fact the file holds
// afterwards is scored against the declaration's label: right, wrong, asked (the bot still asks
// it) or missed (said, not taken, not asked either). A wrong fact is worse than a question.
// Pure: the CLI reads the file.
import type { CollectedData } from './context';
import { DUPONT_LOGIN } from './demo-scripts';
import { authenticatorOf } from './directory';
import { demoLookup } from './demo-directory';
import { CorpusFormatError } from './nlu/evaluate';
import { startConversation } from './dialogue';
import { respond } from './session';

/** The facts a label may give, by the names the corpus uses (the seed's, shortened). */
export const DIALOGUE_FACTS = {
  type: 'claimType',
  date: 'occurredLocal',
  tiers_implique: 'thirdPartyInvolved',
  tiers_responsable: 'thirdPartyResponsible',
  blessures: 'injuries',
  constat: 'amicableReport',
  police: 'policeReport',
  documents: 'documentsProvided',
  montant: 'estimatedDamage',
} as const satisfies Record<string, keyof CollectedData>;
export type DialogueFact = keyof typeof DIALOGUE_FACTS;

/** Facts every label states (null: not said, or said without settling it); the others when said. */
const CORE: readonly DialogueFact[] = ['type', 'date', 'tiers_implique', 'tiers_responsable', 'blessures'];
const TYPES = ['collision', 'vol', 'incendie', 'dégâts', 'blessure'] as const;

export interface PlaceExpectation {
  texte: string;
  ville?: string;
  voie?: string;
  repere?: string;
  /** other wordings that are as right ("domicile" for a house said by its town) */
  ou?: string[];
}

export interface DeclarationLabel {
  type: (typeof TYPES)[number];
  date: string | null;
  lieu: PlaceExpectation | null;
  tiers_implique?: boolean | null;
  tiers_responsable?: boolean | null;
  blessures: boolean | null;
  constat?: boolean | null;
  police?: boolean | null;
  documents?: boolean | null;
  montant?: number | null;
}

export interface Declaration {
  style: string;
  said: string | string[];
  attendu: DeclarationLabel;
}

export interface DialogueCorpus {
  referenceTime: string;
  declarations: Declaration[];
}

export type Verdict = 'right' | 'wrong' | 'asked' | 'missed';
export type PlaceVerdict = 'exact' | 'partial' | 'asked' | 'dirty';

export interface FactResult {
  declaration: number;
  fact: DialogueFact;
  expected: unknown;
  got: unknown;
  verdict: Verdict;
}

export interface PlaceResult {
  declaration: number;
  expected: string | null;
  got: string | null;
  verdict: PlaceVerdict;
}

export interface DialogueReport {
  declarations: number;
  facts: Record<Verdict, number> & { total: number };
  /** wrong / total; (right + asked) / total */
  wrongRate: number;
  rightOrAskedRate: number;
  places: Record<PlaceVerdict, number> & { total: number };
  /** no word from outside the place: exact, partial (a part of it) or not taken (asked) */
  placeCleanRate: number;
  placeExactRate: number;
  byFact: Record<DialogueFact, Record<Verdict, number>>;
  problems: { fact: FactResult[]; place: PlaceResult[] };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks a dialogue corpus and lists every problem at once. */
export function validateDialogueCorpus(input: unknown): DialogueCorpus {
  const problems: string[] = [];
  if (!isRecord(input)) throw new CorpusFormatError(['the corpus must be a JSON object']);
  if (typeof input.referenceTime !== 'string' || Number.isNaN(Date.parse(input.referenceTime)))
    problems.push('referenceTime must be an ISO date-time string');
  if (!Array.isArray(input.declarations)) problems.push('declarations must be an array');
  const list = Array.isArray(input.declarations) ? (input.declarations as unknown[]) : [];
  list.forEach((d, i) => {
    const at = `declarations[${i}]`;
    if (!isRecord(d)) return problems.push(`${at} must be an object`);
    const said = d.said;
    const texts = Array.isArray(said) ? said : [said];
    if (texts.length === 0 || !texts.every((t) => typeof t === 'string' && t.trim() !== ''))
      problems.push(`${at}.said must be a text or a list of texts`);
    const a = d.attendu;
    if (!isRecord(a)) return problems.push(`${at}.attendu must be an object`);
    if (!TYPES.includes(a.type as (typeof TYPES)[number]))
      problems.push(`${at}.attendu.type: ${TYPES.join('|')}`);
    if (a.date !== null && !(typeof a.date === 'string' && /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$/.test(a.date)))
      problems.push(`${at}.attendu.date must be null, "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM"`);
    if (a.lieu !== null && !(isRecord(a.lieu) && typeof a.lieu.texte === 'string'))
      problems.push(`${at}.attendu.lieu must be null or { texte, ville?, voie?, repere?, ou? }`);
    for (const key of Object.keys(a)) {
      if (key !== 'lieu' && !(key in DIALOGUE_FACTS)) problems.push(`${at}.attendu.${key} is not a fact`);
    }
    for (const fact of CORE) {
      const theft = a.type === 'vol' && (fact === 'tiers_implique' || fact === 'tiers_responsable');
      const noThirdParty = fact === 'tiers_responsable' && a.tiers_implique === false;
      if (!(fact in a) && !theft && !noThirdParty)
        problems.push(`${at}.attendu.${fact} is required (null if not said)`);
    }
  });
  if (problems.length > 0) throw new CorpusFormatError(problems);
  return input as unknown as DialogueCorpus;
}

/** Plays one declaration to the end of what the client says; returns the file. */
export function playDeclaration(
  declaration: Declaration,
  now: Date,
): { collected: CollectedData; missing: readonly string[] } {
  const directory = authenticatorOf(demoLookup);
  let context = startConversation({ conversationId: 'eval', claimId: 'eval-claim', now }).context;
  const said = Array.isArray(declaration.said) ? declaration.said : [declaration.said];
  for (const text of [...DUPONT_LOGIN, ...said]) {
    context = respond(context, { type: 'user_message', text }, now, directory).context;
  }
  return { collected: context.collected, missing: context.collected.missingFacts ?? [] };
}

const seedType = (t: unknown) => (t === 'degats' ? 'dégâts' : t);

const norm = (s: string): string =>
  s
    .toLowerCase()
    .normalize('NFC')
    .replace(/[’]/g, "'")
    .replace(/[,.;:!?]/g, ' ')
    .replace(/^\s*(sur|dans|au|aux|à|a|en|vers)\s+/, '')
    .replace(/^\s*(le|la|les|l')\s*/, '')
    .replace(/\s+/g, ' ')
    .trim();

function scorePlace(expected: PlaceExpectation | null, c: CollectedData): PlaceVerdict {
  const got = c.location;
  if (!got) return 'asked';
  if (!expected) return 'dirty';
  const wanted = [expected.texte, ...(expected.ou ?? [])].map(norm);
  const mine = norm(got);
  if (wanted.includes(mine)) {
    const parts: [string | undefined, string | undefined][] = [
      [expected.ville, c.locationCity],
      [expected.voie, c.locationRoad],
      [expected.repere, c.locationLandmark],
    ];
    const partsRight = parts.every(([want, have]) => want === undefined || norm(want) === norm(have ?? ''));
    return partsRight ? 'exact' : 'partial';
  }
  return wanted.some((w) => w.includes(mine)) ? 'partial' : 'dirty';
}

/** Plays every declaration and scores its facts and its place. */
export function evaluateDialogues(corpus: DialogueCorpus): DialogueReport {
  const now = new Date(corpus.referenceTime);
  const facts: FactResult[] = [];
  const places: PlaceResult[] = [];
  corpus.declarations.forEach((declaration, index) => {
    const { collected, missing } = playDeclaration(declaration, now);
    const label = declaration.attendu;
    for (const fact of Object.keys(DIALOGUE_FACTS) as DialogueFact[]) {
      const key = DIALOGUE_FACTS[fact];
      const raw = collected[key];
      const got = fact === 'type' ? seedType(raw) : raw;
      const labeled = fact in label;
      const expected = labeled ? label[fact as keyof DeclarationLabel] : null;
      // a fact the label leaves out is not scored (a theft's third party) unless it is an
      // optional fact the bot took anyway: then it is wrong (nothing said it)
      if (!labeled) {
        if (CORE.includes(fact) || got === undefined) continue;
        facts.push({ declaration: index, fact, expected: null, got, verdict: 'wrong' });
        continue;
      }
      let verdict: Verdict;
      if (got !== undefined) verdict = expected !== null && got === expected ? 'right' : 'wrong';
      else if (missing.includes(key)) verdict = 'asked';
      // not said and not needed: nothing to take, nothing to ask
      else verdict = expected === null ? 'right' : 'missed';
      facts.push({ declaration: index, fact, expected, got: got ?? null, verdict });
    }
    places.push({
      declaration: index,
      expected: label.lieu?.texte ?? null,
      got: collected.location ?? null,
      verdict: scorePlace(label.lieu, collected),
    });
  });
  const count = <V extends string>(items: { verdict: V }[], verdicts: readonly V[]) =>
    Object.fromEntries(verdicts.map((v) => [v, items.filter((i) => i.verdict === v).length])) as Record<
      V,
      number
    >;
  const VERDICTS = ['right', 'wrong', 'asked', 'missed'] as const;
  const PLACE_VERDICTS = ['exact', 'partial', 'asked', 'dirty'] as const;
  const factCounts = { ...count(facts, VERDICTS), total: facts.length };
  const placeCounts = { ...count(places, PLACE_VERDICTS), total: places.length };
  const byFact = Object.fromEntries(
    (Object.keys(DIALOGUE_FACTS) as DialogueFact[]).map((f) => [
      f,
      count(
        facts.filter((r) => r.fact === f),
        VERDICTS,
      ),
    ]),
  ) as Record<DialogueFact, Record<Verdict, number>>;
  const ratio = (n: number, d: number) => (d === 0 ? 0 : n / d);
  return {
    declarations: corpus.declarations.length,
    facts: factCounts,
    wrongRate: ratio(factCounts.wrong, factCounts.total),
    rightOrAskedRate: ratio(factCounts.right + factCounts.asked, factCounts.total),
    places: placeCounts,
    placeCleanRate: ratio(placeCounts.total - placeCounts.dirty, placeCounts.total),
    placeExactRate: ratio(placeCounts.exact, placeCounts.total),
    byFact,
    problems: {
      fact: facts.filter((f) => f.verdict === 'wrong' || f.verdict === 'missed'),
      place: places.filter((p) => p.verdict === 'dirty'),
    },
  };
}

/** The targets: at most 2% wrong facts, 95% right or asked, 95% clean places. */
export const DIALOGUE_TARGETS = {
  maxWrongRate: 0.02,
  minRightOrAskedRate: 0.95,
  minPlaceCleanRate: 0.95,
} as const;

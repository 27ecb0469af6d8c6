// Scores the understandings against a labeled corpus (services/conversation/corpus/*.json).
// Pure: the CLI reads the file, this module validates and scores it.
import { parseClaimType, type ClaimType, CLAIM_TYPES } from './claim-type';
import { parseConfirmation } from './confirm';
import { formatDateTime, parseDateTime } from './dates';
import { parseAmicableReport, parseInjuries, parsePoliceReport } from './entities';
import { readLiability } from './liability';
import { parsePlaceParts, type PlaceParts } from './places';
import { parseMatricule } from './matricule';

export interface NluCorpus {
  readonly referenceTime: string;
  readonly confirm_yes: readonly string[];
  readonly confirm_no: readonly string[];
  readonly claim_type: readonly (readonly [string, ClaimType])[];
  readonly injuries: readonly (readonly [string, boolean])[];
  readonly constat: readonly (readonly [string, boolean])[];
  readonly police: readonly (readonly [string, boolean])[];
  readonly dates: readonly (readonly [string, string])[];
  readonly matricule: readonly (readonly [string, string])[];
  /** tiers_responsable read from a story: true, false, or null (the story does not settle it). */
  readonly liability: readonly (readonly [string, boolean | null])[];
  /** The place as kept (`text`) and the parts expected to be found (only those given are checked). */
  readonly place: readonly (readonly [string, PlaceLabel])[];
}

export interface PlaceLabel {
  readonly text: string;
  readonly city?: string;
  readonly road?: string;
  readonly landmark?: string;
}

export const CORPUS_SECTIONS = [
  'confirm_yes',
  'confirm_no',
  'claim_type',
  'injuries',
  'constat',
  'police',
  'dates',
  'matricule',
  'liability',
  'place',
] as const;
export type CorpusSection = (typeof CORPUS_SECTIONS)[number];

export class CorpusFormatError extends Error {
  readonly code = 'NLU.INVALID_CORPUS';
  constructor(readonly problems: readonly string[]) {
    super(`invalid NLU corpus:\n  - ${problems.join('\n  - ')}`);
  }
}

const isString = (v: unknown): v is string => typeof v === 'string';
const PLACE_KEYS = ['text', 'city', 'road', 'landmark'];
const isPlaceLabel = (v: unknown): boolean =>
  typeof v === 'object' &&
  v !== null &&
  isString((v as PlaceLabel).text) &&
  Object.entries(v).every(([key, value]) => PLACE_KEYS.includes(key) && isString(value));
const DATE_LABEL = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$/;
const MATRICULE_LABEL = /^[A-Z]{2}-\d{3}-[A-Z]{2}$/;

/** Checks the shape of a parsed corpus file and lists every problem at once. */
export function validateCorpus(input: unknown): NluCorpus {
  const problems: string[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new CorpusFormatError(['the corpus must be a JSON object']);
  }
  const obj = input as Record<string, unknown>;
  if (!isString(obj.referenceTime) || Number.isNaN(Date.parse(obj.referenceTime))) {
    problems.push('referenceTime must be an ISO date-time string');
  }
  const list = (key: CorpusSection): unknown[] => {
    const value = obj[key] ?? [];
    if (!Array.isArray(value)) {
      problems.push(`${key} must be an array`);
      return [];
    }
    return value as unknown[];
  };
  const texts = (key: 'confirm_yes' | 'confirm_no') => {
    list(key).forEach((v, i) => {
      if (!isString(v)) problems.push(`${key}[${i}] must be a string`);
    });
  };
  const pairs = (key: CorpusSection, label: (v: unknown) => boolean, expected: string) => {
    list(key).forEach((v, i) => {
      if (!Array.isArray(v) || v.length !== 2 || !isString(v[0]) || !label(v[1])) {
        problems.push(`${key}[${i}] must be [text, ${expected}]`);
      }
    });
  };
  texts('confirm_yes');
  texts('confirm_no');
  pairs('claim_type', (v) => CLAIM_TYPES.includes(v as ClaimType), CLAIM_TYPES.join('|'));
  for (const key of ['injuries', 'constat', 'police'] as const)
    pairs(key, (v) => typeof v === 'boolean', 'boolean');
  pairs('dates', (v) => isString(v) && DATE_LABEL.test(v), '"YYYY-MM-DD" or "YYYY-MM-DDTHH:MM"');
  pairs('matricule', (v) => isString(v) && MATRICULE_LABEL.test(v), '"AB-123-CD"');
  pairs('liability', (v) => v === null || typeof v === 'boolean', 'boolean|null');
  pairs('place', isPlaceLabel, '{ text, city?, road?, landmark? }');
  if (problems.length > 0) throw new CorpusFormatError(problems);
  const empty = {
    confirm_yes: [],
    confirm_no: [],
    claim_type: [],
    injuries: [],
    constat: [],
    police: [],
    dates: [],
    matricule: [],
    liability: [],
    place: [],
  };
  return { ...empty, ...(obj as unknown as NluCorpus) };
}

export interface Miss {
  readonly section: CorpusSection;
  readonly text: string;
  readonly expected: string;
  readonly got: string;
}

export interface SectionScore {
  readonly total: number;
  readonly correct: number;
  readonly accuracy: number;
}

export interface EvaluationReport {
  readonly accuracy: number;
  readonly total: number;
  readonly correct: number;
  readonly sections: Readonly<Record<CorpusSection, SectionScore>>;
  readonly misses: readonly Miss[];
}

const show = (v: string | boolean | null | undefined): string =>
  v === null || v === undefined ? 'null' : String(v);

/** "text [city=..., road=...]": the text and the parts the label names, in a fixed order. */
function showPlace(place: PlaceLabel): string {
  const parts = (['city', 'road', 'landmark'] as const)
    .filter((key) => place[key] !== undefined)
    .map((key) => `${key}=${place[key] ?? ''}`);
  return parts.length === 0 ? place.text : `${place.text} [${parts.join(', ')}]`;
}

/** The parts found, restricted to those the label checks (a part found but not labeled is no miss). */
function pickParts(found: PlaceParts, label: PlaceLabel): PlaceLabel {
  return {
    text: found.text,
    ...(label.city === undefined ? {} : { city: found.city ?? '' }),
    ...(label.road === undefined ? {} : { road: found.road ?? '' }),
    ...(label.landmark === undefined ? {} : { landmark: found.landmark ?? '' }),
  };
}

/** Runs every labeled utterance through its understanding and scores per section. */
export function evaluateCorpus(corpus: NluCorpus): EvaluationReport {
  const now = new Date(corpus.referenceTime);
  const cases: { section: CorpusSection; text: string; expected: string; got: string }[] = [];
  const add = (
    section: CorpusSection,
    text: string,
    expected: string | boolean,
    got: string | boolean | null,
  ) => cases.push({ section, text, expected: show(expected), got: show(got) });

  for (const text of corpus.confirm_yes) add('confirm_yes', text, 'yes', parseConfirmation(text));
  for (const text of corpus.confirm_no) add('confirm_no', text, 'no', parseConfirmation(text));
  for (const [text, label] of corpus.claim_type) add('claim_type', text, label, parseClaimType(text));
  for (const [text, label] of corpus.injuries) add('injuries', text, label, parseInjuries(text, 'answer'));
  for (const [text, label] of corpus.constat)
    add('constat', text, label, parseAmicableReport(text, 'answer'));
  for (const [text, label] of corpus.police) add('police', text, label, parsePoliceReport(text, 'answer'));
  for (const [text, label] of corpus.dates) {
    const parsed = parseDateTime(text, now);
    add('dates', text, label, parsed ? formatDateTime(parsed) : null);
  }
  for (const [text, label] of corpus.matricule) add('matricule', text, label, parseMatricule(text));
  for (const [text, label] of corpus.liability) {
    add('liability', text, show(label), show(readLiability(text, 'mention').responsible));
  }
  for (const [text, label] of corpus.place) {
    const parts = parsePlaceParts(text);
    add('place', text, showPlace(label), parts ? showPlace(pickParts(parts, label)) : 'null');
  }

  const sections = {} as Record<CorpusSection, SectionScore>;
  for (const section of CORPUS_SECTIONS) {
    const mine = cases.filter((c) => c.section === section);
    const correct = mine.filter((c) => c.expected === c.got).length;
    sections[section] = {
      total: mine.length,
      correct,
      accuracy: mine.length === 0 ? 1 : correct / mine.length,
    };
  }
  const correct = cases.filter((c) => c.expected === c.got).length;
  return {
    accuracy: cases.length === 0 ? 0 : correct / cases.length,
    total: cases.length,
    correct,
    sections,
    misses: cases.filter((c) => c.expected !== c.got),
  };
}

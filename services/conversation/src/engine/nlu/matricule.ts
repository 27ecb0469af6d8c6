// Matricule understanding. A matricule is two letters, three digits, two letters
// ("AB-123-CD"). People type it in lower case, without dashes, with spaces, or say it:
// "a bé tiret cent vingt-trois tiret cé dé", "k l 7 8 9 m n", "A comme Anatole". Each token
// may read as letters, digits or nothing (fillers like "tiret"); a small search finds the
// first run of tokens that spells a whole matricule.
import { parseNumberWords } from './numbers';

const SHAPE = ['L', 'L', 'D', 'D', 'D', 'L', 'L'] as const;

/** French names of letters as spoken (accents removed, see `tokenize`). */
const LETTER_NAMES: Readonly<Record<string, string>> = {
  be: 'B',
  ce: 'C',
  de: 'D',
  effe: 'F',
  ef: 'F',
  ge: 'G',
  ache: 'H',
  hache: 'H',
  ji: 'J',
  ka: 'K',
  elle: 'L',
  el: 'L',
  emme: 'M',
  em: 'M',
  enne: 'N',
  pe: 'P',
  qu: 'Q',
  ku: 'Q',
  erre: 'R',
  er: 'R',
  esse: 'S',
  es: 'S',
  te: 'T',
  ve: 'V',
  ixe: 'X',
  zed: 'Z',
  zede: 'Z',
};

/** Words that may sit inside a spoken matricule without breaking it. */
const FILLERS = new Set(['tiret', 'tirets', 'espace', 'euh', 'heu', 'puis', 'et', 'moins', 'slash']);

interface Token {
  /** The ways this token can be read inside a matricule, longest first. */
  readonly readings: readonly string[];
  /** a word that may also sit between the parts and be skipped ("tiret", "et") */
  readonly filler: boolean;
}

function tokenize(text: string): Token[] {
  const raw = text
    .toLowerCase()
    // an accented letter name is one letter: "bé" is B, whereas "be" may be the letters B and E
    .replace(/(^|[^a-z\u00c0-\u00ff])([bcdgptv])\u00e9(?![a-z\u00c0-\u00ff])/g, '$1$2')
    // "èf", "èl", "èm", "èn", "èr", "ès" (also with é) are one letter each
    .replace(/(^|[^a-z\u00c0-\u00ff])[\u00e8\u00e9]([flmnrs])(?![a-z\u00c0-\u00ff])/g, '$1$2')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    // "A comme Anatole" spells A
    .replace(/\b([a-z])\s+comme\s+[a-z]+/g, '$1')
    .replace(/\bdouble\s+v(e)?\b/g, 'w')
    .replace(/\bi\s+grec\b/g, 'y')
    .replace(/\btrait\s+d\W*union\b/g, ' tiret ')
    .replace(/[^a-z0-9]+/g, ' ')
    // "AB123CD" -> "AB 123 CD"
    .replace(/([a-z])(?=\d)|(\d)(?=[a-z])/g, '$1$2 ')
    .trim();
  const words = raw.length > 0 ? raw.split(' ') : [];
  const tokens: Token[] = [];
  for (let i = 0; i < words.length;) {
    const word = words[i] ?? '';
    if (/^\d+$/.test(word)) {
      tokens.push({ readings: [word], filler: false });
      i += 1;
      continue;
    }
    const number = parseNumberWords(words, i);
    if (number && !(word === 'un' || word === 'une') && number.next > i) {
      tokens.push({
        readings: [String(number.value)],
        filler: false,
      });
      i = number.next;
      continue;
    }
    if ((word === 'un' || word === 'zero') && number) {
      // "un" alone is also the letters U and N: "AB-123-UN" is a matricule like any other
      const letters = word.length <= 2 && number.next === i + 1 ? [word.toUpperCase()] : [];
      tokens.push({ readings: [String(number.value), ...letters], filler: false });
      i = number.next;
      continue;
    }
    if (FILLERS.has(word)) {
      // "et" is also the two letters E and T: "AB-123-ET" is a matricule like any other
      tokens.push({ readings: word.length <= 2 ? [word.toUpperCase()] : [], filler: true });
      i += 1;
      continue;
    }
    const readings: string[] = [];
    if (word.length <= 2) readings.push(word.toUpperCase());
    const named = LETTER_NAMES[word];
    if (named && !readings.includes(named)) readings.push(named);
    tokens.push({ readings, filler: false });
    i += 1;
  }
  return tokens;
}

const fitsShape = (chars: string): boolean =>
  chars.length <= SHAPE.length &&
  [...chars].every((c, i) => (SHAPE[i] === 'L' ? /[A-Z]/.test(c) : /\d/.test(c)));

function spellFrom(tokens: readonly Token[], i: number, acc: string): string | null {
  if (acc.length === SHAPE.length) return acc;
  const token = tokens[i];
  if (!token) return null;
  // a filler inside a matricule is skipped first ("AB 123 C et D" is AB-123-CD), then read
  if (token.filler && acc.length > 0) {
    const skipped = spellFrom(tokens, i + 1, acc);
    if (skipped) return skipped;
  }
  for (const reading of token.readings) {
    const next = acc + reading;
    if (fitsShape(next)) {
      const found = spellFrom(tokens, i + 1, next);
      if (found) return found;
    }
  }
  return null;
}

/** Finds a matricule in free text and returns it in canonical form "AB-123-CD", or null. */
export function parseMatricule(text: string): string | null {
  const tokens = tokenize(text);
  for (let start = 0; start < tokens.length; start += 1) {
    const spelled = spellFrom(tokens, start, '');
    if (spelled) return `${spelled.slice(0, 2)}-${spelled.slice(2, 5)}-${spelled.slice(5)}`;
  }
  return null;
}

/** Canonical form of a matricule already known to be well formed (directory keys). */
export const canonicalMatricule = (value: string): string | null => parseMatricule(value);

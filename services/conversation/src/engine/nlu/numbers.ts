// French number words ("cent vingt-trois", "quatre-vingt-dix", "vingt et un"), used by the
// matricule, date and amount understandings. Tokens are words already folded (no accents).

const UNITS: Readonly<Record<string, number>> = {
  zero: 0,
  un: 1,
  une: 1,
  deux: 2,
  trois: 3,
  quatre: 4,
  cinq: 5,
  six: 6,
  sept: 7,
  huit: 8,
  neuf: 9,
  dix: 10,
  onze: 11,
  douze: 12,
  treize: 13,
  quatorze: 14,
  quinze: 15,
  seize: 16,
};

const TENS: Readonly<Record<string, number>> = {
  vingt: 20,
  vingts: 20,
  trente: 30,
  quarante: 40,
  cinquante: 50,
  soixante: 60,
};

export interface ParsedNumber {
  readonly value: number;
  /** Index of the first token after the number. */
  readonly next: number;
}

const unitAt = (tokens: readonly string[], i: number): number | undefined => {
  const token = tokens[i];
  return token === undefined ? undefined : UNITS[token];
};

/** 10..19 written "dix-sept", "dix huit"; also plain 10..16. */
function teenAt(tokens: readonly string[], i: number): ParsedNumber | null {
  const first = unitAt(tokens, i);
  if (first === undefined || first < 10) return null;
  if (first === 10) {
    const unit = unitAt(tokens, i + 1);
    if (unit !== undefined && unit >= 7 && unit <= 9) return { value: 10 + unit, next: i + 2 };
  }
  return { value: first, next: i + 1 };
}

function belowHundred(tokens: readonly string[], i: number): ParsedNumber | null {
  const token = tokens[i];
  if (token === undefined) return null;
  // quatre-vingt(s) [dix..dix-neuf | un..neuf]
  if (token === 'quatre' && (tokens[i + 1] === 'vingt' || tokens[i + 1] === 'vingts')) {
    const teen = teenAt(tokens, i + 2);
    if (teen) return { value: 80 + teen.value, next: teen.next };
    const unit = unitAt(tokens, i + 2);
    if (unit !== undefined && unit >= 1 && unit <= 9) return { value: 80 + unit, next: i + 3 };
    return { value: 80, next: i + 2 };
  }
  const tens = TENS[token];
  if (tens !== undefined) {
    let j = i + 1;
    if (tokens[j] === 'et') j += 1;
    if (tens === 60) {
      const teen = teenAt(tokens, j);
      if (teen) return { value: 60 + teen.value, next: teen.next };
    }
    const unit = unitAt(tokens, j);
    if (unit !== undefined && unit >= 1 && unit <= 9) return { value: tens + unit, next: j + 1 };
    return { value: tens, next: i + 1 };
  }
  const teen = teenAt(tokens, i);
  if (teen) return teen;
  const unit = unitAt(tokens, i);
  return unit === undefined ? null : { value: unit, next: i + 1 };
}

function belowThousand(tokens: readonly string[], i: number): ParsedNumber | null {
  const token = tokens[i];
  const isCent = (t: string | undefined) => t === 'cent' || t === 'cents';
  let hundreds = 0;
  let j = i;
  if (isCent(token)) {
    hundreds = 100;
    j = i + 1;
  } else {
    const unit = unitAt(tokens, i);
    if (unit !== undefined && unit >= 2 && unit <= 9 && isCent(tokens[i + 1])) {
      hundreds = unit * 100;
      j = i + 2;
    }
  }
  const rest = belowHundred(tokens, j);
  if (hundreds === 0) return rest;
  return rest ? { value: hundreds + rest.value, next: rest.next } : { value: hundreds, next: j };
}

/** Parses the number written in words starting at `tokens[i]`, or null. Handles up to 999 999. */
export function parseNumberWords(tokens: readonly string[], i: number): ParsedNumber | null {
  const head = tokens[i] === 'mille' ? { value: 1, next: i } : belowThousand(tokens, i);
  if (!head) return null;
  if (tokens[head.next] === 'mille') {
    const tail = belowThousand(tokens, head.next + 1);
    const thousands = head.value * 1000;
    return tail
      ? { value: thousands + tail.value, next: tail.next }
      : { value: thousands, next: head.next + 1 };
  }
  return head;
}

/**
 * Rewrites number words as digits in a space-separated word string ("il y a trois jours" ->
 * "il y a 3 jours"). The article "un"/"une" becomes "1" too, which is what the date and amount
 * matchers want ("il y a une semaine", "une heure").
 */
export function digitize(wordText: string): string {
  const tokens = wordText.trim().split(' ');
  const out: string[] = [];
  for (let i = 0; i < tokens.length;) {
    const parsed = parseNumberWords(tokens, i);
    if (parsed && parsed.next > i) {
      out.push(String(parsed.value));
      i = parsed.next;
    } else {
      out.push(tokens[i] ?? '');
      i += 1;
    }
  }
  return ` ${out.join(' ')} `;
}

// Text normalization shared by every understanding. French input arrives with or without
// accents, with typographic apostrophes and dashes (speech-to-text and phones differ), so each
// matcher works on one canonical form.

/**
 * How a text is read: as the answer to the question just asked (a bare "oui" counts), or as a
 * mention inside a longer story (only explicit statements count).
 */
export type ReadMode = 'answer' | 'mention';

const DIACRITICS = /[\u0300-\u036f]/g;

/** Lower case, no accents, typographic quotes and dashes unified, single spaces. */
export function fold(text: string): string {
  return (
    text
      .normalize('NFD')
      .replace(DIACRITICS, '')
      .toLowerCase()
      // ligatures are no accents: "manœuvre", "œil", "cœur"
      .replace(/œ/g, 'oe')
      .replace(/æ/g, 'ae')
      .replace(/[\u2018\u2019\u02bc`´]/g, "'")
      .replace(/[\u2010-\u2015\u2212]/g, '-')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/**
 * Word form for keyword matching: folded, apostrophes, hyphens and punctuation turned into
 * spaces, padded with one space on each side so that `has(' mot ')` is a whole-word test.
 */
export function words(text: string): string {
  const flat = fold(text)
    .replace(/['-]/g, ' ')
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return ` ${flat} `;
}

/** Splits a folded text into clauses, so that a negation only reaches its own clause. */
export function clauses(text: string): string[] {
  return fold(text)
    .split(/[.,;!?]|\bmais\b|\bpar contre\b|\bsauf que\b|\bcependant\b|\bneanmoins\b/)
    .map((part) => words(part))
    .filter((part) => part.trim().length > 0);
}

/** Negation markers of spoken French, including the dropped "ne" ("j'ai pas"). */
export const NEGATION = / (pas|aucun|aucune|personne|rien|jamais|sans|ni|non|nulle|nul|plus de|point de) /;

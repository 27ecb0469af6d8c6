// Where it happened, as a person says it: a street and its number ("au 12 rue Victor Hugo"), a
// named place (a shop, a car park, a school, a square, a motorway and its junction), a city,
// "devant chez moi". Only the place is kept, never the rest of the sentence ("... et j'ai
// accroché une voiture garée"), with the parts found (road, named place, city).
import { fold } from './text';

export interface PlaceParts {
  /** The place as said, without the leading preposition: "rue de la République à Lyon". */
  text: string;
  city?: string;
  /** A street, a square, a road or motorway: "12 rue Victor Hugo", "A7", "nationale 7". */
  road?: string;
  /** A named place: "parking du Carrefour de Villeurbanne", "école Jules Ferry". */
  landmark?: string;
}

export interface PlaceOptions {
  /** The client's address, when the directory has it: "devant chez moi" then names it. */
  homeAddress?: string | null;
}

interface Token {
  /** As written. */
  raw: string;
  /** Folded, without punctuation. */
  w: string;
  /** A comma, a full stop... right after the token. */
  breakAfter: boolean;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  // an elided article or pronoun becomes its own token: "l'A7" -> "l'" "A7"
  for (const match of text.normalize('NFC').matchAll(/[^\s'’]+['’]?/g)) {
    const raw = match[0].replace(/^[("«]+/, '');
    const breakAfter = /[,.;:!?)»]$/.test(raw);
    const clean = raw.replace(/[,.;:!?)»"]+$/, '');
    if (clean.length === 0) continue;
    tokens.push({
      raw: clean,
      w: fold(clean)
        .replace(/['’]$/, '')
        .replace(/[^a-z0-9-]/g, ''),
      breakAfter,
    });
  }
  return tokens;
}

const ROAD_HEADS = new Set([
  'rue',
  'avenue',
  'av',
  'boulevard',
  'bd',
  'bld',
  'place',
  'chemin',
  'route',
  'allee',
  'impasse',
  'quai',
  'cours',
  'square',
  'passage',
  'esplanade',
  'promenade',
  'faubourg',
  'voie',
  'sentier',
  'ruelle',
  'nationale',
  'departementale',
]);
/** Heads that are also common words: a name must follow ("place Bellecour", not "ma place"). */
const AMBIGUOUS_HEADS = new Set(['place', 'chemin', 'route', 'cours', 'passage', 'voie']);
const MOTORWAY = /^(a|n|d|rn|rd|m)-?\d{1,4}$/;
const MOTORWAY_HEADS = new Set(['autoroute', 'peripherique', 'periph', 'rocade', 'bretelle', 'echangeur']);
const LANDMARK_HEADS = new Set([
  'parking',
  'centre',
  'supermarche',
  'hypermarche',
  'magasin',
  'station',
  'gare',
  'pont',
  'tunnel',
  'ecole',
  'college',
  'lycee',
  'creche',
  'universite',
  'fac',
  'hopital',
  'clinique',
  'pharmacie',
  'boulangerie',
  'mairie',
  'eglise',
  'stade',
  'piscine',
  'gymnase',
  'cinema',
  'restaurant',
  'banque',
  'poste',
  'usine',
  'entrepot',
  'parc',
  'plage',
  'port',
  'aeroport',
  'marche',
  'rond-point',
  'intersection',
  'croisement',
  'angle',
  'peage',
  'aire',
  'zone',
  'residence',
  'lotissement',
  'cite',
  'quartier',
  'camping',
  'garage',
  'carrefour',
  'sortie',
]);
const BRANDS = new Set([
  'leclerc',
  'auchan',
  'lidl',
  'aldi',
  'intermarche',
  'casino',
  'monoprix',
  'franprix',
  'ikea',
  'decathlon',
  'castorama',
  'leroy',
  'mcdonald',
  'mcdonalds',
  'mcdo',
  'total',
  'esso',
  'cora',
  'match',
  'netto',
  'biocoop',
  'picard',
  'darty',
  'boulanger',
  'conforama',
  'kiabi',
  'norauto',
  'feu-vert',
  'speedy',
  'midas',
]);
const PREPOSITIONS = new Set([
  'sur',
  'dans',
  'a',
  'au',
  'aux',
  'en',
  'devant',
  'derriere',
  'vers',
  'pres',
  'chez',
  'face',
  'niveau',
  'cote',
  'entree',
  'sortie',
  'bout',
  'coin',
  'pied',
  'juste',
  'hauteur',
  'proximite',
]);
const ARTICLES = new Set(['le', 'la', 'l', 'les', 'un', 'une', 'du', 'des', 'de', 'd']);
/** Words inside a name: "rue de la République", "place du Marché". */
const NAME_LINKS = new Set([
  'de',
  'du',
  'des',
  'la',
  'le',
  'l',
  'd',
  'les',
  'aux',
  'sur',
  'sous',
  'saint',
  'sainte',
]);
/** Words that end a place: another clause, a time, a person. */
const STOP = new Set([
  'et',
  'quand',
  'lorsque',
  'lorsqu',
  'alors',
  'mais',
  'puis',
  'ou',
  'qui',
  'que',
  'qu',
  'parce',
  'car',
  'pendant',
  'avec',
  'comme',
  'donc',
  'hier',
  'avant-hier',
  'aujourd',
  'ce',
  'cet',
  'cette',
  'ca',
  'vers',
  'j',
  'je',
  'il',
  'elle',
  'on',
  'm',
  'nous',
  'ils',
  'elles',
  'un',
  'une',
  'en',
  'pour',
  'ma',
  'mon',
  'mes',
  'lundi',
  'mardi',
  'mercredi',
  'jeudi',
  'vendredi',
  'samedi',
  'dimanche',
  'matin',
  'soir',
  'nuit',
  'midi',
  'minuit',
  'y',
  'c',
  'mais',
  'quelqu',
  'personne',
  'heureusement',
  'malheureusement',
  'vraiment',
  'juste',
  'il',
  // "le parking s'est refermé", "le parc n'avait": a verb begins
  's',
  'se',
  'n',
  'ne',
  // "dans le parking souterrain après l'orage", "d'un parking sans céder le passage"
  'apres',
  'avant',
  'depuis',
  'sans',
  'suite',
  'lors',
]);
/** After "à": words that are no city ("à pied", "à côté", "à 18h"). */
const NOT_CITY = new Set([
  'pied',
  'velo',
  'moto',
  'cote',
  'fond',
  'peine',
  'nouveau',
  'cause',
  'droite',
  'gauche',
  'toute',
  'peu',
  'part',
  'l',
  'la',
  'le',
  'les',
  'la-bas',
  'domicile',
  'maison',
  'travers',
  'vive',
  'grande',
  'un',
  'une',
  'ce',
  'cette',
  // "il a pas freiné", "il a rien pris", "ça a tout inondé": "a" is the verb
  'pas',
  'plus',
  'jamais',
  'rien',
  'tout',
  'toute',
  'deja',
  'bien',
  'encore',
  'eu',
  'ete',
  'fait',
  // "à temps", "à tort", "à nouveau", "à deux", "frein à main", "à terre"
  'temps',
  'main',
  // "il a mal au dos"
  'mal',
  'terre',
  'jour',
  'plat',
  'mort',
  'tort',
  'raison',
  'vitesse',
  'deux',
  'trois',
  'quatre',
  'cinq',
  'six',
  'dix',
  'moi',
  'lui',
  'elle',
  'nous',
  'eux',
]);

/** "à changer de file", "machine à laver": an infinitive after "à" is no city. */
const INFINITIVE = /^[a-z]+(er|ir|re)$/;

const isCapitalized = (t: Token) => /^[A-ZÀ-Ý]/.test(t.raw) || /\d/.test(t.raw);
const join = (tokens: readonly Token[]) =>
  tokens
    .map((t) => t.raw)
    .join(' ')
    .replace(/(['’]) /g, '$1');

const isStop = (t: Token | undefined) =>
  t === undefined || (STOP.has(t.w) && !/^[A-ZÀ-Ý]/.test(t.raw)) || /^\d{1,2}h\d*$/.test(t.w);

/**
 * The name after a head ("de la République", "Bellecour", "du Carrefour de Villeurbanne"):
 * link words and names, until a clause or a time begins. Returns the index after the name.
 */
function nameEnd(tokens: readonly Token[], from: number, max = 7): number {
  let end = from;
  // a head ends its clause ("garée sur le boulevard, a eu les vitres cassées"), or a new
  // clause starts with its subject ("dans la rue le toit est enfoncé"): no name
  if (tokens[from - 1]?.breakAfter) return from;
  const first = tokens[from];
  if (first && /^(le|la|les|l|un|une)$/.test(first.w) && !isCapitalized(first)) return from;
  for (let i = from; i < tokens.length && i < from + max; i += 1) {
    const t = tokens[i];
    // "parking de mon travail": a possessive after "de" belongs to the name
    const possessive =
      /^(ma|mon|mes)$/.test(t?.w ?? '') && /^(de|d)$/.test(tokens[i - 1]?.w ?? '') && i > from;
    if (!t || (isStop(t) && !possessive)) break;
    // "à Lyon": the city, read apart
    if ((t.w === 'a' || t.w === 'pres') && i > from) break;
    end = i + 1;
    if (t.breakAfter) break;
  }
  // a name does not end on a link word: "rue de la" + stop
  while (end > from && NAME_LINKS.has(tokens[end - 1]?.w ?? '') && !tokens[end - 1]?.breakAfter) end -= 1;
  return end;
}

/**
 * "a" without its accent is the verb as often as the preposition ("il a grillé", "elle a
 * pilé"): it introduces a city only when the next word is no past participle.
 */
const PARTICIPLE = /(e|ee|es|ees|i|is|it|ie|u|ue|us|ert|eint|oint|ait)$/;
function isVerbA(tokens: readonly Token[], i: number): boolean {
  const next = tokens[i + 1];
  // "il y a deux jours": the verb, whatever follows
  if (tokens[i]?.raw.toLowerCase() === 'a' && tokens[i - 1]?.w === 'y') return true;
  return (
    tokens[i]?.raw.toLowerCase() === 'a' &&
    next !== undefined &&
    !isCapitalized(next) &&
    PARTICIPLE.test(next.w)
  );
}

/** "à Lyon", "près de Valence", "à hauteur de Vichy", "de Villeurbanne" right after a place. */
function cityAfter(
  tokens: readonly Token[],
  i: number,
  lowerCaseText: boolean,
): { city: string; end: number } | null {
  let j = i;
  if (tokens[j]?.w === 'a' && tokens[j + 1]?.w === 'hauteur' && /^d/.test(tokens[j + 2]?.w ?? '')) j += 3;
  else if (tokens[j]?.w === 'pres' && /^d/.test(tokens[j + 1]?.w ?? '')) j += 2;
  else if ((tokens[j]?.w === 'a' && !isVerbA(tokens, j)) || tokens[j]?.w === 'vers') j += 1;
  else return null;
  const first = tokens[j];
  if (!first || NOT_CITY.has(first.w) || /^\d/.test(first.w) || isStop(first)) return null;
  if (!isCapitalized(first) && (!lowerCaseText || INFINITIVE.test(first.w))) return null;
  const end = cityEnd(tokens, j);
  return end > j ? { city: join(tokens.slice(j, end)), end } : null;
}

/** A city's words: "Saint-Étienne", "Aix-en-Provence", "Le Havre", "Paris 15e". */
function cityEnd(tokens: readonly Token[], from: number): number {
  let end = from + 1;
  if (tokens[from]?.breakAfter) return end;
  while (end < tokens.length && end < from + 4) {
    const t = tokens[end];
    if (!t || isStop(t)) break;
    const joins =
      /^(sur|en|les|le|la|de)$/.test(t.w) && isCapitalized(tokens[end + 1] ?? t) && tokens[end + 1];
    if (!(isCapitalized(t) && !/^\d{3,}/.test(t.w)) && !joins) break;
    end += 1;
    if (t.breakAfter) break;
  }
  return end;
}

interface Anchor {
  start: number;
  end: number;
  kind: 'road' | 'landmark' | 'motorway' | 'home';
}

/** The place's head at token i, with the extent of its name. */
function anchorAt(tokens: readonly Token[], i: number): Anchor | null {
  const t = tokens[i];
  if (!t) return null;
  const next = tokens[i + 1];
  const previous = tokens[i - 1]?.w ?? '';
  // "au 12 rue Victor Hugo", "45 bis avenue Jean Jaurès"
  if (/^\d{1,4}$/.test(t.w)) {
    let j = i + 1;
    if (/^(bis|ter)$/.test(tokens[j]?.w ?? '')) j += 1;
    const head = tokens[j];
    if (head && ROAD_HEADS.has(head.w) && !AMBIGUOUS_HEADS.has(head.w)) {
      const end = nameEnd(tokens, j + 1);
      return end > j + 1 ? { start: i, end, kind: 'road' } : null;
    }
    return null;
  }
  if (ROAD_HEADS.has(t.w)) {
    if (/^(ma|mon|sa|son|une|pas|votre|en|de|cette)$/.test(previous)) return null;
    if (t.w === 'cours' && (previous === 'au' || next?.w === 'de')) return null;
    if (t.w === 'nationale' || t.w === 'departementale') {
      return /^\d/.test(next?.w ?? '') ? { start: i, end: i + 2, kind: 'motorway' } : null;
    }
    if (
      t.w === 'route' &&
      /^(nationale|departementale)$/.test(next?.w ?? '') &&
      /^\d/.test(tokens[i + 2]?.w ?? '')
    ) {
      return { start: i, end: i + 3, kind: 'motorway' };
    }
    const end = nameEnd(tokens, i + 1);
    if (end === i + 1) return null;
    if (AMBIGUOUS_HEADS.has(t.w) && !tokens.slice(i + 1, end).some(isCapitalized)) return null;
    return { start: i, end, kind: 'road' };
  }
  if (MOTORWAY.test(t.w) && (isCapitalized(t) || /^(l|la|le|sur)$/.test(previous))) {
    return { start: i, end: junctionEnd(tokens, i + 1), kind: 'motorway' };
  }
  if (MOTORWAY_HEADS.has(t.w)) {
    let end = i + 1;
    if (MOTORWAY.test(tokens[end]?.w ?? '')) end += 1;
    else if (/^(du|de|des)$/.test(tokens[end]?.w ?? '') && isCapitalized(tokens[end + 1] ?? t)) end += 2;
    // "périphérique porte de Bagnolet"
    if (tokens[end]?.w === 'porte') end = nameEnd(tokens, end + 1) > end + 1 ? nameEnd(tokens, end + 1) : end;
    return { start: i, end: junctionEnd(tokens, end), kind: 'motorway' };
  }
  if (LANDMARK_HEADS.has(t.w) || BRANDS.has(t.w)) {
    if (/^(ma|mon|sa|son|pas|votre|notre)$/.test(previous) && !BRANDS.has(t.w)) return null;
    if (!isLandmark(tokens, i)) return null;
    if (t.w === 'centre' && !/^(commercial|ville|-ville)$/.test(next?.w ?? '')) return null;
    if (t.w === 'sortie' && !/^(de|du|des|d)$/.test(next?.w ?? '')) return null;
    if (t.w === 'marche' && !/^(du|de|des|d)$/.test(next?.w ?? '') && !isCapitalized(next ?? t)) return null;
    let end = nameEnd(tokens, i + 1);
    // "à l'intersection de la rue Nationale et de la rue Solférino"
    if (/^(intersection|croisement|angle|carrefour)$/.test(t.w) && tokens[end]?.w === 'et') {
      const more = nameEnd(tokens, end + 1);
      if (more > end + 1) end = more;
    }
    return { start: i, end, kind: 'landmark' };
  }
  return null;
}

/** Heads that name no place by themselves: "à un carrefour", "au rond-point" say how, not where. */
const NEEDS_NAME = new Set([
  'carrefour',
  'rond-point',
  'intersection',
  'croisement',
  'angle',
  'sortie',
  'aire',
  'zone',
  'quartier',
  'cite',
  'garage',
  'marche',
]);
/** Things hit: "le mur du garage", "le poteau du portail de l'école" name an obstacle, not a place. */
const OBSTACLES = /^(mur|muret|portail|poteau|pilier|barriere|porte|grille|cloture|plot|borne|lampadaire)$/;
/** "à la sortie de l'école", "à la sortie du travail": a moment; "sortie de route": an accident. */
const SORTIE_NOT_PLACE = /^(route|l ecole|ecole|travail|bureau|college|lycee|creche|classe|cours|boulot)$/;

/** Whether the landmark head at i names the place (see NEEDS_NAME, OBSTACLES). */
function isLandmark(tokens: readonly Token[], i: number): boolean {
  const t = tokens[i]!;
  const w = (k: number) => tokens[k]?.w ?? '';
  // "garé", "garée": the participle, not a station; an unaccented "gare" needs "la gare"
  if (t.w === 'gare' && (/^gar[éÉ]/.test(t.raw) || !/^(la|de|en)$/.test(w(i - 1)))) return false;
  // "un parking", "d'un rond-point", "lors d'un match": a kind of place, not the place
  if (/^(un|une)$/.test(w(i - 1)) && !isCapitalized(t)) return false;
  // "le mur du garage de la maison", "le poteau du portail de l'école"
  let k = i - 1;
  while (k >= 0 && /^(de|du|des|d|la|le|l|les)$/.test(w(k))) k -= 1;
  if (k < i - 1 && (OBSTACLES.test(w(k)) || OBSTACLES.test(w(k - 2)))) return false;
  if (k < i - 1 && w(k) === 'sortie' && SORTIE_NOT_PLACE.test(t.w)) return false;
  // "il est resté une nuit à l'hôpital", "les pompiers l'ont emmené à la clinique": where the
  // hurt went afterwards, not where it happened
  if (/^(hopital|clinique)$/.test(t.w)) {
    for (let j = i - 1; j >= Math.max(0, i - 6); j -= 1)
      if (
        /^(reste\w*|emmene\w*|transporte\w*|conduit\w*|amene\w*|hospitalise\w*|evacue\w*|parti\w*|alle\w*|passe\w*)$/.test(
          w(j),
        )
      )
        return false;
  }
  if (t.w === 'sortie') {
    let j = i + 1;
    while (/^(de|du|d|la|l|le)$/.test(w(j))) j += 1;
    if (SORTIE_NOT_PLACE.test(w(j)) || (w(j) === 'l' && SORTIE_NOT_PLACE.test(`l ${w(j + 1)}`))) return false;
  }
  // their name is a capitalized word, a number or a complement: "rond-point de la Liberté"
  if (NEEDS_NAME.has(t.w) && !isCapitalized(t)) {
    const next = tokens[i + 1];
    if (nameEnd(tokens, i + 1) === i + 1 || !next || !(isCapitalized(next) || /^(de|du|des|d)$/.test(next.w)))
      return false;
  }
  return true;
}

/** "à la sortie 15", "au niveau de la sortie Auxerre", "entre Lyon et Chambéry", "à hauteur de". */
function junctionEnd(tokens: readonly Token[], from: number): number {
  let i = from;
  const w = (k: number) => tokens[k]?.w ?? '';
  if (tokens[i - 1]?.breakAfter) return i;
  if (w(i) === 'a' && w(i + 1) === 'la' && w(i + 2) === 'sortie') i += 3;
  else if (w(i) === 'au' && w(i + 1) === 'niveau' && /^d/.test(w(i + 2))) {
    i += 3;
    if (w(i) === 'la' || w(i) === 'l') i += 1;
    if (
      w(i) !== 'sortie' &&
      w(i) !== 'peage' &&
      w(i) !== 'echangeur' &&
      !isCapitalized(tokens[i] ?? tokens[0]!)
    )
      return from;
    if (w(i) === 'sortie' || w(i) === 'peage' || w(i) === 'echangeur') i += 1;
  } else if (w(i) === 'sortie') i += 1;
  else if (w(i) === 'entre' && isCapitalized(tokens[i + 1] ?? tokens[0]!) && w(i + 2) === 'et') {
    return cityEnd(tokens, i + 3);
  } else return from;
  if (/^(n|no|numero)$/.test(w(i))) i += 1;
  if (/^\d/.test(w(i)) || (tokens[i] && isCapitalized(tokens[i]!))) return cityEnd(tokens, i);
  return from;
}

const HOME_NEAR =
  /\b((?:juste |pile )?(?:devant|en bas de|en face de|pres de|a cote de|au pied de) (?:chez moi|chez nous|mon domicile|ma maison|mon immeuble|ma residence)|dans ma rue|dans notre rue)\b/;
const HOME_IN =
  / (chez moi|chez nous|a la maison|a mon domicile|a domicile|dans mon (appartement|appart|garage|jardin|immeuble|salon|sous sol)|dans ma (maison|cuisine|salle de bain|chambre|cave|buanderie|veranda)|dans notre (maison|appartement|immeuble)) /;

/** Where it happened, or null. */
export function parsePlaceParts(text: string, options: PlaceOptions = {}): PlaceParts | null {
  const folded = ` ${fold(text)
    .replace(/['-]/g, ' ')
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')} `;
  const near = HOME_NEAR.exec(fold(text).replace(/['’]/g, ' ').replace(/\s+/g, ' '));
  const tokens = tokenize(text);
  const lowerCaseText = text === text.toLowerCase();
  let best: Anchor | null = null;
  const away = whereabouts(tokens);
  for (let i = 0; i < tokens.length; i += 1) {
    if (away.has(i)) continue;
    const anchor = anchorAt(tokens, i);
    if (!anchor) continue;
    // a street wins over a landmark ("au carrefour de la rue X"): keep the first of each kind
    if (!best || (best.kind === 'landmark' && anchor.kind !== 'landmark' && !inside(best, anchor)))
      best = anchor;
    if (best.kind !== 'landmark') break;
    i = anchor.end - 1;
  }
  if (best) return withCity(tokens, best, lowerCaseText);
  if (near?.[1]) {
    const words = near[1].replace(/^(juste|pile) /, '');
    const said = originalSpan(text, words) ?? words;
    return { text: options.homeAddress ? `${said} (${options.homeAddress})` : said };
  }
  const home = homeIn(folded);
  const city = standaloneCity(tokens, lowerCaseText);
  // "chez moi à Rennes": the home, in its town
  if (city && home && new RegExp(`${home} a ${fold(city).replace(/['-]/g, ' ')} `).test(folded))
    return { text: 'domicile', city };
  if (city) return { text: city, city };
  if (home) return { text: 'domicile' };
  return null;
}

/**
 * "chez moi" and the like, when it is where it happened: not where the client went back to
 * ("je suis rentré chez moi"), not where it came from ("ça vient de chez moi"), not one of
 * two guesses ("chez moi ou chez le voisin"). Returns the words found, or null.
 */
function homeIn(folded: string): string | null {
  for (const m of folded.matchAll(new RegExp(HOME_IN.source, 'g'))) {
    const before = folded.slice(0, m.index + 1);
    const after = folded.slice(m.index + m[0].length - 1);
    if (/ (rentr\w*|revenu\w*|retour\w*|arriv\w*|parti\w*|sorti\w*|de|si|soit) $/.test(before)) continue;
    if (/^ (ou|soit) (chez|a|dans) /.test(after)) continue;
    return m[0].trim();
  }
  return null;
}

/**
 * Where the client was while it happened elsewhere: "pendant que j'étais à l'hôpital",
 * "pendant qu'on était au restaurant". Those tokens name no place of the claim.
 */
function whereabouts(tokens: readonly Token[]): Set<number> {
  const away = new Set<number>();
  const w = (k: number) => tokens[k]?.w ?? '';
  for (let i = 0; i < tokens.length; i += 1) {
    if (w(i) !== 'pendant' || !/^(que|qu)$/.test(w(i + 1))) continue;
    if (!/^(je|j|on|nous|il|elle|ils|elles|vous)$/.test(w(i + 2))) continue;
    if (!/^(etais|etait|etions|etiez|etaient|suis|sommes|est|etes|sont)$/.test(w(i + 3))) continue;
    if (!/^(a|au|aux)$/.test(w(i + 4))) continue;
    for (let k = i; k < Math.min(tokens.length, i + 9); k += 1) {
      away.add(k);
      if (tokens[k]?.breakAfter) break;
    }
  }
  return away;
}

const inside = (outer: Anchor, inner: Anchor) => inner.start >= outer.start && inner.end <= outer.end;

/** The words as written for a folded span, when they can be found. */
function originalSpan(text: string, foldedSpan: string): string | null {
  const source = text.normalize('NFC').replace(/\s+/g, ' ');
  const index = fold(source).replace(/['’]/g, ' ').indexOf(foldedSpan);
  return index >= 0 && fold(source).length === source.length
    ? source.slice(index, index + foldedSpan.length)
    : null;
}

function withCity(tokens: readonly Token[], anchor: Anchor, lowerCaseText: boolean): PlaceParts {
  const span = tokens.slice(anchor.start, anchor.end);
  let text = join(span);
  let end = anchor.end;
  let city: string | undefined;
  const after = cityAfter(tokens, end, lowerCaseText);
  if (after && !tokens[end - 1]?.breakAfter) {
    city = after.city;
    end = after.end;
    text = join(tokens.slice(anchor.start, end));
  } else {
    // a city said apart: "à Marseille, boulevard Michelet", "chemin des Vignes, à Mâcon"
    const elsewhere = standaloneCity(tokens, lowerCaseText, anchor);
    if (elsewhere) {
      city = elsewhere;
      text = `${text} à ${elsewhere}`;
    }
  }
  // the motorway's junction or the city of a span: "entre Lyon et Chambéry", "près de Valence"
  const parts: PlaceParts = { text };
  if (city) parts.city = city;
  if (anchor.kind === 'road' || anchor.kind === 'motorway') {
    const road = anchor.kind === 'motorway' ? motorwayName(span) : join(span);
    if (road) parts.road = road;
  } else {
    parts.landmark = join(span);
    // "rond-point de la Liberté à Nantes": a named place that is also a road
  }
  return parts;
}

function motorwayName(span: readonly Token[]): string {
  const code = span.find((t) => MOTORWAY.test(t.w));
  if (code) return code.raw.replace(/-/g, '').toUpperCase();
  if (span[0] && /^(nationale|departementale|route)$/.test(span[0].w)) {
    const number = span.findIndex((t) => /^\d/.test(t.w));
    return join(span.slice(0, number + 1));
  }
  return span[0]?.raw ?? '';
}

/** "à Bordeaux", "c'était à Saint-Étienne": a city with no street or named place. */
function standaloneCity(tokens: readonly Token[], lowerCaseText: boolean, exclude?: Anchor): string | null {
  for (let i = 0; i < tokens.length; i += 1) {
    if (exclude && i >= exclude.start && i < exclude.end) continue;
    const t = tokens[i]!;
    if (!/^(a|au|sur|pres|vers|dans)$/.test(t.w) || isVerbA(tokens, i)) continue;
    let j = i + 1;
    if (t.w === 'pres' && /^d/.test(tokens[j]?.w ?? '')) j += 1;
    const first = tokens[j];
    if (!first || NOT_CITY.has(first.w) || /^\d/.test(first.w) || PREPOSITIONS.has(first.w)) continue;
    if (ARTICLES.has(first.w) || isStop(first)) continue;
    if (!isCapitalized(first) && !(lowerCaseText && t.w === 'a' && !INFINITIVE.test(first.w))) continue;
    if (
      /^(Je|J|Il|Elle|On|Nous|Oui|Non|Hier|Lundi|Mardi|Mercredi|Jeudi|Vendredi|Samedi|Dimanche)$/.test(
        first.raw,
      )
    )
      continue;
    if (exclude && j >= exclude.start && j < exclude.end) continue;
    const end = cityEnd(tokens, j);
    // "à Nantes, enfin à Rezé": the client corrects himself, the second city is the one
    const k = end + (/^(ou|non)$/.test(tokens[end]?.w ?? '') && tokens[end + 1]?.w === 'plutot' ? 1 : 0);
    if (/^(enfin|non|pardon|plutot)$/.test(tokens[k]?.w ?? '') && /^(a|au)$/.test(tokens[k + 1]?.w ?? '')) {
      const second = tokens[k + 2];
      if (second && isCapitalized(second) && !NOT_CITY.has(second.w))
        return join(tokens.slice(k + 2, cityEnd(tokens, k + 2)));
    }
    return join(tokens.slice(j, end));
  }
  return null;
}

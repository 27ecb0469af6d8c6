// What kind of claim is it? A weighted keyword vote over the description. Vehicle words
// alone do not make a collision, and a collision with someone hurt stays a collision (the
// injury is recorded separately): "blessure" is for bodily harm without a road accident.
import { words } from './text';

export type ClaimType = 'collision' | 'vol' | 'incendie' | 'degats' | 'blessure';

export const CLAIM_TYPES: readonly ClaimType[] = ['collision', 'vol', 'incendie', 'degats', 'blessure'];

interface Cue {
  readonly type: ClaimType;
  readonly pattern: RegExp;
  readonly weight: number;
}

const CUES: readonly Cue[] = [
  // collision
  {
    type: 'collision',
    pattern: / (collision|carambolage|accrochage|accroch\w*|tamponn\w*|emboutie?s?|embouti\w*) /,
    weight: 4,
  },
  {
    type: 'collision',
    pattern:
      / (percut\w*|heurt\w*|defonc\w*|rentr\w* (dans|dedans)|rentre dedans|m a (tape|touche|rentre)|(choc|collision) (avec|frontal|arriere)) /,
    weight: 4,
  },
  {
    type: 'collision',
    pattern: / accident( de (la )?(voiture|route|circulation|moto|scooter|velo|la route))? /,
    weight: 3,
  },
  {
    type: 'collision',
    pattern:
      / (l ai|les ai|l a|nous a|m a|m ont|l ont) (touchee?|percutee?|heurtee?|renversee?|accrochee?|tamponnee?|emboutie?) |(tape|tapee) (un|une|le|la|dans|contre|l) |(en|me) (me garant|garant|stationnant|manoeuvrant|sortant du parking|sortant de ma place)|accroche (mon|ma|le|la) /,
    weight: 4,
  },
  {
    type: 'collision',
    pattern:
      / (sortie? de route|fosse|perdu le controle|aquaplaning|verglas|renvers\w*|tonneaux?|recul\w*|marche arriere|en manoeuvrant|creneau) /,
    weight: 3,
  },
  {
    type: 'collision',
    pattern:
      / (contre|dans) (un|une|le|la) (arbre|mur|poteau|trottoir|plot|muret|glissiere|barriere|lampadaire|portail|pilier) /,
    weight: 2,
  },
  {
    type: 'collision',
    pattern:
      / (voiture|vehicule|camion|moto|scooter|velo|bus|camionnette|auto|pare chocs?|parechoc|retroviseur|portiere|aile|conducteur|automobiliste|cycliste|pieton|poids lourd|utilitaire|taxi|tracteur|trottinette|motard|motocycliste|camping car|fourgon|van|tram|tramway|deux roues|periph|peripherique) /,
    weight: 1,
  },
  {
    type: 'collision',
    pattern:
      / (feu rouge|stop|priorite|rond point|carrefour|doubl\w*|depass\w*|autoroute|parking|freine\w*|constat) /,
    weight: 1,
  },
  // vol
  {
    type: 'vol',
    pattern:
      / (vol|vols|voles?|volees?|voler|volait|volent|il manque|(a|ont) ete visitee?s?|cambriol\w*|effraction|derob\w*|subtilis\w*|pickpocket|carjacking|car jacking|home jacking|braqu\w*) /,
    weight: 5,
  },
  {
    type: 'vol',
    pattern:
      / (arrach\w* (mon|ma|mes|le|la|son|sa|notre|nos|des mains|du cou|de l epaule)|parti\w* avec (mon|ma|mes|notre|nos|la|le|les)|(retrouve|trouve) plus (mon|ma|mes|notre|nos)|pique (mon|ma|mes)|piquer (mon|ma|mes)|disparu\w*|(n est|n etait|est) plus la|plus de (voiture|moto|scooter|velo)|force (la|le|ma|mon|les|notre|nos)|fractur\w* (la|le|ma|mon|notre|les)|introdui\w*|sont entres|est entre|pris (mes|mon|ma|les|nos|notre)|emporte\w*|voleurs?|kidnapp\w*|agress\w*) /,
    weight: 3,
  },
  // incendie
  {
    type: 'incendie',
    pattern:
      / (incendi\w*|flamb\w*|flammes?|pris feu|prend feu|en feu|mis le feu|feu a pris|feu (de|d) \w+|brule\w*|brulee?s?|crame\w*|fumee\w*|explos\w*|court circuit|embras\w*|calcin\w*) /,
    weight: 5,
  },
  // a bare "feu" may be a traffic light ("heurté au feu"): weaker than a collision cue
  { type: 'incendie', pattern: / feu /, weight: 3 },
  { type: 'incendie', pattern: / (pompiers|extincteur|cendres?) /, weight: 1 },
  // degats
  {
    type: 'degats',
    pattern:
      / (degats? des eaux|degat des eaux|fuites?|inond\w*|infiltr\w*|canalisations?|tuyau\w*|ballon d eau|chauffe eau|machine a laver|lave vaisselle|deborde\w*|humidite|moisissures?|plafond|grele|grelons?|endommag\w*|tempete|orage|ouragan|tornade|foudre|tuiles?|toiture|vandal\w*|cass\w* (les|la|le|une|des|mes|ma|mon) (vitres?|fenetres?|vitrines?|portes?|serrures?|boites? aux lettres)|degrad\w*|creve\w*|tags?|tague\w*|rayee?s?|rayures?|bris de glace|pare brise|vitres? cass\w*|fenetres? cass\w*|cabosse\w*|eclate\w*|degat\w*|abim\w*|catastrophe naturelle|neige|crue|gel|gele\w*|sinistre d eau) /,
    weight: 3,
  },
  {
    type: 'degats',
    pattern: / (eau|mouille\w*|trempe\w*|arbre (est )?tombe|branche|casse\w*|fissur\w*|toit) /,
    weight: 2,
  },
  { type: 'degats', pattern: / (eau|eaux) /, weight: 3 },
  { type: 'degats', pattern: / objettombe /, weight: 3 },
  // someone fell ("mon mari est tombé du toit"); falling objects were rewritten above
  {
    type: 'blessure',
    pattern:
      / (suis|es|est|sommes|sont|etais|etait|etaient) tombee?s? (du|de la|de l|d un|d une|dans|par|en|sur|a|au) /,
    weight: 4,
  },
  // blessure
  {
    type: 'blessure',
    pattern:
      / (accident (de ski|de sport|domestique|de la vie courante|du travail|de travail)|(genou|cheville|poignet|bras|jambe|epaule|dos|hanche|main|pied|doigt|tete|nez|dent|dents) (touchee?|blessee?|abimee?|amochee?|fracturee?|cassee?)) /,
    weight: 4,
  },
  {
    type: 'blessure',
    pattern:
      / (me suis|m etais|s est|s etait|se sont|t es|nous sommes|vous etes) (fait mal|tordu\w*|foule\w*|cogne\w*|coupe\w*|casse\w*|fracture\w*|luxe\w*|ouvert\w*|pete\w*|blesse\w*|fait une entorse|fait mordre|fait renverser) /,
    weight: 4,
  },
  {
    type: 'blessure',
    pattern:
      / (bless\w*|entorse|fractur\w*|mordu\w*|mordre|mord|morsure|commotion|hospitalis\w*|plaie|hematome|luxation|foulure) /,
    weight: 4,
  },
  {
    type: 'blessure',
    pattern:
      / (mal (au|a la|aux|a l)|douleurs?|chute|chut\w*|tombee?s?|tombe dans|glisse\w*|urgences|hopital|samu|coupee?s?|coupure|me suis brule|s est brule\w*|se brule\w*|accident domestique|accident du travail|(casse|cassee) (le|la|les|un|une|son|sa|ses|mon|ma|mes) (bras|jambe|jambes|poignet|cheville|nez|cote|cotes|dent|dents|pied|main|doigt|genou|hanche|epaule|clavicule|col du femur|femur|tibia)) /,
    weight: 3,
  },
];

/** Phrases that cancel a cue: a red light is not a fire, "nothing was stolen" is not a theft. */
const CANCELLERS: readonly [RegExp, string][] = [
  [
    / feux? (rouges?|verts?|orange|tricolores?|de signalisation|clignotants?|de croisement|de route|de position|arriere) /g,
    ' signal ',
  ],
  [
    / (rien (n a|n ont)? ?(ete )?(vole|pris)|rien de vole|pas (ete )?vole|sans rien (voler|prendre)) /g,
    ' intact ',
  ],
  [/ (coup de feu) /g, ' tir '],
  // a falling tree or tile is damage, not a fall that hurts someone
  [
    / (arbres?|branches?|tuiles?|cheminee|mur|poteau|antenne|pot|etagere|plafond|volet|grue|panneau)( \w+){0,3} (est |sont )?tombee?s? /g,
    ' $1 objettombe ',
  ],
  // a torn-off mirror is a collision, not a theft
  [
    / arrache\w* (mon|ma|le|la|les|mes) (retroviseurs?|pare chocs?|portieres?|ailes?|pare brise) /g,
    ' accroche $2 ',
  ],
  // a burnt hand is an injury, not a fire
  [/ (me suis|s est|se sont|t es|nous sommes|vous etes) brule\w* /g, ' me suis blesse '],
  [/ (pas de blesse|aucun blesse|personne (n est|n a ete) blesse|pas blesse|sans blesse) /g, ' indemne '],
];

export interface ClaimTypeScores {
  readonly best: ClaimType | null;
  readonly scores: Readonly<Record<ClaimType, number>>;
}

export function scoreClaimType(text: string): ClaimTypeScores {
  let w = words(text);
  for (const [pattern, replacement] of CANCELLERS) w = w.replace(pattern, replacement);
  const scores: Record<ClaimType, number> = { collision: 0, vol: 0, incendie: 0, degats: 0, blessure: 0 };
  for (const cue of CUES) {
    const matches = w.match(new RegExp(cue.pattern.source, 'g'));
    if (matches) scores[cue.type] += cue.weight * Math.min(matches.length, 2);
  }
  // a road accident with someone hurt is a collision; a fire that hurts is a fire
  if (scores.collision >= 4 && scores.blessure > 0)
    scores.blessure = Math.min(scores.blessure, scores.collision - 1);
  if (scores.incendie >= 5 && scores.blessure > 0)
    scores.blessure = Math.min(scores.blessure, scores.incendie - 1);
  // vehicle words make a collision only alongside an event
  if (
    scores.collision > 0 &&
    scores.collision <= 2 &&
    (scores.vol > 0 || scores.incendie > 0 || scores.degats > 0)
  ) {
    scores.collision = 0;
  }
  let best: ClaimType | null = null;
  let bestScore = 2; // vehicle words alone are not enough
  for (const type of CLAIM_TYPES) {
    if (scores[type] > bestScore) {
      best = type;
      bestScore = scores[type];
    }
  }
  return { best, scores };
}

/** The claim type described by free text, or null when the text does not say. */
export const parseClaimType = (text: string): ClaimType | null => scoreClaimType(text).best;

/** Answers to "Est-ce un accident, un vol, un incendie, un dégât des eaux ou une blessure ?" */
export function parseClaimTypeAnswer(text: string): ClaimType | null {
  const direct = parseClaimType(text);
  if (direct) return direct;
  const w = words(text);
  if (/ (accident|collision|voiture|route) /.test(w)) return 'collision';
  if (/ (vol|cambriolage) /.test(w)) return 'vol';
  if (/ (incendie|feu) /.test(w)) return 'incendie';
  if (/ (degat|degats|eau|tempete|vandalisme) /.test(w)) return 'degats';
  if (/ (blessure|corporel|corporelle) /.test(w)) return 'blessure';
  return null;
}

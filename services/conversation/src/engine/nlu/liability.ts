// Who is at fault, read from the client's story with the conventions French insurers settle
// motor claims by between themselves (IRSA / IDA convention cases): the one who hits from
// behind, refuses a priority, runs a red light, reverses, opens a door, changes lanes or hits a
// parked car is at fault. Who did what decides: "il a grillé le feu" blames the third party,
// "j'ai grillé le feu" the client. A wrong answer hides or fakes an escalation ("Tiers
// responsable" is an escalation trigger), so anything unsettled (no rule, rules that disagree,
// doubt, reported words) is unknown, and the bot asks.
import { parseConfirmation } from './confirm';
import { fold, type ReadMode, words } from './text';

/** The rule that settled the responsibility (kept in the collected facts for the advisor). */
export type LiabilityRule =
  | 'CHOC_ARRIERE'
  | 'REFUS_PRIORITE'
  | 'FEU_ROUGE'
  | 'MARCHE_ARRIERE'
  | 'OUVERTURE_PORTIERE'
  | 'CHANGEMENT_FILE'
  | 'STATIONNEMENT'
  | 'MANOEUVRE'
  | 'VEHICULE_ARRETE'
  | 'ORIGINE_TIERS'
  | 'DECLARATION'
  | 'REPONSE_CLIENT'
  | 'INDETERMINEE';

export interface Liability {
  /** tiers_responsable: true (third party at fault), false (the client), null (unsettled: ask). */
  responsible: boolean | null;
  /** The rule that decided, or why it is unsettled (INDETERMINEE); null when nothing was said. */
  rule: LiabilityRule | null;
  /** French, for the advisor: "Refus de priorité par le tiers". */
  label: string | null;
}

type Side = 'tiers' | 'client';

/** The case's name, then who is at fault: the third party, the client. */
const LABELS: Readonly<Record<Exclude<LiabilityRule, 'INDETERMINEE'>, string>> = {
  CHOC_ARRIERE: 'Choc à l’arrière (même sens, même file)',
  REFUS_PRIORITE: 'Refus de priorité (stop, cédez-le-passage, priorité à droite)',
  FEU_ROUGE: 'Franchissement d’un feu rouge',
  MARCHE_ARRIERE: 'Marche arrière',
  OUVERTURE_PORTIERE: 'Ouverture de portière',
  CHANGEMENT_FILE: 'Changement de file',
  STATIONNEMENT: 'Véhicule en stationnement heurté',
  MANOEUVRE: 'Manœuvre (créneau, sortie de stationnement)',
  VEHICULE_ARRETE: 'Véhicule à l’arrêt heurté',
  ORIGINE_TIERS: 'Sinistre venu de chez un tiers',
  DECLARATION: 'Déclaration du client',
  REPONSE_CLIENT: 'Réponse du client à la question',
};

const AT_FAULT: Readonly<Record<Side, string>> = { tiers: 'tiers en tort', client: 'assuré en tort' };

export function liabilityLabel(rule: LiabilityRule, responsible: boolean | null): string {
  if (rule === 'INDETERMINEE' || responsible === null) return 'Responsabilité non établie par le récit';
  return `${LABELS[rule]} : ${AT_FAULT[responsible ? 'tiers' : 'client']}`;
}

// ---------------------------------------------------------------------------------------------
// Who did it: the subject of the act, found by walking left from the cue to the nearest subject
// (a gerund "en reculant" takes the subject of its main clause, to the right).

const SELF_WORDS = new Set(['je', 'j', 'moi']);
const OTHER_WORDS = new Set([
  'il',
  'elle',
  'ils',
  'elles',
  'lui',
  'qui',
  'tiers',
  'autre',
  'conducteur',
  'conductrice',
  'automobiliste',
  'voiture',
  'vehicule',
  'camion',
  'camionnette',
  'utilitaire',
  'fourgon',
  'fourgonnette',
  'moto',
  'motard',
  'scooter',
  'cycliste',
  'velo',
  'bus',
  'car',
  'taxi',
  'vtc',
  'livreur',
  'chauffeur',
  'tracteur',
  'suv',
  'poids',
  'semi',
  'van',
  'type',
  'mec',
  'gars',
  'dame',
  'monsieur',
  'femme',
  'homme',
  'jeune',
  'passager',
  'passagere',
  'pieton',
  'pietonne',
  'clio',
  'twingo',
  'golf',
  'tesla',
  'berline',
  'break',
]);
const OBJECT_ME = new Set(['m', 'me', 'nous']);
const POSSESSIVE_MINE = new Set(['ma', 'mon', 'mes', 'notre', 'nos']);
/** Words that stop the walk: another clause begins. */
const CLAUSE_BREAK = new Set([
  'et',
  'mais',
  'puis',
  'quand',
  'lorsque',
  'lorsqu',
  'alors',
  'car',
  'parce',
  'que',
  'qu',
]);

/** Who the subject at `index` (a subject-like token) designates. */
function subjectAt(tokens: readonly string[], index: number): Side | null {
  const token = tokens[index] ?? '';
  const previous = tokens[index - 1] ?? '';
  // "derrière moi", "pour moi": not a subject
  if ((token === 'moi' || token === 'lui') && PREPOSITIONS.has(previous)) return null;
  // "je lui ai coupé la route": an object before the auxiliary, the subject is further left
  if (
    (token === 'lui' || token === 'leur') &&
    /^(ai|a|as|avons|avez|ont|avais|avait|avions)$/.test(tokens[index + 1] ?? '')
  )
    return null;
  // "c'est moi qui ai reculé", "c'est lui qui est passé au rouge": the antecedent decides
  if (token === 'qui') return previous === 'moi' || previous === 'nous' ? 'client' : 'tiers';
  if (SELF_WORDS.has(token)) return 'client';
  if (OBJECT_ME.has(token)) {
    // "je me suis rabattu", "en me rabattant": reflexive; "il m'a percuté", "on m'a percuté": someone else
    return previous === 'je' || previous === 'j' || previous === 'en' ? 'client' : 'tiers';
  }
  if (token === 'on')
    return OBJECT_ME.has(tokens[index + 1] ?? '') || tokens[index + 1] === 'l' ? 'tiers' : null;
  if (OTHER_WORDS.has(token)) {
    // "ma voiture", "ma passagère": the client's side
    if (POSSESSIVE_MINE.has(previous)) return 'client';
    return 'tiers';
  }
  return null;
}

const PREPOSITIONS = new Set([
  'derriere',
  'devant',
  'cote',
  'pour',
  'avec',
  'contre',
  'sur',
  'de',
  'a',
  'chez',
  'vers',
  'sans',
]);

const isSubject = (t: string) => SELF_WORDS.has(t) || OTHER_WORDS.has(t) || OBJECT_ME.has(t) || t === 'on';

interface Actor {
  side: Side | null;
  /** A negation between the subject and the act ("je n'ai pas grillé le feu"). */
  negated: boolean;
  /** A passive between them ("j'ai été percuté", "ma voiture a été emboutie"). */
  passive: boolean;
}

/** "en reculant", "en me rabattant", "en faisant (une) marche arrière": the gerund's start, or -1. */
function gerundAt(tokens: readonly string[], cueStart: number): number {
  for (let i = cueStart; i >= Math.max(0, cueStart - 3); i -= 1) {
    if (tokens[i] !== 'en') continue;
    if (tokens[i + 1] === 'marche' && tokens[i + 2] === 'arriere') return i;
    let j = i + 1;
    if (/^(me|m|se|s)$/.test(tokens[j] ?? '')) j += 1;
    if (/ant$/.test(tokens[j] ?? '') && j <= cueStart + 1) return i;
  }
  return -1;
}

function actorOf(
  tokens: readonly string[],
  start: number,
  cueEnd: number,
  commaBefore: ReadonlySet<number> = new Set(),
): Actor {
  let cueStart = start;
  // a gerund takes the main clause's subject: "en reculant, il m'a heurté"
  const gerund = gerundAt(tokens, cueStart);
  if (gerund >= 0) {
    if (/^(me|m)$/.test(tokens[gerund + 1] ?? '')) return { side: 'client', negated: false, passive: false };
    // after its verb, the gerund goes with the subject on its left: "une voiture (est sortie)
    // en marche arrière", "il m'a heurté en reculant"; only a clause that starts with it
    // ("en reculant, il m'a heurté") takes the subject on its right
    let left = false;
    for (let i = gerund - 1; i >= Math.max(0, gerund - 7) && !left; i -= 1) {
      const token = tokens[i] ?? '';
      if (CLAUSE_BREAK.has(token) || commaBefore.has(i + 1)) break;
      left = isSubject(token) && subjectAt(tokens, i) !== null;
    }
    if (!left) {
      for (let i = cueEnd; i < Math.min(tokens.length, cueEnd + 8); i += 1) {
        const side = isSubject(tokens[i] ?? '') ? subjectAt(tokens, i) : null;
        if (side) return { side, negated: false, passive: false };
      }
    }
    cueStart = gerund;
  }
  let negated = false;
  let passive = false;
  for (let i = cueStart - 1; i >= Math.max(0, cueStart - 7); i -= 1) {
    const token = tokens[i] ?? '';
    if (CLAUSE_BREAK.has(token) && i < cueStart - 1) break;
    if (/^(pas|jamais|ni|plus)$/.test(token)) negated = true;
    // "j'ai été percuté", "je me suis fait emboutir" (not "j'ai fait un créneau")
    if (
      token === 'ete' ||
      (token === 'fait' && /^(suis|est|sommes|sont|etais|etait)$/.test(tokens[i - 1] ?? ''))
    )
      passive = true;
    if (isSubject(token)) {
      const side = subjectAt(tokens, i);
      // "ce n'est pas moi qui ai reculé, c'est lui": the act is denied, and given to the other
      if (token === 'qui' && side === 'client' && /^(pas|jamais)$/.test(tokens[i - 2] ?? '')) {
        const rest = ` ${tokens.slice(cueEnd).join(' ')} `;
        if (/ c est (lui|elle|eux|l autre|elles) /.test(rest))
          return { side: 'tiers', negated: false, passive };
        return { side, negated: true, passive };
      }
      if (side) return { side, negated, passive };
    }
  }
  return { side: null, negated, passive };
}

/** What leaks in a home. */
const WATER_SOURCE =
  '(fuite|machine a laver|lave vaisselle|chauffe eau|ballon( d eau chaude)?|baignoire|douche|piscine( hors sol)?|canalisations?|chasse d eau|robinet|aquarium|joint|tuyau\\w*|radiateur|eau)';

// ---------------------------------------------------------------------------------------------
// The cases. `act`: something someone did, at fault for whoever did it (the subject decides);
// `state`: a sentence that settles the side by itself.

interface Act {
  rule: Exclude<LiabilityRule, 'INDETERMINEE' | 'REPONSE_CLIENT'>;
  /** Whoever did it is at fault. */
  cue: RegExp;
  /** Done to the client, hence the other is at fault, whoever the grammatical subject is. */
  against?: boolean;
}

interface State {
  rule: Exclude<LiabilityRule, 'INDETERMINEE' | 'REPONSE_CLIENT'>;
  pattern: RegExp;
  side: Side;
}

const HIT =
  '(?:percute\\w*|heurte\\w*|embouti\\w*|emboutir|accroche\\w*|tamponne\\w*|touche\\w*|tape\\w*|cogne\\w*|raye\\w*|eraf\\w*|abime\\w*|rentre\\w* (?:dans|dedans)|fonce\\w* dans|pris)';
const VEHICLE =
  '(?:voiture|vehicule|auto|camion|camionnette|utilitaire|fourgon|moto|scooter|bus|taxi|suv|\\w+)';

const ACTS: readonly Act[] = [
  // priority refused (stop, give way, priority to the right)
  { rule: 'REFUS_PRIORITE', cue: / refus\w* (de )?(ceder )?(la |ma |sa |le )?(priorite|passage)/ },
  {
    rule: 'REFUS_PRIORITE',
    cue: / (grille|brule|force|ignore|saute|passe|franchi) (le |un |son |mon |au )?(stop|cedez le passage)/,
  },
  {
    rule: 'REFUS_PRIORITE',
    cue: / pas (respecte|marque|fait|vu|observe|cede|laisse) (le |la |un |une |son |sa |mon |ma )?(stop|cedez le passage|priorite|passage)/,
  },
  { rule: 'REFUS_PRIORITE', cue: / pas (vu|respecte) (le |la )?(panneau|balise)/ },
  { rule: 'REFUS_PRIORITE', cue: / coupe (la route|la priorite)/ },
  { rule: 'REFUS_PRIORITE', cue: / pas laisse passer/ },
  {
    rule: 'REFUS_PRIORITE',
    cue: / (sorti\w*|passe\w*|demarre\w*|engage\w*) (du |au |le |un )?(stop|cedez le passage)( \w+)? sans (s arreter|m arreter|marquer|ralentir|regarder)/,
  },
  // red light
  {
    rule: 'FEU_ROUGE',
    cue: / (grille|brule|passe|franchi|ignore|pas respecte|pas vu|pas marque|griller|bruler) (le |un |au |son |mon )?(feu|rouge)/,
  },
  { rule: 'FEU_ROUGE', cue: / (passe|passee|grille|brule) (alors que le feu etait |le feu )?(au )?rouge/ },
  // rear-end: the one behind is at fault
  { rule: 'CHOC_ARRIERE', cue: new RegExp(` ${HIT} (par |a |de )?l arriere`), against: false },
  { rule: 'CHOC_ARRIERE', cue: / (par|de) l arriere/, against: true },
  {
    rule: 'CHOC_ARRIERE',
    cue: new RegExp(` ${HIT} (la |le |l |une |un )?(\\w+ )?(de devant|devant moi|qui (me )?precedai\\w*)`),
  },
  { rule: 'CHOC_ARRIERE', cue: new RegExp(` ${HIT} (a |dans )?l arriere (de|d|du)`) },
  { rule: 'CHOC_ARRIERE', cue: / pas (pu )?(freine\w*|s arreter|m arreter|s arreter|ralenti\w*)( a temps)?/ },
  {
    rule: 'CHOC_ARRIERE',
    cue: / (rentre\w*|fonce\w*) dans (la |le |l )?(voiture |vehicule )?(de devant|devant moi|qui me precedait)/,
  },
  // reversing
  { rule: 'MARCHE_ARRIERE', cue: / (recul\w*|marche arriere)/ },
  // opening a door
  {
    rule: 'OUVERTURE_PORTIERE',
    cue: / (ouvert|ouvre|ouvrait|ouvrant|ouvrir) (sa |ma |la |une |son |leur )?portiere/,
  },
  // changing lanes
  {
    rule: 'CHANGEMENT_FILE',
    cue: / (change\w*|changer) (de |sa |ma )?(file|voie|couloir)|(deboit\w*|rabatt\w*|deporte\w*)( |$)|serre\w* (sur|contre)/,
  },
  // hitting a parked car: whoever hits it
  {
    rule: 'STATIONNEMENT',
    cue: new RegExp(
      ` ${HIT}( \\w+){0,2} (une |la |un |le |deux |des )(${VEHICLE} )(\\w+ )?(garee?s?|stationnee?s?|en stationnement)`,
    ),
  },
  // manoeuvres (parking)
  {
    rule: 'MANOEUVRE',
    cue: / (creneau|manoeuvr\w*|garant|sortant de (ma |sa |la |son )?(place|stationnement))/,
  },
];

const STATES: readonly State[] = [
  // the client's car was parked or stopped: whoever hit it is at fault
  {
    rule: 'STATIONNEMENT',
    pattern:
      / (ma|mon|notre) (voiture|vehicule|auto|moto|scooter|camionnette|camion|fourgon|velo)( \w+){0,3} (garee?|stationnee?|en stationnement)/,
    side: 'tiers',
  },
  {
    rule: 'STATIONNEMENT',
    pattern:
      / (j etais|je suis|j etait|nous etions|on etait) (bien |correctement )?(gare|garee|stationne|stationnee|en stationnement)/,
    side: 'tiers',
  },
  {
    rule: 'VEHICULE_ARRETE',
    pattern:
      / (ma|mon|notre) (voiture|vehicule|auto|moto|scooter|camionnette|camion|fourgon)( \w+){0,2} (a l arret|arretee?|immobilisee?)/,
    side: 'tiers',
  },
  {
    rule: 'VEHICULE_ARRETE',
    pattern:
      / (j etais|je suis|j etait|nous etions|on etait|j etais bien) (\w+ )?(a l arret|arrete|arretee|immobilise|immobilisee|stoppe)/,
    side: 'tiers',
  },
  // who had a green light, who had priority
  {
    rule: 'FEU_ROUGE',
    pattern:
      / (mon feu|le feu (etait )?(vert )?pour moi)( \w+)? (etait )?(au )?vert| (j avais|j etais) (le )?(feu )?(au )?vert| (etait|est) vert pour moi/,
    side: 'tiers',
  },
  {
    rule: 'FEU_ROUGE',
    pattern:
      / ((il|elle|l autre \w+) (avait (le )?(feu )?vert|etait au vert)|son feu (etait )?(au )?vert|(etait|est) vert pour (lui|elle))/,
    side: 'client',
  },
  // rear-end told the other way round: "la voiture qui me précédait a pilé et je l'ai emboutie"
  {
    rule: 'CHOC_ARRIERE',
    pattern: new RegExp(
      ` (qui me precedai\\w*|de devant|devant moi|qui etait devant)( \\w+)* (je l ai|j ai|je suis|je lui suis|je leur suis) ${HIT}`,
    ),
    side: 'client',
  },
  {
    rule: 'CHOC_ARRIERE',
    pattern: new RegExp(
      ` (qui me suivai\\w*|de derriere|derriere moi|qui etait derriere)( \\w+)* (m a|m|nous a|l a|m est) ${HIT}`,
    ),
    side: 'tiers',
  },
  {
    rule: 'REFUS_PRIORITE',
    pattern: / (j avais|j etais|nous avions) (la )?(priorite|prioritaire)/,
    side: 'tiers',
  },
  {
    rule: 'REFUS_PRIORITE',
    pattern: / (il|elle|l autre \w+|le \w+|la \w+) (avait|etait) (la )?(priorite|prioritaire)/,
    side: 'client',
  },
  // water from next door: the neighbour's home is the source (from above, from their pipes)
  {
    rule: 'ORIGINE_TIERS',
    pattern: new RegExp(
      ` (du dessus|d en haut|de l appartement (du dessus|voisin)|(vient|venant|venait|provient|provenant|provenait|arrive|arrivait) de chez (le|la|les|mes|mon|ma|nos) voisin\\w*|${WATER_SOURCE}( \\w+){0,2} (du|de la|des|de mon|de ma|de mes|de nos) voisin\\w*|(le|la|les|mon|ma|mes|nos) voisin\\w* (\\w+ ){0,2}(a|ont|avait|avaient) (eu une fuite|laisse|oublie|inonde|fui|deborde))`,
    ),
    side: 'tiers',
  },
  // water from the client's home into the neighbour's: the client's side
  {
    rule: 'DECLARATION',
    pattern: new RegExp(
      ` ((mon|ma|mes|notre|nos) ${WATER_SOURCE}( \\w+){0,3} (a |ont |avait )?(fui|fuit|cede|deborde|lache|eclate|perce\\w*)|j ai oublie (de fermer )?(le|mon|ma|la) (robinet|baignoire|eau))( \\w+)* (chez|dans|sur|le jardin de|l appartement de) (le |la |les |l )?(voisin\\w*|dame|monsieur|appartement|gens)( \\w+)? (du dessous|d en dessous|en dessous|en contrebas|d a cote)`,
    ),
    side: 'client',
  },
  // the client's own words about fault
  {
    rule: 'DECLARATION',
    pattern:
      / ((c est|c etait|c etait de|c est de|est) (entierement |totalement |completement |bien |vraiment )?(de )?(sa|leur) faute|(il|elle|l autre \w+|le tiers|le \w+) (est|etait) (en tort|responsable|fautif|fautive)|(c est|c etait) (lui|elle|eux|l autre \w+|le tiers) (le |la |les )?(seule? |seuls )?(responsables?|fautifs?|fautives?|coupables?|en tort)|(reconnu|reconnait|admis|admet) (ses|son|sa) (torts?|faute|responsabilite)|(ce n est|c est|c etait) pas (de )?ma faute|(je n y suis|j y suis) pour rien|roulait (beaucoup |bien |vraiment )?trop vite|exces de vitesse|telephone au volant|au telephone en conduisant|(etait |il etait )?(ivre|alcoolise|saoul|bourre)|(ne |n )?m a pas vue?|(ne |n )?nous a pas vus)/,
    side: 'tiers',
  },
  {
    rule: 'DECLARATION',
    pattern:
      / ((?<!pas )(?<!pas de )(c est|c etait|tout est|est) (de )?ma faute|(je suis|j etais) (en tort|responsable|fautif|fautive)|(c est|c etait) moi (le |la )?(seule? )?(responsable|fautif|fautive|coupable|en tort)|je reconnais (mes torts|ma (faute|responsabilite)|etre en tort)|mon erreur|j ai fait une erreur|(je n ai|j ai) pas (vu|fait attention|regarde)( (la|le|l|un|une) (\w+))?( |$)|je ne l ai pas vue?|j etais distraite?|inattention de ma part|je me suis endormie?)/,
    side: 'client',
  },
];

/** The story does not settle it, in the client's own words. */
const DOUBT =
  / ((je ne sais|je sais|j sais|on ne sait|on sait|aucune idee|pas sure?|pas certaine?|difficile a dire|pas clair)( \w+){0,3} (qui|si|tort|torts|responsab\w*|faute)|qui (a|avait|est en|etait en) (tort|raison)|qui est (responsable|fautif|en faute)|peut etre (moi|ma faute|de ma faute|lui|sa faute|de sa faute|les deux)|c est peut etre|c etait peut etre|tous (les )?deux (en tort|responsables|fautifs)|(torts?|responsabilites?) (sont |est |seront )?partage\w*|partag\w* (les torts|la responsabilite)|50 50|moitie moitie|un peu des deux|pas d accord|(il|elle) (conteste|nie)|chacun (dit|pense|accuse)|on s accuse)( |$)/;

/** Someone or something driven hit the client's vehicle. */
const IMPACT =
  / (percut\w*|heurt\w*|embouti\w*|emboutir|accroch\w*|tamponn\w*|touche\w*|tape\w*|cogne\w*|rentr\w* (dans|dedans)|rentre dedans|defonc\w*|choc|recul\w*|manoeuvr\w*|marche arriere|raye\w*|eraf\w*|pousse\w*|fonce\w*|pris (par|de plein fouet)|plie\w*) /;

/** Hedges: the fact in the same segment is the client's guess, not a statement. */
const HEDGE =
  / (je crois|je pense|il me semble|j ai l impression|peut etre|probablement|sans doute|a priori|on dirait|je suppose)( |$)/;

/** Reported words ("il prétend que j'ai grillé le feu"): not the client's own account. */
const REPORTED =
  / (pretend\w*|dit|disait|affirme\w*|soutient|accuse\w*|selon lui|selon elle|d apres lui|d apres elle) (que |qu |de )?/;

interface Finding {
  rule: Exclude<LiabilityRule, 'INDETERMINEE' | 'REPONSE_CLIENT'>;
  side: Side | 'doubt';
}

/** Sentence-like segments: a comma keeps a gerund with its main clause, "mais" starts anew. */
function segments(text: string): Segment[] {
  return fold(text)
    .split(/[.;!?]|\bmais\b|\bpar contre\b|\bsauf que\b|\balors que\b|\btandis que\b/)
    .map((part) => {
      // where the commas were: a gerund's subject is not looked for across one
      const commaBefore = new Set<number>();
      let count = 0;
      for (const piece of part.split(',')) {
        if (count > 0) commaBefore.add(count);
        count += words(piece).trim().split(' ').filter(Boolean).length;
      }
      return { text: words(part.replace(/,/g, ' ')), commaBefore };
    })
    .filter((part) => part.text.trim().length > 0);
}

interface Segment {
  /** The words of the segment, commas dropped. */
  text: string;
  /** Indices of the tokens a comma came right before. */
  commaBefore: ReadonlySet<number>;
}

function findingsOf({ text: segment, commaBefore }: Segment): Finding[] {
  const found: Finding[] = [];
  const tokens = segment.trim().split(' ');
  const hedged = HEDGE.test(segment);
  const reported = REPORTED.exec(segment);
  const add = (rule: Finding['rule'], side: Side, at: number) => {
    // "il prétend que j'ai grillé le feu": what follows the reporting verb is not a fact
    if (reported && at > reported.index) return;
    found.push({ rule, side: hedged ? 'doubt' : side });
  };
  for (const state of STATES) {
    const m = state.pattern.exec(segment);
    if (m) add(state.rule, state.side, m.index);
  }
  for (const act of ACTS) {
    const flags = act.cue.flags.includes('g') ? act.cue.flags : `${act.cue.flags}g`;
    for (const m of segment.matchAll(new RegExp(act.cue.source, flags))) {
      const start = segment
        .slice(0, m.index + 1)
        .trim()
        .split(' ')
        .filter(Boolean).length;
      const length = m[0].trim().split(' ').length;
      const actor = actorOf(tokens, start, start + length, commaBefore);
      if (act.against === true) {
        // "par l'arrière": the client was hit from behind, unless he says he hit
        const side: Side = actor.side === 'client' && !actor.passive ? 'client' : 'tiers';
        if (actor.side !== null || /( m | nous |ma |mon )/.test(segment)) add(act.rule, side, m.index);
        continue;
      }
      if (actor.side === null || actor.negated) continue;
      // passive: "j'ai été percuté par l'arrière", "ma voiture a été emboutie"
      const side: Side = actor.passive ? (actor.side === 'client' ? 'tiers' : 'client') : actor.side;
      add(act.rule, side, m.index);
    }
  }
  return found;
}

const UNKNOWN: Liability = { responsible: null, rule: null, label: null };
const unsettled = (): Liability => ({
  responsible: null,
  rule: 'INDETERMINEE',
  label: liabilityLabel('INDETERMINEE', null),
});

/** A rule's strength: a convention case wins over the client's general words about fault. */
const weight = (rule: Finding['rule']) => (rule === 'DECLARATION' ? 0 : 1);

/**
 * Who is at fault in this story. 'mention' (a description): only what the story settles;
 * 'answer' (to "Le tiers est-il responsable ?"): a bare "oui" / "non" counts too.
 */
export function readLiability(text: string, mode: ReadMode = 'mention'): Liability {
  const w = words(text);
  if (DOUBT.test(w)) return unsettled();
  // a car at rest puts the fault on whoever hit it, not on a branch or a rat: only a story
  // with an impact settles it
  const impact = IMPACT.test(w);
  const findings = segments(text)
    .flatMap(findingsOf)
    .filter((f) => impact || !(f.rule === 'STATIONNEMENT' || f.rule === 'VEHICULE_ARRETE'));
  if (findings.some((f) => f.side === 'doubt')) return unsettled();
  // a convention case decides; the client's words only when no case applies
  const strongest = Math.max(-1, ...findings.map((f) => weight(f.rule)));
  const deciding = findings.filter((f) => weight(f.rule) === strongest);
  const sides = new Set(deciding.map((f) => f.side));
  const first = deciding[0];
  if (first && sides.size === 1 && first.side !== 'doubt') {
    const responsible = first.side === 'tiers';
    return { responsible, rule: first.rule, label: liabilityLabel(first.rule, responsible) };
  }
  if (sides.size > 1) return unsettled();
  if (mode === 'mention') return UNKNOWN;
  const answer = parseConfirmation(text);
  if (answer === null) return UNKNOWN;
  const responsible = answer === 'yes';
  return { responsible, rule: 'REPONSE_CLIENT', label: liabilityLabel('REPONSE_CLIENT', responsible) };
}

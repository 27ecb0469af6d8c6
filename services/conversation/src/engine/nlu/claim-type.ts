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
  // the road events of the convention cases: a collision even without a word of impact
  {
    type: 'collision',
    pattern:
      / (coupe_route|refus\w* (de )?(ceder )?(la |le )?(priorite|passage)|(pas|sans) (me |nous |lui )?(laisse\w*|cede\w*) (passer|la priorite|le passage)|grille\w* (le |un )?(stop|signal)|rabatt\w*|deboit\w*|(m a|nous a|l a) (serree?|double\w*|coince\w*)|serre\w* (sur|contre)|(fonce|jete|precipite)\w* (dessus|sur (mon|ma|le|la|nous|moi)|dans)|(le|du|un|au) choc|(glisse|derape)\w* (dans|contre|sur) (la|une|le|un|l) (voiture|vehicule|camion|moto|scooter|bus|autre)|ouv\w* (la |sa |une |son |leur )portiere|(j ai|je l ai|j|en|je) ouv\w* (ma |la )?portiere|pousse\w* (dans|contre|sur) (la|le|l|un|une)|envoye\w* (contre|dans|sur) (la|le|l|un|une)|change\w* (de|sa) (file|voie)|surgi\w*|(s est|se sont|me suis) (encastre\w*|retourne\w*)|parti\w* dans (un|le|la) (champ|fosse|decor|ravin|talus)) /,
    weight: 3,
  },
  // driving over something: a single-vehicle accident ("j'ai roulé sur une pierre")
  {
    type: 'collision',
    pattern:
      / (ecrase\w*|roule\w* sur|passe\w* sur|heurte\w*) (quelque chose|un objet|un rocher|une pierre|un caillou|un debris|des debris|une planche|un pneu) /,
    weight: 3,
  },
  // not stopped in time: "la voiture devant a pilé et je n'ai pas pu m'arrêter"
  {
    type: 'collision',
    pattern: / pas (pu|eu le temps de) (m arreter|freiner|l eviter|eviter|piler|ralentir) /,
    weight: 3,
  },
  // the client at the wheel
  { type: 'collision', pattern: / (je roulais|je conduisais|au volant) /, weight: 2 },
  // an obstacle hit: a single-vehicle accident
  {
    type: 'collision',
    pattern:
      / (frott\w*|rape\w*|tape\w*|taper|touche\w*|heurte\w*|accroche\w*|percute\w*|cogne\w*) (un |une |le |la |l |contre |dans )(\w+ )?(pilier|poteau|mur|muret|trottoir|plot|arbre|glissiere|barriere|lampadaire|borne|bordure|rambarde|terre plein|rocher|panneau|fosse) /,
    weight: 4,
  },
  // "il a touché mon avant droit", "elle a embouti ma portière"
  {
    type: 'collision',
    pattern:
      / (a|ont|avait) (touche|tape|percute|heurte|accroche|cogne|embouti|enfonce|tamponne) (mon|ma|mes|notre|nos|le|la|l|son|sa|ses) /,
    weight: 3,
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
      / (feu rouge|signal|stop|priorite|rond point|carrefour|doubl\w*|depass\w*|autoroute|parking|freine\w*|constat) /,
    weight: 1,
  },
  // vol
  {
    type: 'vol',
    pattern:
      / ((sac|sacoche|collier|chaine|telephone|portable|bijoux?|montre|portefeuille)( \w+){0,2} (a|ont|m a|m ont) ete arrache\w*|vol|vols|voles?|volees?|voler|volait|volent|il manque|ete visitee?s?|cambriol\w*|effraction|rackett\w*|racket|derob\w*|subtilis\w*|pickpocket|carjacking|car jacking|home jacking|braqu\w*) /,
    weight: 5,
  },
  {
    type: 'vol',
    pattern:
      / (arrach\w* (mon|ma|mes|le|la|son|sa|notre|nos|des mains|du cou|de l epaule)|parti\w* avec (mon|ma|mes|notre|nos|la|le|les|elle|lui)|(est|sont) parti\w* avec|(retrouve|trouve) plus (mon|ma|mes|notre|nos)|pique (mon|ma|mes)|piquer (mon|ma|mes)|disparu\w*|(n est|n etait|est|sont|n etaient|etaient) plus la|plus de (voiture|moto|scooter|velo)|force (la|le|ma|mon|les|notre|nos)|introdui\w*|sont entres|est entre|pris (mes|mon|ma|les|nos|notre|l|le|la|des|tout)|emporte\w*|voleurs?|kidnapp\w*|agress\w*) /,
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
      / (degats? des eaux|degat des eaux|fuites?|fui|fuit|fuyait|fuient|coule\w* (chez|dans|sur|par|du|au)|robinet|baignoire|inond\w*|infiltr\w*|canalisations?|tuyau\w*|ballon d eau|chauffe eau|machine a laver|lave vaisselle|deborde\w*|humidite|moisissures?|plafond|grele|grelons?|endommag\w*|tempete|orage|ouragan|tornade|foudre|tuiles?|toiture|vandal\w*|cass\w* (les|la|le|une|des|mes|ma|mon) (vitres?|fenetres?|vitrines?|portes?|serrures?|boites? aux lettres)|degrad\w*|creve\w*|tags?|tague\w*|rayee?s?|rayures?|bris de glace|pare brise|vitres? cass\w*|fenetres? cass\w*|cabosse\w*|eclate\w*|degat\w*|abim\w*|catastrophe naturelle|neige|crue|gel|gele\w*|sinistre d eau|fissur\w*|ronge\w*|bris\w* par|casseurs?|panne electrique|surtension|(le |du |coup de |rafales? de )vent|objettombe|endommage) /,
    weight: 3,
  },
  {
    type: 'degats',
    pattern: / (eau|mouille\w*|trempe\w*|arbre (est )?tombe|branche|casse\w*|toit) /,
    weight: 2,
  },
  { type: 'degats', pattern: / (eau|eaux) /, weight: 3 },
  // a pane, a screen, a door broken: "ma baie vitrée a été brisée", "vitre de la cuisine cassée"
  {
    type: 'degats',
    pattern:
      / (vitres?|fenetres?|baie|vitree|vitrine|vitrage|miroir|ecran|television|tele|porte|portail|serrure|lunette)( \w+){0,3} (cassee?s?|brisee?s?|fele\w*|fendu\w*|explose\w*|eclate\w*) /,
    weight: 3,
  },
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
      / ((recu|pris|prend|recoit) (\w+ ){0,3}(dans|sur) (l oeil|les yeux|la tete|le visage|la figure|le nez|le crane)|retine|traumatisme|recu_sur_moi) /,
    weight: 4,
  },
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
  // a traffic light said in words: "le feu était vert pour moi", "il est passé au rouge"
  [/ feux? (etait |est |passe |passait |etaient )?(\w+ )?(au )?(vert|rouge|orange) /g, ' signal '],
  [/ (passe|passer|passee|grille|brule) au rouge /g, ' grille signal '],
  // cutting someone off is a refused priority, not a cut
  [/ coupe (la route|la priorite|le passage|la trajectoire|le chemin) /g, ' coupe_route '],
  // a pane that bursts is broken glass, not an explosion
  [
    / (vitres?|lunette|pare brise|fenetres?|baie vitree|vitrage|ecran)( \w+){0,3} (a|ont|est|sont) (explose\w*|eclate\w*) /g,
    ' bris de glace ',
  ],
  // a door, a car or a garage forced is a break-in, not a bone
  [
    / (portes?|portail|voiture|vehicule|serrures?|fenetres?|coffre|garage|cave|box|local|appartement|maison|boite aux lettres)( \w+){0,3} (a |ont |avait |avaient |est |sont )?(ete )?fractur\w* /g,
    ' $1 effraction ',
  ],
  [
    / fractur\w* (la |le |les |ma |mon |mes |notre |nos |sa |son |leur )(portes?|portail|voiture|vehicule|serrures?|fenetres?|coffre|garage|cave|box|local|appartement|maison|boite aux lettres) /g,
    ' effraction $2 ',
  ],
  // the broken thing someone got hurt with is no damage claimed: "coupé avec une vitre cassée"
  [/ avec (un|une|des|le|la|du) (\w+ ){0,2}(cassee?s?|brisee?s?) /g, ' avec objet '],
  // an object knocked over is a stain, not a road accident
  [
    / renvers\w* (un |une |le |la |du |de la |des |mon |ma )(pot|verre|bouteille|seau|bidon|peinture|cafe|huile|produit|casserole|vase|bocal|carafe) /g,
    ' endommage $2 ',
  ],
  // appliances that stop are no fall; a power cut is no cut
  [/ tombe\w* en panne /g, ' panne '],
  [/ coupure (de courant|d electricite|electrique) /g, ' panne electrique '],
  // something falling on someone hurts a person: "un pot est tombé d'un balcon sur ma tête"
  [
    / tombee?s? (\w+ ){0,4}sur (ma|la|sa|mon|son|leur) (tete|crane|epaule|bras|main|pied|jambe|dos|visage) /g,
    ' recu_sur_moi ',
  ],
  // tearing off a balcony or a gutter is damage, not a snatch
  [
    / arrach\w* (le |la |les |mon |ma |un |une )(balcon|gouttiere|portail|cloture|boite aux lettres|volet|antenne|toiture|haie|grillage|muret|auvent|store) /g,
    ' endommage $2 ',
  ],
  [/ (refermee?|rabattue?|abattue?|effondree?s?) sur /g, ' objettombe sur '],
  // a falling tree or tile is damage, not a fall that hurts someone
  [
    / (arbres?|branches?|tuiles?|cheminee|mur|poteau|antenne|pot|etagere|plafond|volet|grue|panneau|cloture|clotures|foudre|grele|neige|pluie)( \w+){0,5} (est |sont )?tombee?s? /g,
    ' $1 objettombe ',
  ],
  // a torn-off mirror is a collision, not a theft
  [
    / arrache\w* (mon|ma|le|la|les|mes|son|sa|ses|leur|un|une) (retroviseurs?|pare chocs?|portieres?|ailes?|pare brise|cote|flanc|phare) /g,
    ' accroche $2 ',
  ],
  // a burnt hand is an injury, not a fire
  [/ (me suis|s est|se sont|t es|nous sommes|vous etes) brule\w* /g, ' me suis blesse '],
  [
    / (pas de blesse|aucun blesse|personne de blesse|personne (n est|n a ete) blesse|pas blesse|sans blesse) /g,
    ' indemne ',
  ],
];

/** The client's own vehicle, or the client driving: the claim is about a vehicle. */
const CLIENT_VEHICLE =
  / ((ma|mon|mes|notre|nos) (voiture|vehicule|auto|moto|scooter|velo|camionnette|camion|capot|portiere|pare chocs?|parechoc|retroviseur|phare|aile|carrosserie|pare brise|roue|jante|pneu|coffre)|je (roulais|conduisais|circulais)|au volant|j etais (gare|garee|a l arret|arretee?)) /;
/** Vehicles and the road, whoever they belong to. */
const ROAD =
  / (voiture|vehicule|camion|moto|scooter|velo|bus|camionnette|auto|conducteur|automobiliste|cycliste|pieton|passage pieton|poids lourd|utilitaire|taxi|tracteur|trottinette|motard|camping car|fourgon|tram|tramway|deux roues|feu rouge|signal|stop|priorite|rond point|carrefour|autoroute|peage|nationale|departementale|parking|route|portiere|capot|pare chocs?) /;
/** The client knocked down as a pedestrian: "un enfant à vélo m'a renversée". */
const KNOCKED_DOWN =
  / ((m a|m ont|nous a|l a|la|le) (renverse\w*|fauche\w*)|(me suis|s est|se sont) fait (renverser|faucher)) /;
/** The client's home hit: "ma porte de garage", "le mur de clôture de ma maison". */
const HOME_HIT =
  / ((mon|ma|mes|notre|nos) (balcon|portail|cloture|facade|veranda|porte de garage|muret|haie|boite aux lettres|terrasse|toiture|gouttiere|grillage|volets?|maison|mur de cloture)|de (chez moi|ma maison|notre maison)) /;

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
  // "blessure" is a type only when the claim is about a person hurt: someone hurt by a person
  // or a thing with no vehicle around (a skier, a player), or knocked down as a pedestrian
  const clientVehicle = CLIENT_VEHICLE.test(w);
  // (a harm said, not only a slip or a fall: "j'ai glissé et je suis allé taper un arbre")
  if (
    scores.blessure >= 4 &&
    scores.collision > 0 &&
    (!ROAD.test(w) || (KNOCKED_DOWN.test(w) && !clientVehicle))
  )
    scores.collision = Math.min(scores.collision, scores.blessure - 1);
  // a road accident with someone hurt is a collision; a fire that hurts is a fire
  else if (scores.collision >= 3 && scores.blessure > 0)
    scores.blessure = Math.min(scores.blessure, scores.collision - 1);
  // a theft that hurts (a snatch, a mugging) is a theft: something was taken
  const taking = scores.vol > 3 || (scores.vol === 3 && !/ agress\w* /.test(w));
  if (taking && scores.blessure > 0) scores.blessure = Math.min(scores.blessure, scores.vol - 1);
  // the client's home hit by a vehicle (not the client's): damage to the home
  if (scores.collision > 0 && HOME_HIT.test(w) && !clientVehicle) {
    scores.degats = Math.max(scores.degats, scores.collision);
    scores.collision = 0;
  }
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
  let w = words(text);
  for (const [pattern, replacement] of CANCELLERS) w = w.replace(pattern, replacement);
  if (/ (accident|collision) /.test(w)) return 'collision';
  // a vehicle named in a story that settles nothing is no collision: only a short answer to
  // the question ("la voiture", "sur la route") says it
  if (/ (voiture|route) /.test(w) && w.trim().split(' ').length <= 6) return 'collision';
  if (/ (vol|cambriolage) /.test(w)) return 'vol';
  if (/ (incendie|feu) /.test(w)) return 'incendie';
  if (/ (degat|degats|eau|tempete|vandalisme) /.test(w)) return 'degats';
  if (/ (blessure|corporel|corporelle) /.test(w)) return 'blessure';
  return null;
}

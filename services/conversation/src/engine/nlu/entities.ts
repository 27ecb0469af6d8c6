// Facts of the claim read from free text: injuries, amicable report (constat), police, third
// party, place, amount, documents. Each reader returns true / false when the text says so and
// null when it does not. In 'answer' mode (the text answers the matching closed question) a
// bare "oui" / "non" counts; in 'mention' mode (a description) only explicit statements do.
import { parseConfirmation } from './confirm';
import { readLiability } from './liability';
import { parseNumberWords } from './numbers';
import { parsePlaceParts } from './places';
import { clauses, fold, NEGATION, type ReadMode, words } from './text';

export type { ReadMode } from './text';

/**
 * A negation right after the cue ("la police n'est pas venue", "le piéton n'a rien"), or
 * with the "ne" dropped as people speak ("police pas venue", "constat pas fait").
 */
const NEGATED_VERB =
  /^ ((\w+ )?(n|ne) (\w+ ){0,2}(pas|jamais|rien|point)( |$)|(pas|jamais) (encore )?(venue?s?|intervenue?s?|passee?s?|fait|faite|rempli|remplie|signe|signee|appelee?s?|prevenue?s?|deposee?) )/;
/** How far back a negation reaches its cue, in words: a long spoken clause holds other facts. */
const NEGATION_REACH = 5;

/**
 * Clause-wise polarity: a clause with a cue is positive unless a negation precedes the cue
 * within the clause; any positive clause wins ("pas de blessé mais j'ai mal au dos").
 */
function polarity(
  text: string,
  positive: RegExp,
  negative: RegExp,
  mode: ReadMode,
  topic: RegExp,
): boolean | null {
  let sawNegative = false;
  for (const clause of clauses(text)) {
    // outside an answer to its own question, a generic "pas encore" or "rien" only counts
    // in a clause that speaks of the topic
    if (mode === 'mention' && !topic.test(clause) && !positive.test(clause)) continue;
    if (negative.test(clause)) {
      sawNegative = true;
      continue;
    }
    const cue = positive.exec(clause);
    if (cue) {
      // "j'ai pas vu la moto ... il a une égratignure": the negation is about something else
      const before = ` ${clause
        .slice(0, cue.index + 1)
        .trim()
        .split(' ')
        .slice(-NEGATION_REACH)
        .join(' ')} `;
      const after = clause.slice(cue.index + cue[0].length - 1);
      if (NEGATION.test(before) || / (n|ne) /.test(before) || NEGATED_VERB.test(after)) sawNegative = true;
      else return true;
    }
  }
  if (sawNegative) return false;
  if (mode === 'mention') return null;
  const answer = parseConfirmation(text);
  return answer === null ? null : answer === 'yes';
}

const INJURY_TOPIC =
  / (bless\w*|mal|douleurs?|indemnes?|sains?|saine|sauve|bobo|egratignure|hopital|urgences|peur|materiels?|tole|carrosserie|corporel\w*|physique) /;
const CONSTAT_TOPIC = / (constat\w*|formulaire) /;
const POLICE_TOPIC =
  / (police|policiers?|gendarm\w*|commissariat|plainte|pv|proces verbal|recepisse|main courante|forces de l ordre|brigade|17) /;
const DOCUMENT_TOPIC =
  / (photos?|images?|videos?|factures?|devis|justificatifs?|documents?|pieces?|recus?|tickets?|preuves?|cliches?|certificats?) /;

const BODY =
  '(bras|jambe|jambes|poignet|cheville|nez|cote|cotes|dent|dents|pied|main|doigt|genou|hanche|epaule|clavicule|femur|tibia|cou|nuque|dos|tete|crane|bassin|cervicales|vertebres|ventre|poitrine|thorax|visage)';

const INJURY_POSITIVE = new RegExp(
  ` (bless\\w*|mal (au|a la|aux|a l|partout)|(j ai|il a|elle a|on a|a) (un peu |tres |vraiment )?mal(?! \\w+(e|ee|es|u|i|is)( |$))|bosses? (a|au|sur) (la|le) (tete|front|crane)|plaint\\w* (du|de la|des|de l|d)|egratign\\w*|ecorch\\w*|courbatures?|raideurs?|torticolis|(pris|recu|prend) (un|des) coups?|coups? (au|a la|aux|sur la|sur le) ${BODY}|${BODY} (est |sont |tout |toute )?(bloquee?|coincee?|raide|enflee?|gonflee?|tordue?|foulee?|luxee?)|(j ai|il a|elle a|on a|(fille|fils|femme|mari|enfant|bebe|passagere?|mere|pere|conjointe?|copine|copain) a) une (grosse |petite |belle )?bosse|perdu connaissance|douloureu\\w*|echarpe|attelle|(legerement|gravement|grievement|serieusement) (touchee?s?|atteinte?s?)|vertiges?|nausees?|maux de tete|migraines?|etourdi\\w*|(me suis|s est|se sont|m etais|s etait) (\\w+ )?(tordu|foule|luxe|brule|coupe|ouvert)\\w*|(me suis|s est|se sont|m etais|s etait|nous sommes) (\\w+ )?(cogne|tape|heurte)\\w* (\\w+ ){0,2}${BODY}|${BODY} (a|ont) (heurte|cogne|tape)\\w*|(tordu|foule|luxe|brule)\\w* (le|la|les|un|une|son|sa|ses|mon|ma|mes) ${BODY}|traumatisme\\w*|douleurs?|fractur\\w*(?! (la |le |les |ma |mon |mes |notre |nos |sa |son |leur )?(porte|portail|voiture|vehicule|serrure|fenetre|coffre|garage|cave|box|local|appartement|maison))|entorse|luxation|foulure|hospitalis\\w*|(emmene\\w*|transporte\\w*|conduit\\w*|alle\\w*|passe\\w*|reste\\w*|evacue\\w*|fini\\w*|parti\\w*|amene\\w*) (\\w+ ){0,3}(a l hopital|aux urgences|a la clinique)|samu|(recu|pris|tombe\\w*) (\\w+ ){0,4}(sur|dans) (la|ma|sa|l|le|les) (tete|oeil|yeux|visage|figure|crane)|retine|ambulance|pompiers l ont|plaie|saign\\w*|sang|hematome|bleus?|commotion|coup du lapin|minerve|platre|points de suture|arret de travail|inconscient|evanoui\\w*|sonnee?|contusions?|brulures?|souffr\\w*|coupure(?! (de courant|d electricite|electrique))|mordu\\w*|morsure|(casse|cassee|cassees|casses) (le|la|les|un|une|son|sa|ses|mon|ma|mes) ${BODY}|${BODY} (casse|cassee|fracture)|(ma|mon|la|le) ${BODY} (me fait|lui fait) mal|touchee?s? (au|a la) ${BODY}) `,
);

const INJURY_NEGATIVE =
  /^ (non )?(heureusement )?personne( heureusement| du tout| non)? $| (pas que je sache|pas a ma connaissance|a priori (non|pas|personne)|je ne (crois|pense) pas|personne (n est|n a ete|n a|est) (blesse|bless\w*)|aucun\w* bless\w*|pas de bless\w*|pas bless\w*|sans bless\w*|indemnes?|sains? et saufs?|saine et sauve|rien de (grave|casse)|pas de bobo|tout le monde (va bien|est ok|va bien)|on va (tous )?bien|je vais bien|(que|juste|seulement|uniquement) (des |du )?(degats? materiels?|materiel|la tole|de la tole|tole froissee|la voiture|la carrosserie)|degats? (uniquement |seulement )?materiels?|plus de peur que de mal|ni blesse|pas une egratignure|aucune douleur|pas de douleur|rien du tout|personne n a rien|on n a rien|je n ai rien|j ai rien|ca va pour tout le monde) /;

/** A door, a garage or a car forced: a break-in, not a fracture ("la porte a été fracturée"). */
const BREAK_IN =
  /\b(portes?|portail|voiture|vehicule|serrures?|fenetres?|coffre|garage|cave|box|local|appartement|maison)((?: [a-z']+){0,3}) (a |ont |avait |avaient |est |sont )?(ete )?fractur[a-z]*/g;

/** Anyone hurt? ("j'ai mal au cou" -> true, "plus de peur que de mal" -> false). */
export const parseInjuries = (text: string, mode: ReadMode = 'answer'): boolean | null =>
  polarity(fold(text).replace(BREAK_IN, '$1$2 force'), INJURY_POSITIVE, INJURY_NEGATIVE, mode, INJURY_TOPIC);

const CONSTAT_POSITIVE =
  / (constat\w* (amiable )?(a ete |est |sont )?(rempli|signe|fait|etabli|redige|complete|remplie|signee)|(rempli|signe|fait|etabli|redige|complete) (un|le|notre|le|un) constat|on l a (rempli|signe|fait)|je l ai (rempli|signe|fait|dans)|l avons (rempli|signe|fait)|c est fait|il est (rempli|signe|fait)|(rempli|signe) (ensemble|sur place|tous les deux)|(j ai|on a|nous avons|avons) (un|le) constat) /;

const CONSTAT_NEGATIVE =
  / (pas de constat|aucun constat|sans constat|refuse\w* de (signer|remplir|faire)|(pas|jamais) (eu le temps|signe|rempli|fait)|pas encore|parti\w* (sans|tout de suite|aussitot|immediatement)|delit de fuite|pris la fuite|s est enfui\w*|a fui|prendre la fuite|pas (de|d) (formulaire|constat)|n (avais|avait|avions|avaient) pas|(s est|s etait|se sont) (sauve|sauvee|sauves|barre|barree|tire|tiree|echappe|casse|taille|carapate)|pas (pu|voulu)|on doit le faire|on va le faire|(vais|va|allons|devons|doit|dois) (le )?(faire|remplir|signer)) /;

/** Was an amicable report (constat amiable) filled in? */
export const parseAmicableReport = (text: string, mode: ReadMode = 'answer'): boolean | null =>
  polarity(text, CONSTAT_POSITIVE, CONSTAT_NEGATIVE, mode, CONSTAT_TOPIC);

const POLICE_POSITIVE =
  / (police|policiers?|gendarm\w*|commissariat|brigade|forces de l ordre|crs|plainte|proces verbal|pv|recepisse|main courante|(sont|est|etaient|etait) (venue?s?|intervenue?s?|passee?s?)) /;

const POLICE_NEGATIVE =
  / (pas (de|la|les) (police|gendarmes?|plainte)|pas (appele|prevenu|contacte|porte plainte|depose plainte|fait de (declaration|plainte))|personne n est (venu|intervenu|passe)|aucun\w* (policier|gendarme|plainte|intervention)|ni police|sans (la )?police) /;

const POLICE_NOT_YET =
  / ((vais|va|vas|allons|allez|dois|doit|devons|compte|comptons|pense|voudrais|veux|prevois|devrais) (aller )?(porter|deposer|faire|appeler|contacter|passer)|rendez vous|pour (porter|deposer) plainte|prevu de|pas encore|plus tard|demain|dans la journee|cet apres midi|ce soir) /;

/** Did the police come or was a complaint filed ("porté plainte", "récépissé", "PV")? */
export function parsePoliceReport(text: string, mode: ReadMode = 'answer'): boolean | null {
  // a future complaint is not a report: "je vais porter plainte demain"
  const w = words(text);
  if (
    (mode === 'answer' || POLICE_TOPIC.test(w)) &&
    POLICE_NOT_YET.test(w) &&
    !/ (j ai|on a|nous avons|avons) (deja )?(porte|depose) plainte /.test(w)
  )
    return false;
  return polarity(text, POLICE_POSITIVE, POLICE_NEGATIVE, mode, POLICE_TOPIC);
}

/** A police report / complaint number: "PV n° 2026-00452", "récépissé numéro 12345". */
export function parseReportNumber(text: string): string | null {
  const pattern =
    /(?:n°|no\b|num(?:e|é)ro|r(?:e|é)f(?:e|é)rence|ref\b|pv|proc(?:e|è)s[- ]verbal|r(?:e|é)c(?:e|é)piss(?:e|é))[^A-Z0-9]{0,24}?([A-Z0-9][A-Z0-9/\-.]{3,})/gi;
  for (const m of text.matchAll(pattern)) {
    const candidate = m[1]?.replace(/[.]$/, '');
    if (candidate && /\d/.test(candidate)) return candidate;
  }
  return null;
}

const THIRD_PARTY_INVOLVED =
  / (une? (autre )?(voiture|vehicule|camion|moto|scooter|conducteur|conductrice|automobiliste|cycliste|pieton|camionnette|bus|taxi|livreur|tracteur|poids lourd)|l autre (voiture|vehicule|conducteur|conductrice|automobiliste|partie|personne)|un tiers|le tiers|quelqu un (m a|nous a|est)|(il|elle) (m a|nous a) (percute|heurte|touche|embouti|accroche|rentre)|(glisse|tape|rentre|percute|heurte|accroche|derape)\w* (dans|contre|sur) (la|une|le|un|l) (voiture|vehicule|camion|moto|scooter|bus|autre)|(du|de la|des|au|a la|aux) voisine?s?|chez (le|la|les) voisine?s?|(le|la|les|mon|ma|mes|nos) voisine?s? (a|ont|est|sont|avait|avaient|m a|m ont)|voisine?s? du (dessus|dessous)|du dessus|d en haut) /;

/**
 * Nobody else: the client alone ("je suis parti tout seul", not "la voiture du voisin a
 * dévalé toute seule"), an obstacle hit, no neighbour touched. A slip ("j'ai glissé") says
 * nothing: a shop floor may be someone's fault.
 */
const THIRD_PARTY_ABSENT =
  / ((je|j|me|moi|suis|etais|sorti\w*|parti\w*)( \w+){0,3} (tout seul|toute seule)|seule? en cause|personne d autre|aucun autre (vehicule|tiers)|pas d autre (vehicule|voiture)|pas de tiers|aucun tiers|(pas de|aucun) voisine?s?|(je|j|me|ma voiture|mon vehicule|ma moto|mon scooter)( \w+){0,3} (tape\w*|percute|heurte|touche|rentre|fonce|cogne|accroche|frotte|recule|fini|finie|termine|encastree?) (\w+ ){0,2}(contre |dans )?(un|une|le|la|l) (arbre|mur|poteau|trottoir|plot|muret|glissiere|barriere|lampadaire|portail|pilier)(?! (du|de la|des|de mon|de ma|de l) (voisin\w*|collegue|proprietaire|copropriete|residence|immeuble|mairie|commune|ecole|magasin|parking))|j ai perdu le controle) /;
/** A thing thrown by a passing vehicle: the vehicle is no party to the claim. */
const THROWN_BY =
  / (projete|projetee|projetes|souleve|soulevee|envoye|envoyee|tombe|tombee)s? (\w+ )?par (un|une) \w+( \w+)? /g;
/** The client says he does not know yet. */
const UNKNOWN_YET = / (on ne sait|je ne sais|on sait|je sais) pas (encore )?si /;

/** Was someone else involved? */
export function parseThirdPartyInvolved(text: string, mode: ReadMode = 'answer'): boolean | null {
  const w = words(text).replace(THROWN_BY, ' objet ');
  if (UNKNOWN_YET.test(w)) return null;
  if (THIRD_PARTY_ABSENT.test(w)) return false;
  if (THIRD_PARTY_INVOLVED.test(w)) return true;
  if (mode === 'mention') return null;
  const answer = parseConfirmation(text);
  return answer === null ? null : answer === 'yes';
}

/**
 * Is the other party responsible, as the client tells it? The convention cases of
 * `liability.ts` decide; null when the story does not settle it (the bot then asks).
 */
export const parseThirdPartyResponsible = (text: string, mode: ReadMode = 'answer'): boolean | null =>
  readLiability(text, mode).responsible;

/** "un appareil photo" is a thing stolen, "j'ai reçu des morceaux" no receipt. */
const DOCUMENT_POSITIVE =
  / ((?<!appareil )photos?|images?|videos?|factures?|devis|justificatifs?|documents?|pieces?|(un|le|les|des|mes|ses|vos|du) recus?|tickets?|preuves?|clich\w*|(vous|je) (les |l )?(ai |avons )?(deja )?envoy\w*) /;
const DOCUMENT_NEGATIVE =
  / (pas (de|encore de|d|pu prendre|eu le temps|pris)|aucun\w*|rien|sans|pas encore) /;

/** Are photos or documents available? */
export const parseDocuments = (text: string, mode: ReadMode = 'answer'): boolean | null =>
  polarity(text, DOCUMENT_POSITIVE, DOCUMENT_NEGATIVE, mode, DOCUMENT_TOPIC);

/** Where it happened, as said ("A7 près de Valence", "Lyon", "domicile"), or null (nlu/places.ts). */
export const parsePlace = (text: string): string | null => parsePlaceParts(text)?.text ?? null;

/** An estimated amount in euros ("environ 1 500 euros", "deux mille euros", "1500€"). */
export function parseAmount(text: string): number | null {
  const folded = fold(text);
  const digits =
    /(\d{1,3}(?:[ .\u202f]\d{3})+|\d+)(?:[,.](\d{1,2}))?\s*(k|mille)?\s*(?:€|euros?|eur\b|balles)/.exec(
      folded,
    );
  if (digits?.[1]) {
    const whole = Number(digits[1].replace(/[ .\u202f]/g, ''));
    const cents = digits[2] ? Number(digits[2].padEnd(2, '0')) / 100 : 0;
    return (whole + cents) * (digits[3] ? 1000 : 1);
  }
  const tokens = words(text).trim().split(' ');
  for (let i = 0; i < tokens.length; i += 1) {
    const parsed = parseNumberWords(tokens, i);
    if (parsed && /^(euros?|eur|balles)$/.test(tokens[parsed.next] ?? '')) return parsed.value;
  }
  return null;
}

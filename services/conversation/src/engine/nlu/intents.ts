// Conversation-level intents that can interrupt any phase: asking for a human, asking where an
// existing claim stands, correcting something already said, ending the conversation.
import { words } from './text';

const HUMAN =
  / ((parler|discuter|echanger|etre mise? en relation|avoir affaire) (a|avec) (quelqu un|un humain|une personne|une vraie personne|un vrai|une vraie|un conseiller|une conseillere|un agent|un operateur|une operatrice|un responsable|un etre humain)|(passez moi|passer moi|transferez moi|transfere moi|mettez moi en relation avec|je veux|je voudrais|j aimerais|je demande) (un |une )?(conseiller|conseillere|humain|vrai humain|vraie personne|operateur|operatrice|agent|responsable|quelqu un)|pas (a|avec) (un|une) (robot|machine)|un etre humain|une vraie personne|un vrai conseiller|un vrai humain|service client) /;

/** The whole message is the human asked for: "conseiller", "un conseiller svp", "un humain !". */
const HUMAN_ALONE =
  /^ (un |une |le |la )?(conseiller|conseillere|humain|etre humain|agent|operateur|operatrice|personne reelle)( (svp|s il vous plait|s il vous plait merci|merci|please))? $/;

/** "Je veux parler à quelqu'un", "passez-moi un conseiller", "conseiller": hand the client to a human now. */
export const isHumanRequest = (text: string): boolean => {
  const w = words(text);
  return HUMAN.test(w) || HUMAN_ALONE.test(w);
};

const FOLLOW_UP =
  / (ou en est|ou en sont|ou ca en est|suivi|suivre|des nouvelles|l avancement|avancee?|l etat de|statut|mon dossier|ma declaration|deja declare|deja fait une declaration|deja ouvert|en cours de traitement|numero de sinistre|mon sinistre|mon remboursement|toujours pas (de nouvelles|ete rembourse|eu)|je n ai (toujours )?pas (eu|recu) de (nouvelles|reponse)|relancer|relance) /;

const NEW_CLAIM =
  / (declarer|nouveau sinistre|nouvel accident|nouvelle declaration|il m est arrive|j ai eu|on m a|il y a eu) /;

/** A client asking about a claim already declared (suivi de dossier). */
export function isFollowUpRequest(text: string): boolean {
  const w = words(text);
  return FOLLOW_UP.test(w) && !NEW_CLAIM.test(w);
}

const CORRECTION =
  / (je me suis trompe\w*|je me trompe|erreur|pardon|correction|je corrige|rectif\w*|en fait|finalement|plutot|je voulais dire|non c etait|non c est|non ce n etait pas|c etait pas|ce n etait pas|pas (hier|avant hier|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) mais) /;

/** "Non, c'était avant-hier", "je me suis trompé, c'était à Lyon": the client fixes a fact. */
export const isCorrection = (text: string): boolean => CORRECTION.test(words(text));

const GOODBYE =
  / (au revoir|bonne journee|bonne soiree|c est tout|ce sera tout|rien d autre|non merci|merci beaucoup|merci au revoir|ca ira) /;

export const isGoodbye = (text: string): boolean => GOODBYE.test(words(text));

const GREETING =
  /^ (bonjour|bonsoir|salut|allo|hello|coucou|bonjour madame|bonjour monsieur|oui bonjour|allo bonjour)( (madame|monsieur|a vous|tout le monde))? $/;

/** A bare greeting ("Bonjour", "Allô ?") is politeness, not a failed answer. */
export const isGreeting = (text: string): boolean => GREETING.test(words(text));

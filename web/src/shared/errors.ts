// Errors in words: what an advisor or a client reads, with the stable code in brackets so
// support can find it (docs/graph.md, Error codes). A code not listed shows the server's message.
import type { CombinedError } from 'urql';

const WORDS: Record<string, string> = {
  // common to every service (docs/graph.md, Error codes)
  'VALIDATION.FAILED': 'Une valeur saisie n’est pas valide.',
  'PAGINATION.INVALID_CURSOR': 'La page demandée n’existe plus : rechargez la liste.',
  'PAGINATION.INVALID_SIZE': 'La taille de page demandée n’est pas permise.',
  'REQUEST.TOO_LARGE': 'La demande est trop volumineuse.',
  'AUTH.MISSING_TOKEN': 'Vous n’êtes pas connecté : connectez-vous.',
  'AUTH.INVALID_TOKEN': 'Votre session n’est pas valide : reconnectez-vous.',
  'AUTH.EXPIRED_TOKEN': 'Votre session a expiré : reconnectez-vous.',
  'AUTH.FORBIDDEN': 'Vous n’avez pas le droit de faire cela.',
  'AUTH.NOT_FROM_GATEWAY': 'Ce service n’est joignable que par la passerelle.',
  'LIMIT.SUBSCRIPTIONS': 'Trop de suivis en direct sont ouverts : fermez un onglet et réessayez.',
  'LIMIT.RATE': 'Trop de demandes en peu de temps : réessayez dans un instant.',
  'WRITE.STALE': 'Quelqu’un a modifié ce dossier entre-temps : rechargez-le puis recommencez.',
  'LIMIT.COST': 'La demande est trop lourde : demandez moins d’éléments à la fois.',
  'SUBSCRIPTION.UPSTREAM_CLOSED': 'Le suivi en direct s’est interrompu : il reprend dans un instant.',
  INTERNAL: 'Une erreur inattendue est survenue.',
  // identity
  'CLIENT.NOT_FOUND': 'Ce client est introuvable.',
  'CLIENT.MATRICULE_TAKEN': 'Un autre client a déjà ce matricule.',
  'CLIENT.ERASED': 'Les données de ce client ont été effacées (RGPD) : elles ne changent plus.',
  'CONTRACT.NUMBER_TAKEN': 'Un autre contrat a déjà ce numéro.',
  // claims
  'CLAIM.NOT_FOUND': 'Ce sinistre est introuvable.',
  'CLAIM.ARCHIVED': 'Ce sinistre est archivé : il ne change plus.',
  'CLAIM.CLIENT_ERASED':
    'Ce client a été effacé (RGPD) : aucun sinistre ne s’ouvre plus pour lui, et ses dossiers avancent sans nouveau texte à son sujet.',
  'CLAIM.INVALID_TRANSITION': 'Ce changement de statut n’est pas permis depuis le statut actuel.',
  'CLAIM.ID_CONFLICT': 'L’identifiant réservé pour ce sinistre appartient à un autre client.',
  'CASE.NOT_FOUND': 'Ce dossier partenaire est introuvable.',
  'CASE.PARTNER_MESSAGE_INVALID': 'Ce message partenaire n’est pas au format attendu.',
  'CASE.PARTNER_SOURCE_MISMATCH': 'Un partenaire n’envoie que les messages de sa propre source.',
  'CLAIM.ACTION_NOT_FOUND': 'Cette action recommandée est introuvable.',
  'CLAIM.ACTION_CLOSED': 'Cette action est déjà faite ou ignorée.',
  // conversation
  'CONVERSATION.NOT_FOUND': 'Cette conversation est introuvable.',
  'CONVERSATION.NOT_A_BOT_CONVERSATION':
    'Cette conversation n’a pas d’assistant : ses messages s’ajoutent au sinistre.',
  'CONVERSATION.ERASED':
    'Cette conversation a été effacée avec les données du client (RGPD) : commencez-en une nouvelle.',
  'CONVERSATION.CLAIM_ERASED':
    'Le client de ce sinistre a été effacé (RGPD) : plus rien ne s’écrit à son sujet sur ce dossier.',
  'CONVERSATION.CONCURRENT_UPDATE': 'La conversation a changé entre-temps : renvoyez le message.',
  'CONVERSATION.NOT_WITH_ADVISOR': 'Aucun conseiller ne tient cette conversation en ce moment.',
  'CONVERSATION.NOT_HOLDER': 'Un autre conseiller tient cette conversation : lui seul peut y répondre.',
  'CONVERSATION.NOT_A_PARTICIPANT':
    'Seuls le client et le conseiller qui tient la conversation y participent en direct.',
  'VOICE.TRANSCRIPTION_UNAVAILABLE':
    'Votre message vocal n’a pas pu être transcrit pour le moment : écrivez-le, ou réessayez.',
  'VOICE.MICROPHONE': 'Le micro n’est pas accessible : autorisez-le dans votre navigateur, ou écrivez.',
  'VOICE.TOO_SHORT': 'Maintenez le bouton pendant que vous parlez, puis relâchez-le.',
  // reimbursement
  'REIMBURSEMENT.NOT_FOUND': 'Ce remboursement est introuvable.',
  'REIMBURSEMENT.INVALID_TRANSITION': 'Ce remboursement ne peut pas passer à ce statut.',
  'REIMBURSEMENT.ALREADY_FINAL': 'Ce remboursement est payé ou refusé : il ne change plus.',
  'REIMBURSEMENT.FIELD_NOT_EDITABLE': 'Ces montants ne se modifient pas dans ce statut.',
  'REIMBURSEMENT.INVALID_AMOUNT': 'Le montant doit être un nombre d’euros positif.',
  'REIMBURSEMENT.NEGATIVE_AMOUNT': 'Un montant ne peut pas être négatif.',
  'REIMBURSEMENT.AMOUNT_EXCEEDS_CLAIM': 'Le montant accepté dépasse le montant demandé.',
  'REIMBURSEMENT.DEDUCTIBLE_EXCEEDS_AMOUNT': 'La franchise dépasse le montant accepté.',
  'REIMBURSEMENT.AMOUNT_ACCEPTED_REQUIRED': 'Indiquez le montant accepté.',
  'REIMBURSEMENT.REJECTION_REASON_REQUIRED': 'Indiquez le motif du refus.',
  'REIMBURSEMENT.OVERRIDE_REASON_REQUIRED':
    'Ces montants s’écartent de la proposition du contrat : indiquez le motif de la dérogation.',
  'REIMBURSEMENT.PAYMENT_METHOD_REQUIRED': 'Indiquez le mode de paiement (virement ou chèque).',
  'REIMBURSEMENT.CLIENT_ERASED':
    'Les données de cet assuré ont été effacées à sa demande : aucun nouveau motif ne peut être enregistré.',
  'REIMBURSEMENT.CORRUPT_ROW': 'Ce remboursement contient une valeur illisible : prévenez le support.',
  // escalation
  'ESCALATION.NOT_FOUND': 'Ce dossier n’est plus dans la file.',
  'ESCALATION.ALREADY_RESOLVED': 'Ce dossier est déjà résolu.',
  'ESCALATION.NOT_ASSIGNED': 'Affectez d’abord ce dossier à un conseiller.',
  'ESCALATION.ADVISOR_UNAVAILABLE': 'Ce conseiller est en pause.',
  'ESCALATION.ADVISOR_AT_CAPACITY': 'Ce conseiller a atteint sa capacité.',
  'ESCALATION.CONFLICT': 'Ce dossier a changé entre-temps : réessayez.',
  'ESCALATION.CORRUPT_ROW': 'Ce dossier contient une valeur illisible : prévenez le support.',
  'ADVISOR.NOT_FOUND': 'Ce conseiller est introuvable.',
  'ADVISOR.EMAIL_TAKEN': 'Un autre conseiller a déjà cette adresse e-mail.',
  // older or transport-level codes some callers still meet
  UNAUTHENTICATED: 'Votre session a expiré : reconnectez-vous.',
  'AUTH.TOKEN_EXPIRED': 'Votre session a expiré : reconnectez-vous.',
  FORBIDDEN: 'Vous n’avez pas le droit de faire cela.',
  BAD_USER_INPUT: 'Une valeur saisie n’est pas valide.',
  'CONVERSATION.NOT_HELD': 'Vous ne tenez pas cette conversation.',
  'CHAT.UNAVAILABLE': 'L’assistant ne peut pas ouvrir de conversation pour le moment.',
  NETWORK: 'Le serveur ne répond pas : vérifiez votre connexion.',
};

/** The French words of a code, if any (the unit test checks every documented code has some). */
export function wordsOf(code: string): string | undefined {
  return WORDS[code];
}

export interface ErrorInWords {
  code: string;
  words: string;
}

/** One line per error: French words, and the code. */
export function inWords(error: CombinedError | ErrorInWords | Error): ErrorInWords {
  if ('code' in error && 'words' in error) return error;
  const combined = error as Partial<CombinedError>;
  if (combined.networkError) return { code: 'NETWORK', words: WORDS['NETWORK']! };
  const first = combined.graphQLErrors?.[0];
  const code = typeof first?.extensions?.['code'] === 'string' ? first.extensions['code'] : 'INTERNAL';
  return { code, words: WORDS[code] ?? first?.message ?? error.message };
}

export function codeWords(code: string, fallback: string): ErrorInWords {
  return { code, words: WORDS[code] ?? fallback };
}

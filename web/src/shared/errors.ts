// Errors in words: what an advisor or a client reads, with the stable code in brackets so
// support can find it (docs/graph.md, Error codes). A code not listed shows the server's message.
import type { CombinedError } from 'urql';

const WORDS: Record<string, string> = {
  UNAUTHENTICATED: 'Votre session a expiré : reconnectez-vous.',
  'AUTH.INVALID_TOKEN': 'Votre session n’est pas valide : reconnectez-vous.',
  'AUTH.TOKEN_EXPIRED': 'Votre session a expiré : reconnectez-vous.',
  FORBIDDEN: 'Vous n’avez pas le droit de faire cela.',
  'LIMIT.RATE': 'Trop de demandes en peu de temps : réessayez dans un instant.',
  'VALIDATION.FAILED': 'Une valeur saisie n’est pas valide.',
  BAD_USER_INPUT: 'Une valeur saisie n’est pas valide.',
  'CLAIM.NOT_FOUND': 'Ce sinistre est introuvable.',
  'CLAIM.ARCHIVED': 'Ce sinistre est archivé : il ne change plus.',
  'CLAIM.INVALID_TRANSITION': 'Ce changement de statut n’est pas permis depuis le statut actuel.',
  'CLAIM.ACTION_NOT_FOUND': 'Cette action recommandée est introuvable.',
  'CLAIM.ACTION_CLOSED': 'Cette action est déjà terminée ou ignorée.',
  'REIMBURSEMENT.INVALID_TRANSITION': 'Ce remboursement ne peut pas passer à ce statut.',
  'REIMBURSEMENT.NOT_FOUND': 'Ce remboursement est introuvable.',
  'ESCALATION.NOT_FOUND': 'Ce dossier n’est plus dans la file.',
  'ESCALATION.ALREADY_RESOLVED': 'Ce dossier est déjà résolu.',
  'ESCALATION.ADVISOR_AT_CAPACITY': 'Ce conseiller a atteint sa capacité.',
  'CONVERSATION.NOT_FOUND': 'Cette conversation est introuvable.',
  'CONVERSATION.NOT_HELD': 'Vous ne tenez pas cette conversation.',
  'CHAT.UNAVAILABLE': 'L’assistant ne peut pas ouvrir de conversation pour le moment.',
  NETWORK: 'Le serveur ne répond pas : vérifiez votre connexion.',
  INTERNAL: 'Une erreur inattendue est survenue.',
};

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

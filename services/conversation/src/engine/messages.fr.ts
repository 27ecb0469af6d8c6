// Every sentence the bot says, in one place (French, polite "vous"). Wording follows the seed's
// "Flux Conversationnel Amélioré"; questions depend on the claim type.
import type { CollectedData } from './context';
import type { ClaimStatus, DirectoryClaim, DirectoryClient, DirectoryContract } from './directory';
import type { ClaimType } from './nlu/claim-type';

const MONTHS = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
];

/** "2026-11-17" -> "17 novembre 2026"; "2026-11-01" -> "1er novembre 2026". */
export function frenchDate(isoDate: string): string {
  const [y, m, d] = isoDate.slice(0, 10).split('-').map(Number);
  const day = d === 1 ? '1er' : String(d);
  return `${day} ${MONTHS[(m ?? 1) - 1] ?? ''} ${y}`;
}

/** "2026-11-17T14:30" -> "le 17 novembre 2026 vers 14 h 30". */
export function frenchDateTime(value: string): string {
  const date = `le ${frenchDate(value)}`;
  const time = value.length > 10 ? value.slice(11, 16) : null;
  if (!time) return date;
  const [h, min] = time.split(':');
  return `${date} vers ${Number(h)} h${min === '00' ? '' : ` ${min}`}`;
}

const isMadam = (civility: string | null | undefined) =>
  /^(mme|madame|mlle|mademoiselle)\.?$/i.test(civility ?? '');

/** "Monsieur Dupont", "Madame Martin", or "Jean Dupont" without a known civility. */
export function addressOf(client: Pick<DirectoryClient, 'civility' | 'lastName' | 'firstName'>): string {
  if (isMadam(client.civility)) return `Madame ${client.lastName}`;
  if (/^(m|mr|monsieur)\.?$/i.test(client.civility ?? '')) return `Monsieur ${client.lastName}`;
  return `${client.firstName} ${client.lastName}`;
}

export const CLAIM_TYPE_LABEL: Readonly<Record<ClaimType, string>> = {
  collision: 'un accident de la circulation',
  vol: 'un vol',
  incendie: 'un incendie',
  degats: 'des dégâts matériels (dégât des eaux, intempéries ou vandalisme)',
  blessure: 'une blessure',
};

const CLAIM_TYPE_OF: Readonly<Record<ClaimType, string>> = {
  collision: "d'un accident de la circulation",
  vol: "d'un vol",
  incendie: "d'un incendie",
  degats: 'de dégâts matériels',
  blessure: "d'une blessure",
};

const CLAIM_TYPE_SHORT: Readonly<Record<ClaimType, string>> = {
  collision: 'accident',
  vol: 'vol',
  incendie: 'incendie',
  degats: 'dégâts',
  blessure: 'blessure',
};

const STATUS_PHRASE: Readonly<Record<ClaimStatus, string>> = {
  NEW: "vient d'être ouvert et sera pris en charge très prochainement",
  IN_PROGRESS: 'est en cours de traitement',
  EXPERT_REVIEW: "est en attente de l'avis d'un expert",
  VALIDATION: 'est en cours de validation avant paiement',
  CLOSED: 'est clôturé',
  ESCALATED: 'a été confié à un conseiller, qui va vous recontacter',
  AWAITING_CLIENT: 'attend des documents de votre part',
};

export const fr = {
  greeting: (): string =>
    'Bonjour et bienvenue ! Pour vous aider rapidement, pouvez-vous me donner votre numéro de matricule, s’il vous plaît ?',

  greetingReply: (): string => 'Bonjour ! Pouvez-vous me donner votre numéro de matricule, s’il vous plaît ?',

  matriculeNotUnderstood: (attempt: number): string =>
    attempt <= 1
      ? "Je n'ai pas reconnu de numéro de matricule. Pouvez-vous me le redonner, s’il vous plaît ?"
      : 'Votre matricule se compose de deux lettres, trois chiffres et deux lettres, par exemple AB-123-CD. Pouvez-vous me le dicter ?',

  matriculeForFollowUp: (): string =>
    'Bien sûr, je peux vous renseigner sur votre dossier. Pour cela, pouvez-vous me donner votre numéro de matricule ?',

  matriculeForDeclaration: (): string =>
    'Je suis désolé pour ce qui vous arrive, je vais vous aider à déclarer ce sinistre. Pour commencer, pouvez-vous me donner votre numéro de matricule ?',

  pleaseWait: (): string => 'Un instant, je vérifie vos informations.',

  /** Seed step 2: "Vous êtes bien [Nom Prénom] ? Numéro de contrat : [XXXX], assuré depuis [date] ?" */
  confirmIdentity: (client: DirectoryClient, contract: DirectoryContract | undefined): string => {
    const name = `${client.lastName} ${client.firstName}`;
    if (!contract) return `Merci ! Vous êtes bien ${name} ?`;
    const insured = isMadam(client.civility) ? 'assurée' : 'assuré';
    return `Merci ! Vous êtes bien ${name}, contrat ${contract.contractNumber}, ${insured} depuis le ${frenchDate(contract.startDate)} ?`;
  },

  /**
   * The personal code, before anything is read back. Said for a client with a code and for an
   * unknown matricule alike, so the question tells nobody whether the matricule exists.
   */
  askPin: (): string =>
    'Merci. Pour protéger votre dossier, pouvez-vous me donner votre code personnel (4 à 6 chiffres), s’il vous plaît ? Si vous n’en avez pas choisi, dites-le-moi simplement.',

  pinNotUnderstood: (attempt: number): string =>
    attempt <= 1
      ? "Je n'ai pas reconnu de code. Votre code personnel se compose de 4 à 6 chiffres : pouvez-vous me le redonner, s’il vous plaît ?"
      : 'Pouvez-vous me dicter votre code chiffre par chiffre, par exemple « 4, 7, 0, 9 » ? Si vous n’en avez pas, dites-le-moi.',

  confirmIdentityAgain: (client: DirectoryClient): string =>
    `Pouvez-vous me confirmer par oui ou par non que vous êtes bien ${client.lastName} ${client.firstName} ?`,

  /** Same words for an unknown matricule and a denied identity: never reveal which it was. */
  authenticationRetry: (): string =>
    'Je ne parviens pas à vérifier votre identité avec ces informations. Pouvez-vous me redonner votre numéro de matricule, s’il vous plaît ?',

  authenticationFailed: (): string =>
    'Je ne parviens pas à vérifier votre identité avec ces informations. Je vous mets en relation avec un conseiller qui pourra vous aider. Un moment, s’il vous plaît...',

  askDescription: (client: DirectoryClient): string =>
    `Merci, ${addressOf(client)}. Pouvez-vous m'expliquer brièvement ce qui s'est passé ? Si vous appelez au sujet d'un dossier déjà ouvert, dites-le-moi simplement.`,

  askDescriptionAgain: (): string =>
    "Je vous écoute : pouvez-vous m'expliquer brièvement ce qui s'est passé ?",

  descriptionNotUnderstood: (attempt: number): string =>
    attempt <= 1
      ? "Pardon, je n'ai pas bien compris. S'agit-il d'un accident de la circulation, d'un vol, d'un incendie, d'un dégât des eaux ou d'une blessure ?"
      : "Je suis désolé, je ne comprends toujours pas. Dites-moi en quelques mots ce qui s'est passé, par exemple « on m'a volé ma voiture » ou « j'ai une fuite d'eau ».",

  acknowledgeClaim: (type: ClaimType): string => {
    switch (type) {
      case 'collision':
        return 'Je suis désolé pour cet accident. Je vais vous poser quelques questions pour constituer votre dossier.';
      case 'vol':
        return 'Je suis désolé pour ce vol. Je vais vous poser quelques questions pour constituer votre dossier.';
      case 'incendie':
        return 'Je suis désolé pour cet incendie. Je vais vous poser quelques questions pour constituer votre dossier.';
      case 'degats':
        return 'Je suis désolé pour ces dégâts. Je vais vous poser quelques questions pour constituer votre dossier.';
      case 'blessure':
        return 'Je suis désolé, j’espère que ce n’est pas trop grave. Je vais vous poser quelques questions pour constituer votre dossier.';
    }
  },

  askDate: (): string => "Quand cela s'est-il produit ? Le jour et, si possible, l'heure approximative.",
  dateNotUnderstood: (): string =>
    "Je n'ai pas compris la date. Même approximative, elle m'aide : par exemple « hier vers 14 h », « lundi dernier » ou « le 12 novembre ».",
  dateInFuture: (): string => 'Cette date est dans le futur. Quand cela s’est-il produit exactement ?',

  askPlace: (type: ClaimType): string =>
    type === 'collision' || type === 'blessure'
      ? "Où cela s'est-il passé ? Une adresse, une ville ou une route suffit."
      : "Où cela s'est-il passé ? À votre domicile, ou ailleurs (adresse, ville) ?",
  placeNotUnderstood: (): string =>
    "Je n'ai pas compris le lieu. Pouvez-vous me donner la ville ou l'adresse ?",

  askThirdParty: (type: ClaimType): string => {
    switch (type) {
      case 'collision':
        return 'Un autre véhicule ou une autre personne était-il impliqué ?';
      case 'degats':
        return 'Les dégâts viennent-ils de chez un tiers, par exemple un voisin ?';
      case 'incendie':
        return 'Le feu est-il venu de chez un tiers, par exemple un voisin ou un autre véhicule ?';
      case 'blessure':
        return 'Une autre personne, ou un animal appartenant à quelqu’un, est-elle en cause ?';
      case 'vol':
        return 'Une autre personne était-elle impliquée ?';
    }
  },
  askThirdPartyResponsible: (): string =>
    "Selon vous, l'autre partie est-elle responsable de ce qui s'est passé ?",

  askInjuries: (type: ClaimType): string =>
    type === 'incendie'
      ? "Quelqu'un a-t-il été blessé ou incommodé par la fumée ?"
      : 'Y a-t-il des blessés ou des douleurs ?',

  askConstat: (type: ClaimType): string =>
    type === 'degats'
      ? 'Avez-vous rempli un constat amiable de dégât des eaux avec le tiers ?'
      : "Avez-vous rempli un constat amiable avec l'autre conducteur ?",

  askPolice: (type: ClaimType): string => {
    switch (type) {
      case 'vol':
        return 'Avez-vous déposé plainte auprès de la police ou de la gendarmerie ?';
      case 'incendie':
        return 'Les pompiers ou la police sont-ils intervenus, avec un rapport ?';
      case 'degats':
        return 'Avez-vous déposé plainte pour ces dégradations ?';
      case 'collision':
      case 'blessure':
        return 'La police ou la gendarmerie est-elle intervenue ?';
    }
  },
  askReportNumber: (type: ClaimType): string =>
    type === 'vol'
      ? 'Avez-vous le numéro du récépissé de dépôt de plainte ? Sinon, dites simplement « non ».'
      : 'Avez-vous le numéro du procès-verbal ? Sinon, dites simplement « non ».',

  askDocuments: (type: ClaimType): string => {
    switch (type) {
      case 'vol':
        return 'Avez-vous des factures ou des photos des biens volés à nous transmettre ?';
      case 'blessure':
        return 'Avez-vous un certificat médical ou d’autres documents à nous transmettre ?';
      case 'collision':
      case 'incendie':
      case 'degats':
        return 'Avez-vous des photos des dégâts ou des documents (factures, devis) à nous transmettre ?';
    }
  },

  askAmount: (type: ClaimType): string =>
    type === 'vol'
      ? 'Pouvez-vous estimer la valeur de ce qui a été volé, en euros ? Si vous ne savez pas, dites simplement « je ne sais pas ».'
      : 'Pouvez-vous estimer le montant des dégâts, en euros ? Si vous ne savez pas, dites simplement « je ne sais pas ».',
  amountNotUnderstood: (): string =>
    "Je n'ai pas compris le montant. Dites par exemple « environ 1 500 euros », ou « je ne sais pas ».",

  yesNoNotUnderstood: (question: string): string =>
    `Pardon, je n'ai pas bien compris. ${question} Répondez simplement par oui ou par non.`,

  askToRepeat: (): string =>
    "Je ne suis pas sûr d'avoir bien entendu. Pouvez-vous répéter, s’il vous plaît ?",

  correctionApplied: (changes: readonly string[]): string =>
    `C'est noté, je corrige : ${changes.join(', ')}.`,

  recap: (data: CollectedData): string => `Je récapitule : ${describeClaim(data)}. Est-ce exact ?`,
  askWhatToCorrect: (): string =>
    "Qu'est-ce qui n'est pas exact ? Dites-moi simplement l'information à corriger.",
  correctionNotUnderstood: (): string =>
    "Je n'ai pas compris la correction. Dites par exemple « c'était avant-hier » ou « il n'y a pas eu de constat ».",

  /** Seed step 5, CCI < 40, adapted to the claim type. */
  autonomous: (data: CollectedData): string => {
    const head = 'Votre cas peut être traité automatiquement.';
    switch (data.claimType) {
      case 'collision':
        return `${head} Merci de nous envoyer ${data.amicableReport ? 'le constat et les photos' : 'les photos des dégâts'}. Un garage agréé vous sera proposé sous 24h.`;
      case 'vol':
        return `${head} Merci de nous envoyer le récépissé de dépôt de plainte et les factures des biens volés. Vous recevrez notre proposition d'indemnisation par courrier électronique.`;
      case 'incendie':
      case 'degats':
        return `${head} Merci de nous envoyer les photos des dégâts${data.amicableReport ? ' et le constat' : ''}. Un artisan agréé vous sera proposé sous 24h.`;
      case 'blessure':
      case undefined:
        return `${head} Merci de nous envoyer les justificatifs. Vous serez informé de chaque étape par courrier électronique.`;
    }
  },

  /** The band between the thresholds: completed by the bot, reviewed by an expert. */
  expert: (): string =>
    'Merci, votre déclaration est enregistrée. Votre dossier sera examiné par un expert, qui vous contactera sous 48h. Merci de nous envoyer dès que possible les photos et documents dont vous disposez.',

  /** Seed step 5, CCI > 60 or an escalation trigger. */
  escalated: (): string =>
    'Ce sinistre nécessite une attention particulière. Je vais vous transférer à un conseiller spécialisé pour une meilleure prise en charge. Un moment, s’il vous plaît...',

  humanRequested: (): string =>
    'Bien sûr, je vous mets en relation avec un conseiller. Les informations que vous m’avez données lui seront transmises. Un moment, s’il vous plaît...',

  tooManyFailures: (): string =>
    'Je suis désolé, je ne parviens pas à bien vous comprendre. Je vous transfère à un conseiller qui pourra vous aider. Un moment, s’il vous plaît...',

  followUpNone: (): string =>
    'Je ne trouve aucun dossier à votre nom. Souhaitez-vous déclarer un nouveau sinistre ?',

  followUpClaims: (claims: readonly DirectoryClaim[]): string => {
    const lines = claims.map(
      (c) =>
        `votre dossier n° ${c.claimNumber} (${CLAIM_TYPE_SHORT[c.claimType]} du ${frenchDate(c.occurredOn)}) ${STATUS_PHRASE[c.status]}`,
    );
    const body =
      lines.length === 1
        ? `${capitalize(lines[0] ?? '')}.`
        : `${lines.map((l) => capitalize(l)).join('. ')}.`;
    return `${body} Puis-je vous aider pour autre chose ?`;
  },

  /** After the claims' status, a question the bot cannot answer (when a payment comes...). */
  followUpNotUnderstood: (): string =>
    'Je ne sais pas répondre à cette question, mais un conseiller le peut : dites simplement « conseiller ». Sinon, puis-je vous aider pour autre chose, par exemple déclarer un sinistre ?',

  goodbye: (): string => 'Merci de votre appel. Je vous souhaite une bonne journée, au revoir !',

  afterCompletion: (): string =>
    'Votre déclaration est bien enregistrée. Pour toute autre demande, n’hésitez pas à nous recontacter. Au revoir !',

  afterTransfer: (): string => 'Un conseiller va prendre le relais dans un instant. Merci de votre patience.',

  // the live handoff: what the client reads while an advisor takes over, and after
  askMatriculeAgain: (): string => 'Pouvez-vous me redonner votre numéro de matricule, s’il vous plaît ?',

  resumed: (question: string): string => `Je reprends la suite de votre demande. ${question}`,

  resumedFollowUp: (): string =>
    'Je reprends la main. Puis-je vous aider pour autre chose ? Vous pouvez par exemple me demander où en est votre dossier.',

  /** "Claire, de notre équipe de conseillers, prend le relais" (the first name only). */
  advisorJoined: (advisorName: string): string =>
    `${firstNameOf(advisorName)}, de notre équipe de conseillers, prend le relais et a votre dossier sous les yeux. Vous pouvez lui écrire ici.`,

  advisorChanged: (advisorName: string): string =>
    `${firstNameOf(advisorName)}, de notre équipe de conseillers, reprend votre échange. Vous pouvez lui écrire ici.`,

  advisorClosed: (): string =>
    'Votre conseiller a terminé l’échange. Merci de votre confiance. Pour toute autre demande, ouvrez une nouvelle conversation.',

  conversationClosed: (): string =>
    'Cet échange est terminé. Pour une nouvelle demande, ouvrez une nouvelle conversation, nous serons ravis de vous aider.',

  /** Nobody took the transfer in time: a call-back, with the number we will call (masked). */
  callBackOffered: (maskedPhone: string | null, by: string): string =>
    maskedPhone
      ? `Tous nos conseillers sont occupés pour le moment. Un conseiller vous rappellera au ${maskedPhone} avant ${by}. Vous pouvez aussi rester ici : il vous répondra dès qu’il sera libre.`
      : `Tous nos conseillers sont occupés pour le moment. Un conseiller vous recontactera avant ${by}. Vous pouvez aussi rester ici : il vous répondra dès qu’il sera libre.`,
};

/** "Claire Martin" -> "Claire"; a name of one word stays whole. */
function firstNameOf(name: string): string {
  return name.trim().split(/\s+/)[0] ?? name;
}

const capitalize = (s: string) => (s.length === 0 ? s : s[0]?.toUpperCase() + s.slice(1));

const POLICE_READBACK: Readonly<Record<ClaimType, readonly [string, string]>> = {
  vol: ['une plainte déposée', 'pas de plainte déposée'],
  degats: ['une plainte déposée', 'pas de plainte déposée'],
  incendie: [
    'une intervention des pompiers ou de la police',
    'pas d’intervention des pompiers ni de la police',
  ],
  collision: ['une intervention de la police', 'pas de police'],
  blessure: ['une intervention de la police', 'pas de police'],
};

const yesNo = (value: boolean | undefined, yes: string, no: string): string | null =>
  value === undefined ? null : value ? yes : no;

/** One sentence recap of what was collected, used before the decision. */
export function describeClaim(data: CollectedData): string {
  const parts: string[] = [];
  parts.push(data.claimType ? CLAIM_TYPE_LABEL[data.claimType] : 'un sinistre');
  if (data.occurredLocal) parts.push(frenchDateTime(data.occurredLocal));
  if (data.location)
    parts.push(data.location === 'domicile' ? 'à votre domicile' : `lieu : ${data.location}`);
  const facts = [
    yesNo(
      data.thirdPartyInvolved,
      data.thirdPartyResponsible ? 'un tiers impliqué et responsable' : 'un tiers impliqué',
      'aucun tiers impliqué',
    ),
    // a bodily-injury claim is an injury by definition: no need to read it back
    data.claimType === 'blessure' ? null : yesNo(data.injuries, 'des blessés', 'aucun blessé'),
    yesNo(data.amicableReport, 'un constat amiable rempli', 'pas de constat amiable'),
    yesNo(data.policeReport, ...POLICE_READBACK[data.claimType ?? 'collision']),
    yesNo(data.documentsProvided, 'des photos ou documents disponibles', 'pas de photos ni de documents'),
    data.estimatedDamage !== undefined ? `des dégâts estimés à ${formatEuros(data.estimatedDamage)}` : null,
  ].filter((p): p is string => p !== null);
  return [...parts, ...facts].join(', ');
}

export const formatEuros = (amount: number): string =>
  `${new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 }).format(amount).replace(/\u202f/g, ' ')} euros`;

/** How a corrected fact is read back to the client ("C'est noté, je corrige : ..."). */
export type CorrectableField =
  | 'occurredLocal'
  | 'location'
  | 'claimType'
  | 'injuries'
  | 'amicableReport'
  | 'policeReport'
  | 'thirdPartyInvolved'
  | 'thirdPartyResponsible'
  | 'documentsProvided'
  | 'estimatedDamage';

export function describeChange(field: CorrectableField, data: CollectedData): string {
  switch (field) {
    case 'occurredLocal':
      return `le sinistre a eu lieu ${data.occurredLocal ? frenchDateTime(data.occurredLocal) : 'à une date à préciser'}`;
    case 'location':
      return `le lieu est ${data.location === 'domicile' ? 'votre domicile' : (data.location ?? 'à préciser')}`;
    case 'claimType':
      return `il s'agit ${data.claimType ? CLAIM_TYPE_OF[data.claimType] : "d'un sinistre"}`;
    case 'injuries':
      return data.injuries ? 'il y a des blessés' : "il n'y a pas de blessé";
    case 'amicableReport':
      return data.amicableReport ? 'un constat amiable a été rempli' : "aucun constat amiable n'a été rempli";
    case 'policeReport':
      return data.policeReport ? 'la police est intervenue' : "la police n'est pas intervenue";
    case 'thirdPartyInvolved':
      return data.thirdPartyInvolved ? 'un tiers est impliqué' : "aucun tiers n'est impliqué";
    case 'thirdPartyResponsible':
      return data.thirdPartyResponsible
        ? "l'autre partie est responsable"
        : "l'autre partie n'est pas responsable";
    case 'documentsProvided':
      return data.documentsProvided
        ? 'vous avez des photos ou documents'
        : "vous n'avez pas de photos ni de documents";
    case 'estimatedDamage':
      return `les dégâts sont estimés à ${formatEuros(data.estimatedDamage ?? 0)}`;
  }
}

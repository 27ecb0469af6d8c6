// The edge between the engine's English state and the seed's JSON context ("Contexte
// Persistant": sinistre_id, client_id, phase_actuelle, data_collectee, messages). What is stored
// in conversations.context, returned over GraphQL and published in events keeps the seed's
// French keys; only this module knows both spellings. Keys are renamed one by one, in place,
// so the JSON keeps the key order it had before the engine spoke English.
import type {
  CollectedData,
  ConversationContext,
  ConversationMessage,
  DialogueState,
  FileFact,
  Phase,
  SkippableSlot,
} from './context';
import type { DirectoryClient } from './directory';
import type { ClaimType } from './nlu/claim-type';

/** A one-to-one renaming; a name it does not know is kept as it is. */
class Names<E extends string, S extends string> {
  private readonly seed: ReadonlyMap<string, string>;
  private readonly engine: ReadonlyMap<string, string>;

  constructor(pairs: Readonly<Record<E, S>>) {
    const entries: [string, string][] = Object.entries(pairs);
    this.seed = new Map(entries);
    this.engine = new Map(entries.map(([english, french]) => [french, english]));
  }

  toSeed(name: E): S;
  toSeed(name: string): string;
  toSeed(name: string): string {
    return this.seed.get(name) ?? name;
  }

  toEngine(name: S): E;
  toEngine(name: string): string;
  toEngine(name: string): string {
    return this.engine.get(name) ?? name;
  }
}

type Renamed<T, N extends Readonly<Record<keyof T, string>>> = { [K in keyof T as N[K]]: T[K] };

// the names of the seed's data_collectee and of the `sinistres` columns the bot fills
const COLLECTED_NAMES = {
  matricule: 'matricule',
  civility: 'civilite',
  lastName: 'nom',
  firstName: 'prenom',
  contractId: 'contrat_id',
  contractNumber: 'numero_contrat',
  claimType: 'type_sinistre',
  description: 'description',
  occurredLocal: 'date_sinistre',
  location: 'lieu',
  locationCity: 'lieu_ville',
  locationRoad: 'lieu_voie',
  locationLandmark: 'lieu_repere',
  thirdPartyInvolved: 'tiers_implique',
  thirdPartyResponsible: 'tiers_responsable',
  liabilityRule: 'responsabilite_regle',
  liabilityLabel: 'responsabilite_motif',
  injuries: 'blessures',
  amicableReport: 'constat_amiable',
  policeReport: 'police_intervenue',
  policeReportNumber: 'numero_proces_verbal',
  documentsProvided: 'documents_disponibles',
  estimatedDamage: 'estimation_dommage',
  cciScore: 'cci_score',
  cciFactors: 'cci_facteurs',
  completeness: 'completude',
  missingFacts: 'faits_manquants',
  decision: 'decision',
} as const satisfies Record<keyof CollectedData, string>;

// seed historique_conversation
const MESSAGE_NAMES = {
  role: 'role',
  text: 'texte',
  timestamp: 'timestamp',
  sttConfidence: 'confiance_stt',
} as const satisfies Record<keyof ConversationMessage, string>;

// the skipped questions are named after the collected field they would have filled
const SKIPPED_NAMES = {
  policeReportNumber: 'numero_proces_verbal',
  estimatedDamage: 'estimation_dommage',
  thirdPartyResponsible: 'tiers_responsable',
} as const satisfies Record<SkippableSlot, string>;

const PROFILE_NAMES = { civility: 'civilite' } as const;

/** The seed's type_sinistre values: the engine (and @crm/cci, and the events) spell 'degats'. */
export type SeedClaimType = Exclude<ClaimType, 'degats'> | 'dégâts';

/** A missing fact by its data_collectee name ("lieu", "constat_amiable"...). */
export type SeedFileFact = (typeof COLLECTED_NAMES)[FileFact];

/** seed data_collectee */
export type SeedCollectedData = Omit<
  Renamed<CollectedData, typeof COLLECTED_NAMES>,
  'type_sinistre' | 'faits_manquants'
> & {
  type_sinistre?: SeedClaimType;
  faits_manquants?: SeedFileFact[];
};
export type SeedMessage = Renamed<ConversationMessage, typeof MESSAGE_NAMES>;
export type SeedSkippableSlot = (typeof SKIPPED_NAMES)[SkippableSlot];
export type SeedDirectoryClient = Omit<DirectoryClient, 'civility'> & { civilite: string | null };

export interface SeedDialogueState extends Omit<DialogueState, 'skipped' | 'profile'> {
  skipped: SeedSkippableSlot[];
  profile: SeedDirectoryClient | null;
}

/** The context document as stored (conversations.context) and exposed. */
export interface SeedContext {
  conversation_id: string;
  sinistre_id: string | null;
  client_id: string | null;
  phase_actuelle: Phase;
  data_collectee: SeedCollectedData;
  messages: SeedMessage[];
  dialogue: SeedDialogueState;
}

const CONTEXT_NAMES = {
  conversationId: 'conversation_id',
  claimId: 'sinistre_id',
  clientId: 'client_id',
  phase: 'phase_actuelle',
  collected: 'data_collectee',
  messages: 'messages',
  dialogue: 'dialogue',
} as const satisfies Record<keyof ConversationContext, keyof SeedContext>;

const collected = new Names(COLLECTED_NAMES);
const message = new Names(MESSAGE_NAMES);
const skipped = new Names(SKIPPED_NAMES);
const profile = new Names(PROFILE_NAMES);
const context = new Names(CONTEXT_NAMES);

// Object.fromEntries, like the spread the engine used to copy with, keeps every own key. The
// result's type is the caller's word: the tables above are checked against both types.
const renameKeys = <T>(source: object, rename: (key: string) => string): T =>
  Object.fromEntries(Object.entries(source).map(([key, value]) => [rename(key), value])) as T;

// type_sinistre is the one value the seed spells differently ('dégâts'); mapped here only. A
// context stored before this mapping holds 'degats': still read.
const toSeedClaimType = (type: ClaimType): SeedClaimType => (type === 'degats' ? 'dégâts' : type);
const fromSeedClaimType = (type: string): ClaimType =>
  (type === 'dégâts' || type === 'dégats' || type === 'degâts' ? 'degats' : type) as ClaimType;

export const toSeedCollected = (data: CollectedData): SeedCollectedData => {
  const seed = renameKeys<SeedCollectedData>(data, (k) => collected.toSeed(k));
  if (data.claimType !== undefined) seed.type_sinistre = toSeedClaimType(data.claimType);
  // the missing facts are named like the keys they stand for
  if (data.missingFacts) seed.faits_manquants = data.missingFacts.map((f) => COLLECTED_NAMES[f]);
  return seed;
};

export const fromSeedCollected = (data: SeedCollectedData): CollectedData => {
  const state = renameKeys<CollectedData>(data, (k) => collected.toEngine(k));
  if (typeof data.type_sinistre === 'string') state.claimType = fromSeedClaimType(data.type_sinistre);
  if (Array.isArray(data.faits_manquants))
    state.missingFacts = data.faits_manquants.map((f) => collected.toEngine(f) as FileFact);
  return state;
};

export const toSeedMessage = (m: ConversationMessage): SeedMessage => renameKeys(m, (k) => message.toSeed(k));

export const fromSeedMessage = (m: SeedMessage): ConversationMessage =>
  renameKeys(m, (k) => message.toEngine(k));

function toSeedDialogue(d: DialogueState): SeedDialogueState {
  return {
    ...d,
    skipped: d.skipped.map((s) => skipped.toSeed(s)),
    profile: d.profile && renameKeys<SeedDirectoryClient>(d.profile, (k) => profile.toSeed(k)),
  };
}

function fromSeedDialogue(d: SeedDialogueState): DialogueState {
  return {
    ...d,
    skipped: d.skipped.map((s) => skipped.toEngine(s)),
    profile: d.profile && renameKeys<DirectoryClient>(d.profile, (k) => profile.toEngine(k)),
  };
}

/** The engine's state as the seed's context document. */
export function toSeedContext(state: ConversationContext): SeedContext {
  const seed = renameKeys<Record<string, unknown>>(state, (k) => context.toSeed(k));
  // assigning an existing key keeps its place in the document
  seed.data_collectee = toSeedCollected(state.collected);
  seed.messages = state.messages.map(toSeedMessage);
  seed.dialogue = toSeedDialogue(state.dialogue);
  return seed as unknown as SeedContext;
}

/** A stored context document as the engine's state. */
export function fromSeedContext(seed: SeedContext): ConversationContext {
  const state = renameKeys<Record<string, unknown>>(seed, (k) => context.toEngine(k));
  state.collected = fromSeedCollected(seed.data_collectee);
  state.messages = seed.messages.map(fromSeedMessage);
  state.dialogue = fromSeedDialogue(seed.dialogue);
  return state as unknown as ConversationContext;
}

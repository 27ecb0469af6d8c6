// The edge mapping: the engine's English state <-> the seed's stored JSON context, exactly.
import type { ConversationContext } from './context';
import { DEMO_DIRECTORY } from './demo-directory';
import { fromSeedContext, type SeedContext, toSeedCollected, toSeedContext } from './seed-context';
import { AUTONOMOUS_COLLISION_SCRIPT, demoLookup, respond, startConversation } from './index';

const NOW = new Date('2026-11-18T15:00:00Z');
const DUPONT = DEMO_DIRECTORY[0]!;

/** Every field the engine can hold, each set, in the order the engine writes them. */
const FULL: ConversationContext = {
  conversationId: 'conv-1',
  claimId: 'claim-1',
  clientId: DUPONT.clientId,
  phase: 'decision',
  collected: {
    matricule: 'AB-123-CD',
    lastName: 'Dupont',
    firstName: 'Jean',
    civility: 'M.',
    contractId: 'contract-1',
    contractNumber: 'AUTO-2019-0042',
    description: 'On a volé ma voiture hier',
    claimType: 'vol',
    occurredLocal: '2026-11-17T18:00',
    location: 'rue de la République à Lyon',
    locationCity: 'Lyon',
    locationRoad: 'rue de la République',
    locationLandmark: 'parking du Carrefour',
    thirdPartyResponsible: true,
    liabilityRule: 'REFUS_PRIORITE',
    liabilityLabel: 'Refus de priorité (stop, cédez-le-passage, priorité à droite) : tiers en tort',
    thirdPartyInvolved: true,
    injuries: false,
    amicableReport: false,
    policeReport: true,
    policeReportNumber: '2026/118877',
    documentsProvided: true,
    estimatedDamage: 800.5,
    cciScore: 35,
    decision: 'autonome',
  },
  messages: [
    { role: 'bot', text: 'Bonjour', timestamp: NOW.toISOString() },
    { role: 'user', text: 'AB 123 CD', timestamp: NOW.toISOString(), sttConfidence: 0.92 },
    { role: 'system', text: 'transfert', timestamp: NOW.toISOString() },
  ],
  dialogue: {
    step: 'ended',
    status: 'completed',
    failures: 1,
    authFailures: 1,
    intent: 'declare',
    profile: DUPONT,
    skipped: ['thirdPartyResponsible', 'policeReportNumber', 'estimatedDamage'],
    reservedClaimId: 'claim-1',
  },
};

describe('seed context (the stored JSON)', () => {
  it('writes every key with its seed name, in the engine order, and reads it back unchanged', () => {
    const seed = toSeedContext(FULL);
    expect(Object.keys(seed)).toEqual([
      'conversation_id',
      'sinistre_id',
      'client_id',
      'phase_actuelle',
      'data_collectee',
      'messages',
      'dialogue',
    ]);
    expect(Object.keys(seed.data_collectee)).toEqual([
      'matricule',
      'nom',
      'prenom',
      'civilite',
      'contrat_id',
      'numero_contrat',
      'description',
      'type_sinistre',
      'date_sinistre',
      'lieu',
      'lieu_ville',
      'lieu_voie',
      'lieu_repere',
      'tiers_responsable',
      'responsabilite_regle',
      'responsabilite_motif',
      'tiers_implique',
      'blessures',
      'constat_amiable',
      'police_intervenue',
      'numero_proces_verbal',
      'documents_disponibles',
      'estimation_dommage',
      'cci_score',
      'decision',
    ]);
    expect(seed).toMatchObject({
      conversation_id: 'conv-1',
      sinistre_id: 'claim-1',
      client_id: DUPONT.clientId,
      phase_actuelle: 'decision',
      data_collectee: {
        nom: 'Dupont',
        civilite: 'M.',
        type_sinistre: 'vol',
        date_sinistre: '2026-11-17T18:00',
        lieu: 'rue de la République à Lyon',
        numero_proces_verbal: '2026/118877',
        estimation_dommage: 800.5,
        cci_score: 35,
        decision: 'autonome',
      },
    });
    expect(seed.messages.map((m) => Object.keys(m))).toEqual([
      ['role', 'texte', 'timestamp'],
      ['role', 'texte', 'timestamp', 'confiance_stt'],
      ['role', 'texte', 'timestamp'],
    ]);
    expect(seed.messages[1]).toEqual({
      role: 'user',
      texte: 'AB 123 CD',
      timestamp: NOW.toISOString(),
      confiance_stt: 0.92,
    });
    expect(Object.keys(seed.dialogue)).toEqual(Object.keys(FULL.dialogue));
    expect(seed.dialogue.skipped).toEqual([
      'tiers_responsable',
      'numero_proces_verbal',
      'estimation_dommage',
    ]);
    expect(Object.keys(seed.dialogue.profile!)).toEqual([
      'clientId',
      'matricule',
      'civilite',
      'lastName',
      'firstName',
      'contracts',
      'claims',
    ]);
    expect(JSON.stringify(seed)).not.toMatch(/"(civility|occurredLocal|location|text|sttConfidence)"/);

    const stored = JSON.parse(JSON.stringify(seed)) as SeedContext;
    expect(fromSeedContext(stored)).toEqual(FULL);
    expect(JSON.stringify(toSeedContext(fromSeedContext(stored)))).toBe(JSON.stringify(seed));
  });

  it('keeps the key order of a stored document (PostgreSQL jsonb sorts keys) and keys it does not know', () => {
    const stored = {
      messages: [{ role: 'user', texte: 'oui', timestamp: NOW.toISOString(), confiance_stt: 0.8 }],
      dialogue: { ...toSeedContext(FULL).dialogue, skipped: ['estimation_dommage'] },
      client_id: null,
      sinistre_id: null,
      phase_actuelle: 'auth',
      data_collectee: { lieu: 'Lyon', matricule: 'AB-123-CD', note_conseiller: 'rappeler' },
      conversation_id: 'conv-2',
    } as unknown as SeedContext;
    const state = fromSeedContext(stored);
    expect(state.collected).toEqual({
      location: 'Lyon',
      matricule: 'AB-123-CD',
      note_conseiller: 'rappeler',
    });
    expect(state.dialogue.skipped).toEqual(['estimatedDamage']);
    expect(state.messages[0]).toEqual({
      role: 'user',
      text: 'oui',
      timestamp: NOW.toISOString(),
      sttConfidence: 0.8,
    });
    expect(JSON.stringify(toSeedContext(state))).toBe(JSON.stringify(stored));
  });

  it("writes the seed's 'dégâts' for the engine's 'degats' and still reads contexts stored with 'degats'", () => {
    const home = { ...FULL, collected: { ...FULL.collected, claimType: 'degats' as const } };
    const seed = toSeedContext(home);
    expect(seed.data_collectee.type_sinistre).toBe('dégâts');
    expect(Object.keys(seed.data_collectee)).toEqual(Object.keys(toSeedContext(FULL).data_collectee));
    expect(fromSeedContext(JSON.parse(JSON.stringify(seed)) as SeedContext)).toEqual(home);
    const old = JSON.parse(JSON.stringify(seed).replace('"dégâts"', '"degats"')) as SeedContext;
    expect(fromSeedContext(old).collected.claimType).toBe('degats');
    expect(toSeedCollected({ claimType: 'collision' }).type_sinistre).toBe('collision');
  });

  it('round-trips a whole played conversation through its stored JSON', () => {
    let context = startConversation({ conversationId: 'c', claimId: 'k', now: NOW }).context;
    for (const text of AUTONOMOUS_COLLISION_SCRIPT) {
      const stored = JSON.parse(JSON.stringify(toSeedContext(context))) as SeedContext;
      context = respond(fromSeedContext(stored), { type: 'user_message', text }, NOW, demoLookup).context;
    }
    expect(context.dialogue.status).toBe('completed');
    expect(fromSeedContext(JSON.parse(JSON.stringify(toSeedContext(context))) as SeedContext)).toEqual(
      context,
    );
    expect(toSeedCollected(context.collected)).toMatchObject({
      type_sinistre: 'collision',
      lieu: 'rue de la République à Lyon',
      tiers_implique: true,
      constat_amiable: true,
      decision: 'autonome',
    });
  });
});

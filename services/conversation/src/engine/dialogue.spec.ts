import {
  AUTONOMOUS_COLLISION_SCRIPT,
  DUPONT_LOGIN,
  authenticatorOf,
  type Authenticator,
  type ConversationContext,
  type DirectoryClient,
  type EngineOutcome,
  type EngineRequest,
  type HandoffRequested,
  type IntakeCompleted,
  demoLookup,
  handleTurn,
  respond,
  startConversation,
  toSeedCollected,
  toSeedContext,
} from './index';

// Wednesday 18 November 2026, 16:00 in Paris
const NOW = new Date('2026-11-18T15:00:00Z');

interface Played {
  context: ConversationContext;
  bot: string[];
  turns: string[][];
  outcomes: EngineOutcome[];
  /** every request the engine made, in order (lookups, code checks) */
  requests: EngineRequest[];
  denials: string[];
}

/** The demo directory where some clients set a code; counts nothing, locks what it is told. */
function withCodes(codes: Record<string, string>, locked: string[] = []): Authenticator {
  const plain = authenticatorOf(demoLookup);
  return {
    lookup: (matricule) =>
      locked.includes(matricule)
        ? { client: null, locked: true }
        : codes[matricule]
          ? { client: null }
          : plain.lookup(matricule),
    checkPin: (matricule, pin) =>
      locked.includes(matricule)
        ? { client: null, locked: true }
        : { client: codes[matricule] === pin ? demoLookup(matricule) : null },
  };
}

function play(
  messages: readonly (string | { text: string; stt: number })[],
  now = NOW,
  directory: Authenticator = authenticatorOf(demoLookup),
): Played {
  const requests: EngineRequest[] = [];
  const recording: Authenticator = {
    lookup: (matricule) => {
      requests.push({ kind: 'directory_lookup', matricule });
      return directory.lookup(matricule);
    },
    checkPin: (matricule, pin) => {
      requests.push({ kind: 'pin_check', matricule, pin });
      return directory.checkPin(matricule, pin);
    },
  };
  const start = startConversation({ conversationId: 'conv-1', claimId: 'claim-1', now });
  let context = start.context;
  const bot = [...start.replies];
  const turns: string[][] = [];
  const outcomes: EngineOutcome[] = [];
  const denials: string[] = [];
  for (const m of messages) {
    const input =
      typeof m === 'string'
        ? { type: 'user_message' as const, text: m }
        : { type: 'user_message' as const, text: m.text, sttConfidence: m.stt };
    const result = respond(context, input, now, recording);
    context = result.context;
    bot.push(...result.replies);
    turns.push(result.replies);
    outcomes.push(...result.outcomes);
    denials.push(...result.denials);
  }
  return { context, bot, turns, outcomes, requests, denials };
}

const intakeOf = (p: Played): IntakeCompleted => {
  const found = p.outcomes.find((o): o is IntakeCompleted => o.type === 'IntakeCompleted');
  if (!found) throw new Error(`no IntakeCompleted in ${JSON.stringify(p.bot, null, 2)}`);
  return found;
};
const handoffOf = (p: Played): HandoffRequested => {
  const found = p.outcomes.find((o): o is HandoffRequested => o.type === 'HandoffRequested');
  if (!found) throw new Error(`no HandoffRequested in ${JSON.stringify(p.bot, null, 2)}`);
  return found;
};
const last = (p: Played): string => p.bot[p.bot.length - 1] ?? '';
/** The context as stored and exposed: the seed's keys live at the edge, not in the engine. */
const seed = (p: Pick<Played, 'context'>) => toSeedContext(p.context);

describe('conversation engine: whole conversations', () => {
  it('greets and asks for the matricule', () => {
    const start = startConversation({ conversationId: 'c', claimId: 'k', now: NOW });
    expect(start.replies).toEqual([expect.stringContaining('numéro de matricule')]);
    expect(seed(start).phase_actuelle).toBe('auth');
    expect(start.context.messages).toHaveLength(1);
  });

  it('handles a collision autonomously when the client is at fault and nobody is hurt', () => {
    const p = play([...AUTONOMOUS_COLLISION_SCRIPT]);
    expect(p.bot[1]).toBe(
      'Merci ! Vous êtes bien Dupont Jean, contrat AUTO-2019-0042, assuré depuis le 15 mars 2019 ?',
    );
    expect(p.bot.join('\n')).toContain('Y a-t-il des blessés');
    expect(last(p)).toBe(
      'Votre cas peut être traité automatiquement. Merci de nous envoyer le constat et les photos. Un garage agréé vous sera proposé sous 24h.',
    );
    const intake = intakeOf(p);
    expect(intake.decision.handling).toBe('AUTONOMOUS');
    expect(intake.decision.cciScore).toBeLessThan(40);
    expect(intake.claim).toMatchObject({
      claimType: 'collision',
      occurredOn: '2026-11-17',
      occurredAtLocal: '2026-11-17T18:00',
      occurredAt: '2026-11-17T17:00:00.000Z',
      place: 'rue de la République à Lyon',
      thirdPartyInvolved: true,
      thirdPartyResponsible: false,
      injuries: false,
      amicableReport: true,
      policeReport: false,
      documentsProvided: true,
      estimatedDamage: 800,
    });
    expect(intake).toMatchObject({
      claimId: 'claim-1',
      clientId: DEMO_DUPONT.clientId,
      matricule: 'AB-123-CD',
    });
    expect(intake.contractId).toBe(DEMO_DUPONT.contracts[0]?.contractId);
    expect(seed(p).phase_actuelle).toBe('decision');
    expect(p.context.dialogue.status).toBe('completed');
    expect(seed(p).data_collectee).toMatchObject({
      decision: 'autonome',
      cci_score: intake.decision.cciScore,
    });
    expect(p.outcomes.some((o) => o.type === 'HandoffRequested')).toBe(false);
  });

  it('escalates a collision with injuries to an advisor', () => {
    const p = play([
      ...DUPONT_LOGIN,
      "J'étais arrêté au feu rouge, une voiture m'a percuté par l'arrière, avant-hier vers 8h sur le boulevard Voltaire à Paris",
      "oui, j'ai mal au cou",
      'oui',
      'oui les policiers sont venus',
      'oui',
      'je ne sais pas',
      'oui',
    ]);
    expect(last(p)).toContain('Ce sinistre nécessite une attention particulière');
    const intake = intakeOf(p);
    expect(intake.decision.handling).toBe('ESCALATED');
    expect(intake.decision.triggers.map((t) => t.code)).toContain('INJURIES');
    expect(intake.claim.injuries).toBe(true);
    expect(intake.claim.estimatedDamage).toBeNull();
    const handoff = handoffOf(p);
    expect(handoff).toMatchObject({
      reason: 'ESCALATED',
      claimId: 'claim-1',
      clientId: DEMO_DUPONT.clientId,
    });
    expect(seed(p).phase_actuelle).toBe('transfert');
    expect(p.context.dialogue.status).toBe('transferred');
  });

  it('keeps a fact told in an answer it did not understand, and does not ask for it again', () => {
    const p = play([
      ...DUPONT_LOGIN,
      "On m'a volé ma voiture cette nuit devant chez moi",
      "oui j'ai porté plainte ce matin au commissariat",
      'non',
      // to "Avez-vous des factures ou des photos... ?": not a yes or a no, but the amount
      'elle vaut environ 18000 euros',
      'oui',
    ]);
    const said = p.bot.join('\n');
    expect(said).toMatch(/Pardon, je n'ai pas bien compris. Avez-vous des factures/);
    expect(said).not.toMatch(/Pouvez-vous estimer/);
    expect(last(p)).toMatch(/Je récapitule.*18 000 euros/);
  });

  it('asks about the police complaint for a theft and never about a constat or injuries', () => {
    const p = play([
      ...DUPONT_LOGIN,
      'On a cambriolé ma maison cette nuit',
      'à mon domicile',
      "oui j'ai porté plainte ce matin au commissariat",
      'oui, le numéro est 2026/118877',
      'oui j’ai les factures',
      'je ne sais pas',
      'oui',
    ]);
    const said = p.bot.join('\n');
    expect(said).toContain('Avez-vous déposé plainte auprès de la police ou de la gendarmerie ?');
    expect(said).toContain('récépissé');
    // what was stolen has a value, not damage
    expect(said).toContain('Pouvez-vous estimer la valeur de ce qui a été volé, en euros ?');
    expect(said).not.toMatch(/constat amiable/);
    expect(said).not.toMatch(/blessés/);
    const intake = intakeOf(p);
    expect(intake.claim).toMatchObject({
      claimType: 'vol',
      occurredOn: '2026-11-17',
      policeReport: true,
      policeReportNumber: '2026/118877',
      place: 'domicile',
      amicableReport: null,
    });
    // a burglary falls under the home contract
    expect(intake.contractId).toBe(DEMO_DUPONT.contracts[1]?.contractId);
    expect(intake.decision.handling).toBe('AUTONOMOUS');
    expect(last(p)).toContain('récépissé de dépôt de plainte');
  });

  it('does not read unrelated facts from a generic "pas encore"', () => {
    const p = play([
      ...DUPONT_LOGIN,
      'On m’a volé mon vélo hier soir devant la gare',
      'non pas encore, je vais porter plainte demain',
    ]);
    expect(seed(p).data_collectee.police_intervenue).toBe(false);
    expect(seed(p).data_collectee.constat_amiable).toBeUndefined();
    expect(seed(p).data_collectee.documents_disponibles).toBeUndefined();
    expect(last(p)).toBe('Avez-vous des factures ou des photos des biens volés à nous transmettre ?');
  });

  it('declares water damage with type-specific questions', () => {
    const p = play([
      'MT-456-LR',
      'oui',
      'La machine à laver a inondé la salle de bain lundi dernier, chez moi',
      'non, elle est à nous',
      'oui des photos',
      '1200 euros',
      'oui',
    ]);
    const said = p.bot.join('\n');
    expect(said).toContain('Les dégâts viennent-ils de chez un tiers');
    expect(said).not.toMatch(/blessés/);
    expect(said).not.toMatch(/constat amiable/);
    const intake = intakeOf(p);
    expect(intake.claim).toMatchObject({
      claimType: 'degats',
      occurredOn: '2026-11-16',
      thirdPartyInvolved: false,
    });
    expect(intake.facts.priorClaimsLast12Months).toBe(1);
    expect(intake.decision.handling).toBe('AUTONOMOUS');
    expect(last(p)).toContain('Un artisan agréé vous sera proposé sous 24h.');
  });

  it('counts prior claims up to the day of the event, as the claims service will (a later claim is not prior)', () => {
    // Sophie Martin's claims occurred on 2026-10-02 and 2025-04-11; this one on 2026-09-15:
    // neither is within the 365 days up to it (the first came after it)
    const p = play([
      'MT-456-LR',
      'oui',
      'La machine à laver a inondé la salle de bain le 15 septembre, chez moi',
      'non, elle est à nous',
      'oui des photos',
      '1200 euros',
      'oui',
    ]);
    const intake = intakeOf(p);
    expect(intake.claim.occurredOn).toBe('2026-09-15');
    expect(intake.facts.priorClaimsLast12Months).toBe(0);
    expect(intake.decision.factors.map((f) => f.code)).not.toContain('PRIOR_CLAIMS_1');
  });

  it('counts the days since the event as the claims service will, in the small hours too', () => {
    // 00:30 in Paris on the 25th is still the 24th in UTC, the day the claims service counts
    // from; the event, the 19th without an hour: 5 days, not a late declaration (more than 5)
    // the demo collision, told as of the 19th instead of "hier vers 18h"
    const answers = AUTONOMOUS_COLLISION_SCRIPT.slice(DUPONT_LOGIN.length + 1);
    const p = play(
      [
        ...DUPONT_LOGIN,
        "Le 19 novembre, en faisant un créneau, j'ai accroché une voiture garée, rue de la République à Lyon",
        ...answers,
      ],
      new Date('2026-11-24T23:30:00Z'),
    );
    const intake = intakeOf(p);
    expect(intake.claim.occurredOn).toBe('2026-11-19');
    expect(intake.facts.daysSinceEvent).toBe(5);
    expect(intake.decision.factors.map((f) => f.code)).not.toContain('LATE_DECLARATION');
  });

  it('asks for a constat dégât des eaux when the water came from a neighbour', () => {
    const p = play([
      'MT-456-LR',
      'oui',
      "Une fuite d'eau chez le voisin du dessus a abîmé mon plafond hier",
      'chez moi',
    ]);
    expect(p.bot.join('\n')).toContain('constat amiable de dégât des eaux');
  });

  it('applies a correction and asks the pending question again', () => {
    const p = play([
      ...DUPONT_LOGIN,
      "Hier j'ai reculé dans un poteau sur le parking du supermarché",
      "non, c'était avant-hier",
      'non',
      'non',
      'oui',
      '300 euros',
    ]);
    const correctionTurn = p.turns[3] ?? [];
    expect(correctionTurn[0]).toBe("C'est noté, je corrige : le sinistre a eu lieu le 16 novembre 2026.");
    expect(correctionTurn[1]).toBe(p.turns[2]?.[p.turns[2].length - 1]);
    expect(seed(p).data_collectee.date_sinistre).toBe('2026-11-16');
    expect(last(p)).toMatch(/^Je récapitule : un accident de la circulation, le 16 novembre 2026/);
  });

  it('reads a "non" that restates a known fact as its correction, not as the answer', () => {
    const p = play([
      ...DUPONT_LOGIN,
      "il y a deux jours un cycliste a heurté ma portière quand je l'ai ouverte",
      'non, il y a trois jours',
    ]);
    const correctionTurn = p.turns[3] ?? [];
    expect(correctionTurn[0]).toBe("C'est noté, je corrige : le sinistre a eu lieu le 15 novembre 2026.");
    expect(correctionTurn[1]).toBe(p.turns[2]?.[p.turns[2].length - 1]);
    expect(seed(p).data_collectee.date_sinistre).toBe('2026-11-15');
  });

  it('keeps the claim type when a correction adds someone hurt to a fire', () => {
    const p = play([
      ...DUPONT_LOGIN,
      'incendie dans ma cuisine ce matin, personne de blessé',
      "ah si pardon, ma femme s'est brûlé la main",
    ]);
    expect(seed(p).data_collectee.type_sinistre).toBe('incendie');
    expect(seed(p).data_collectee.blessures).toBe(true);
  });

  it('corrects a fact at the recap', () => {
    const p = play([
      ...DUPONT_LOGIN,
      "Hier j'ai reculé dans un poteau sur le parking du supermarché",
      'non',
      'non',
      'oui',
      '300 euros',
      "non, en fait c'était à Marseille",
      'oui',
    ]);
    expect(p.bot.join('\n')).toContain("C'est noté, je corrige : le lieu est Marseille.");
    expect(intakeOf(p).claim.place).toBe('Marseille');
  });

  it('transfers at once when the client asks for a human', () => {
    const p = play([...DUPONT_LOGIN, 'On m’a volé ma voiture hier soir', 'je veux parler à quelqu’un']);
    expect(last(p)).toContain('je vous mets en relation avec un conseiller');
    const handoff = handoffOf(p);
    expect(handoff.reason).toBe('CLIENT_REQUEST');
    expect(toSeedCollected(handoff.collected)).toMatchObject({
      type_sinistre: 'vol',
      date_sinistre: '2026-11-17',
    });
    expect(handoff.claimId).toBe('claim-1');
    expect(p.context.dialogue.status).toBe('transferred');
    expect(p.outcomes.some((o) => o.type === 'IntakeCompleted')).toBe(false);
  });

  it('reprompts when it does not understand, then transfers after repeated failures', () => {
    const p = play([...DUPONT_LOGIN, 'bof', 'quel temps fait-il à Brest ?', 'patati patata']);
    expect(p.turns[2]?.[0]).toContain("je n'ai pas bien compris");
    expect(p.turns[3]?.[0]).toContain('je ne comprends toujours pas');
    expect(p.turns[4]?.[0]).toContain('Je vous transfère à un conseiller');
    expect(handoffOf(p).reason).toBe('NOT_UNDERSTOOD');
  });

  it('asks to repeat instead of guessing when the transcription confidence is low', () => {
    const p = play([{ text: 'AB 123 CD', stt: 0.35 }]);
    expect(p.turns[0]).toEqual([
      "Je ne suis pas sûr d'avoir bien entendu. Pouvez-vous répéter, s’il vous plaît ?",
    ]);
    expect(seed(p).data_collectee.matricule).toBeUndefined();
    expect(seed(p).messages[seed(p).messages.length - 2]).toMatchObject({
      role: 'user',
      confiance_stt: 0.35,
    });
    const again = play([
      { text: 'AB 123 CD', stt: 0.35 },
      { text: 'AB 123 CD', stt: 0.92 },
    ]);
    expect(again.turns[1]?.[0]).toContain('Vous êtes bien Dupont Jean');
  });

  it('transfers after repeated low-confidence transcriptions', () => {
    const p = play([0.2, 0.3, 0.1].map((stt) => ({ text: 'euh', stt })));
    expect(handoffOf(p).reason).toBe('LOW_STT_CONFIDENCE');
  });

  it('asks an unknown matricule for a code, then gives it one retry and a human, in the words of a denied identity', () => {
    const start = startConversation({ conversationId: 'c', claimId: 'k', now: NOW });
    const asked = handleTurn(start.context, { type: 'user_message', text: 'ZZ-999-ZZ' }, NOW);
    expect(asked.request).toEqual({ kind: 'directory_lookup', matricule: 'ZZ-999-ZZ' });
    expect(asked.replies).toEqual([]);
    const unknown = handleTurn(
      asked.context,
      { type: 'directory_result', matricule: 'ZZ-999-ZZ', client: null },
      NOW,
    );
    // the question a client with a code gets: nothing tells the matricule is unknown
    const withCode = play(['AB-123-CD'], NOW, withCodes({ 'AB-123-CD': '4709' }));
    expect(unknown.replies).toEqual(withCode.turns[0]);
    expect(unknown.replies[0]).toMatch(/code personnel/);
    const tried = handleTurn(unknown.context, { type: 'user_message', text: '4709' }, NOW);
    expect(tried.request).toEqual({ kind: 'pin_check', matricule: 'ZZ-999-ZZ', pin: '4709' });
    const refused = handleTurn(
      tried.context,
      { type: 'pin_result', matricule: 'ZZ-999-ZZ', client: null },
      NOW,
    );
    const denied = play(['AB-123-CD', "non c'est pas moi"]);
    expect(refused.replies).toEqual(denied.turns[1]);
    expect(refused.replies[0]).not.toMatch(/inconnu|n'existe|introuvable|code/i);

    const unknownTwice = play(['ZZ-999-ZZ', '4709', 'ZZ 999 ZZ', '1357']);
    const deniedTwice = play(['AB-123-CD', 'non', 'AB-123-CD', 'non']);
    expect(unknownTwice.turns[3]).toEqual(deniedTwice.turns[3]);
    expect(handoffOf(unknownTwice)).toMatchObject({ reason: 'AUTHENTICATION_FAILED', clientId: null });
    expect(handoffOf(deniedTwice)).toMatchObject({ reason: 'AUTHENTICATION_FAILED', clientId: null });
    expect(seed(deniedTwice).data_collectee).toEqual({});
    // a denied identity is the caller's to count; a code is counted where it is checked
    expect(deniedTwice.denials).toEqual(['AB-123-CD', 'AB-123-CD']);
    expect(unknownTwice.denials).toEqual([]);
  });

  it('answers a follow-up on an existing claim', () => {
    const p = play([
      'Bonjour, je voudrais savoir où en est mon dossier',
      'MT 456 LR',
      'oui, c’est moi',
      'non merci, au revoir',
    ]);
    expect(p.turns[0]?.[0]).toContain('je peux vous renseigner sur votre dossier');
    expect(p.turns[1]?.[0]).toBe(
      'Merci ! Vous êtes bien Martin Sophie, contrat HAB-2017-0881, assurée depuis le 1er juin 2017 ?',
    );
    expect(p.turns[2]?.[0]).toContain(
      "Votre dossier n° SIN-2026-004211 (dégâts du 2 octobre 2026) est en attente de l'avis d'un expert",
    );
    expect(seed(p).phase_actuelle).toBe('suivi');
    expect(p.context.dialogue.status).toBe('completed');
    expect(p.outcomes).toEqual([]);
  });

  it('says it cannot answer a question after the status, and names the way to an advisor, which works', () => {
    const p = play([
      'LB-789-EF',
      'oui',
      'où en est mon sinistre ?',
      'et quand est-ce que je serai remboursé ?',
      'conseiller',
    ]);
    expect(p.turns[3]?.[0]).toContain('Je ne sais pas répondre à cette question');
    expect(p.turns[3]?.[0]).toContain('« conseiller »');
    // the word it names hands him over
    expect(p.outcomes).toEqual([
      expect.objectContaining({ type: 'HandoffRequested', reason: 'CLIENT_REQUEST' }),
    ]);
  });

  it('moves from a follow-up to a new declaration', () => {
    const p = play(['LB-789-EF', 'oui', 'où en est mon sinistre ?', "oui, j'ai eu un accrochage ce matin"]);
    expect(p.turns[2]?.[0]).toContain('attend des documents de votre part');
    expect(seed(p).data_collectee.type_sinistre).toBe('collision');
    expect(seed(p).data_collectee.date_sinistre).toBe('2026-11-18');
  });

  it('keeps the seed context shape with every message timestamped by the given clock', () => {
    const p = play([...DUPONT_LOGIN]);
    expect(Object.keys(seed(p))).toEqual(
      expect.arrayContaining(['sinistre_id', 'client_id', 'phase_actuelle', 'data_collectee', 'messages']),
    );
    expect(seed(p).client_id).toBe(DEMO_DUPONT.clientId);
    expect(seed(p).phase_actuelle).toBe('description');
    expect(seed(p).messages.map((m) => m.role)).toEqual(['bot', 'user', 'bot', 'user', 'bot']);
    expect(new Set(seed(p).messages.map((m) => m.timestamp))).toEqual(new Set([NOW.toISOString()]));
  });

  it('is deterministic and ignores the system clock', () => {
    const script = [
      ...DUPONT_LOGIN,
      'On m’a volé mon scooter il y a trois jours',
      'devant la gare de Lyon',
      'non',
      'non',
      'je ne sais pas',
    ];
    jest.useFakeTimers();
    try {
      jest.setSystemTime(new Date('2030-01-01T00:00:00Z'));
      const a = play(script);
      jest.setSystemTime(new Date('2001-06-15T12:00:00Z'));
      const b = play(script);
      expect(b).toEqual(a);
      expect(seed(a).data_collectee.date_sinistre).toBe('2026-11-15');
    } finally {
      jest.useRealTimers();
    }
  });

  it('asks about injuries when the description only negates something else', () => {
    const p = play([...DUPONT_LOGIN, "Hier à Nantes, une voiture ne m'a pas vu et m'a percuté"]);
    expect(seed(p).data_collectee.blessures).toBeUndefined();
    expect(seed(p).data_collectee.tiers_responsable).toBe(true);
    expect(last(p)).toBe('Y a-t-il des blessés ou des douleurs ?');
  });

  it('keeps the liability rule and the place parts read from the story (issue 20)', () => {
    const p = play([
      ...DUPONT_LOGIN,
      "Hier une camionnette m'a refusé la priorité et m'a percuté, boulevard Haussmann à Paris",
    ]);
    expect(seed(p).data_collectee).toMatchObject({
      lieu: 'boulevard Haussmann à Paris',
      lieu_ville: 'Paris',
      lieu_voie: 'boulevard Haussmann',
      tiers_implique: true,
      tiers_responsable: true,
      responsabilite_regle: 'REFUS_PRIORITE',
      responsabilite_motif: expect.stringMatching(/^Refus de priorité.*tiers en tort$/),
    });
    expect(last(p)).toBe('Y a-t-il des blessés ou des douleurs ?');
  });

  it('asks who is responsible when the story does not settle it, and records a doubt as such', () => {
    const p = play([...DUPONT_LOGIN, "Hier à Lyon une voiture m'a percuté", 'je ne sais pas qui a tort']);
    expect(p.bot).toContain("Selon vous, l'autre partie est-elle responsable de ce qui s'est passé ?");
    expect(seed(p).data_collectee.tiers_responsable).toBeUndefined();
    expect(seed(p).data_collectee.responsabilite_regle).toBe('INDETERMINEE');
    expect(last(p)).toBe('Y a-t-il des blessés ou des douleurs ?');
  });

  it('answers a bare greeting politely without counting a failure', () => {
    const p = play(['Bonjour', 'allô ?', 'bonjour madame']);
    expect(p.turns[0]).toEqual([
      'Bonjour ! Pouvez-vous me donner votre numéro de matricule, s’il vous plaît ?',
    ]);
    expect(p.context.dialogue.failures).toBe(0);
    expect(p.context.dialogue.status).toBe('active');
  });

  it('waits for the directory before anything else', () => {
    const start = startConversation({ conversationId: 'c', claimId: 'k', now: NOW });
    const asked = handleTurn(start.context, { type: 'user_message', text: 'AB-123-CD' }, NOW);
    const impatient = handleTurn(asked.context, { type: 'user_message', text: 'allô ?' }, NOW);
    expect(impatient.replies).toEqual(['Un instant, je vérifie vos informations.']);
    expect(impatient.request).toEqual({ kind: 'directory_lookup', matricule: 'AB-123-CD' });
    const stale = handleTurn(
      impatient.context,
      { type: 'directory_result', matricule: 'ZZ-999-ZZ', client: null },
      NOW,
    );
    expect(stale.replies).toEqual([]);
    expect(stale.context.dialogue.authFailures).toBe(0);
  });

  it('does not change the context it is given', () => {
    const start = startConversation({ conversationId: 'c', claimId: 'k', now: NOW });
    const frozen = JSON.stringify(start.context);
    handleTurn(start.context, { type: 'user_message', text: 'AB-123-CD' }, NOW);
    expect(JSON.stringify(start.context)).toBe(frozen);
  });
});

describe('conversation engine: the personal code', () => {
  const CODES = { 'AB-123-CD': '4709' };
  const withCode = (...messages: string[]) => play(messages, NOW, withCodes(CODES));
  const ASK_PIN =
    'Merci. Pour protéger votre dossier, pouvez-vous me donner votre code personnel (4 à 6 chiffres), s’il vous plaît ? Si vous n’en avez pas choisi, dites-le-moi simplement.';

  it('asks a client with a code for it before reading anything back, then confirms who he is', () => {
    const p = withCode('ab 123 cd', '47 09', 'oui c’est moi');
    expect(p.turns[0]).toEqual([ASK_PIN]);
    expect(p.turns[1]).toEqual([
      'Merci ! Vous êtes bien Dupont Jean, contrat AUTO-2019-0042, assuré depuis le 15 mars 2019 ?',
    ]);
    expect(p.requests).toEqual([
      { kind: 'directory_lookup', matricule: 'AB-123-CD' },
      { kind: 'pin_check', matricule: 'AB-123-CD', pin: '4709' },
    ]);
    expect(p.context.clientId).toBe(DEMO_DUPONT.clientId);
    expect(p.context.phase).toBe('description');
  });

  it('reads nothing back until the code is right: no name, no contract in the context', () => {
    const p = withCode('AB-123-CD');
    expect(p.context.dialogue).toMatchObject({ step: 'ask_pin', profile: null });
    expect(JSON.stringify(toSeedContext(p.context))).not.toMatch(/Dupont|AUTO-2019/);
  });

  it('never keeps the code: the transcript holds a mask in its place, typed or spoken', () => {
    const typed = withCode('AB-123-CD', '4709');
    const spoken = withCode('AB-123-CD', 'quatre sept zéro neuf');
    for (const p of [typed, spoken]) {
      const texts = p.context.messages.map((m) => m.text);
      expect(texts).toContain('[code personnel masqué]');
      expect(texts.join(' ')).not.toMatch(/4709|quatre sept/);
    }
    expect(spoken.requests[1]).toEqual({ kind: 'pin_check', matricule: 'AB-123-CD', pin: '4709' });
    // an answer without a digit is not a code: kept as said
    const none = withCode('AB-123-CD', "je n'en ai pas");
    expect(none.context.messages.map((m) => m.text)).toContain("je n'en ai pas");
  });

  it('refuses a wrong code in the words of an unknown matricule and of a denied identity', () => {
    const wrong = withCode('AB-123-CD', '1357');
    const unknown = withCode('ZZ-999-ZZ', '1357');
    const denied = play(['AB-123-CD', 'non']);
    expect(wrong.turns[0]).toEqual(unknown.turns[0]);
    expect(wrong.turns[1]).toEqual(unknown.turns[1]);
    expect(wrong.turns[1]).toEqual(denied.turns[1]);
    expect(wrong.context.collected).toEqual({});
    expect(wrong.context.dialogue.step).toBe('ask_matricule');
    const twice = withCode('AB-123-CD', '1357', 'AB-123-CD', '2468');
    expect(handoffOf(twice)).toMatchObject({ reason: 'AUTHENTICATION_FAILED', clientId: null });
  });

  it('asks for the matricule again, without trying anything, when the person has no code', () => {
    const p = withCode('AB-123-CD', "je n'ai pas de code");
    expect(p.requests.filter((r) => r.kind === 'pin_check')).toEqual([]);
    expect(p.turns[1]).toEqual(play(['AB-123-CD', 'non']).turns[1]);
  });

  it('asks again for a code it did not understand, and takes another matricule from the start', () => {
    const p = withCode('AB-123-CD', 'euh attendez', 'AB-124-CD');
    expect(p.turns[1]?.[0]).toMatch(/4 à 6 chiffres/);
    expect(p.context.dialogue.authFailures).toBe(0);
    expect(p.requests).toEqual([
      { kind: 'directory_lookup', matricule: 'AB-123-CD' },
      { kind: 'directory_lookup', matricule: 'AB-124-CD' },
    ]);
  });

  it('stops trying a locked matricule: the neutral words and an advisor, at the lookup or at the code', () => {
    const atLookup = play(['AB-123-CD'], NOW, withCodes(CODES, ['AB-123-CD']));
    const start = startConversation({ conversationId: 'c', claimId: 'k', now: NOW });
    const asked = respond(start.context, { type: 'user_message', text: 'AB-123-CD' }, NOW, withCodes(CODES));
    const atCode = handleTurn(
      handleTurn(asked.context, { type: 'user_message', text: '4709' }, NOW).context,
      { type: 'pin_result', matricule: 'AB-123-CD', client: null, locked: true },
      NOW,
    );
    const neutral =
      'Je ne parviens pas à vérifier votre identité avec ces informations. Je vous mets en relation avec un conseiller qui pourra vous aider. Un moment, s’il vous plaît...';
    for (const replies of [atLookup.turns[0], atCode.replies]) expect(replies).toEqual([neutral]);
    expect(handoffOf(atLookup)).toMatchObject({
      reason: 'AUTHENTICATION_FAILED',
      clientId: null,
      collected: {},
    });
    expect(atCode.context.dialogue.status).toBe('transferred');
    expect(atLookup.requests).toEqual([{ kind: 'directory_lookup', matricule: 'AB-123-CD' }]);
  });

  it('ignores a code answer for another matricule or at another step', () => {
    const p = withCode('AB-123-CD');
    const stray = handleTurn(
      p.context,
      { type: 'pin_result', matricule: 'ZZ-999-ZZ', client: DEMO_DUPONT },
      NOW,
    );
    expect(stray.replies).toEqual([]);
    expect(stray.context.clientId).toBeNull();
  });
});

const DEMO_DUPONT: DirectoryClient = (() => {
  const client = demoLookup('AB-123-CD');
  if (!client) throw new Error('demo directory lacks AB-123-CD');
  return client;
})();

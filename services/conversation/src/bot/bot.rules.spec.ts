// The engine's real outcomes, mapped to events that pass their JSON Schemas (no I/O).
import { callerOf } from '@crm/subgraph';
import { validateEvent } from '@crm/events';
import {
  demoLookup,
  respond,
  startConversation,
  toSeedContext,
  type EngineOutcome,
  type IntakeCompleted,
} from '../engine';
import { turnEvents } from './bot.events';
import {
  euros,
  handoffRequestedData,
  intakeCompletedData,
  isEngineContext,
  mayTalkIn,
  turnMessages,
} from './bot.rules';

const NOW = new Date('2026-11-18T15:00:00Z');
const CONVERSATION = '0b0e8c4e-6a51-4d0c-9a7e-3f1d2c3b4a50';
const CLAIM = '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b';

function play(texts: string[]) {
  const started = startConversation({ conversationId: CONVERSATION, claimId: CLAIM, now: NOW });
  let context = started.context;
  const outcomes: EngineOutcome[] = [];
  for (const text of texts) {
    const r = respond(context, { type: 'user_message', text }, NOW, demoLookup);
    context = r.context;
    outcomes.push(...r.outcomes);
  }
  return { context, outcomes };
}

const AUTONOMOUS = [
  'ab 123 cd',
  'oui c’est bien moi',
  "En faisant un créneau hier vers 18h, j'ai accroché une voiture garée, rue de la République à Lyon",
  'non personne n’est blessé',
  'oui on a rempli un constat ensemble',
  'non',
  'oui, j’ai pris des photos',
  'environ 800,5 euros',
  'oui c’est exact',
];

const CLIENT = { sub: 'web-chat', roles: ['client' as const] };

describe('bot rules', () => {
  it('lets a policyholder talk in a conversation not yet bound, or bound to him, and no other', () => {
    const me = 'A1B2C3D4-0000-4000-8000-000000000001';
    const client = { sub: me, roles: ['client' as const] };
    expect(mayTalkIn(client, null)).toBe(true);
    expect(mayTalkIn(client, me.toLowerCase())).toBe(true);
    expect(mayTalkIn(client, 'a1b2c3d4-0000-4000-8000-000000000002')).toBe(false);
    expect(mayTalkIn({ sub: 'adv-1', roles: ['advisor'] }, 'a1b2c3d4-0000-4000-8000-000000000002')).toBe(
      true,
    );
    expect(mayTalkIn({ sub: 'conv-1', roles: ['conversation'] }, me)).toBe(true);
    expect(mayTalkIn({ sub: 'p', roles: ['partner'] }, null)).toBe(false);
  });

  it('recognises a context the engine can resume', () => {
    const { context } = startConversation({ conversationId: CONVERSATION, claimId: CLAIM, now: NOW });
    // as stored: the seed's keys
    expect(isEngineContext(toSeedContext(context))).toBe(true);
    expect(isEngineContext({})).toBe(false);
    expect(isEngineContext({ conversation_id: 'x', messages: [], phase_actuelle: 'auth' })).toBe(false);
    expect(isEngineContext(null)).toBe(false);
  });

  it("turns a turn's new messages into history rows at the turn's instant", () => {
    const started = startConversation({ conversationId: CONVERSATION, claimId: CLAIM, now: NOW });
    const next = respond(
      started.context,
      { type: 'user_message', text: 'ab 123 cd', sttConfidence: 0.914 },
      NOW,
      demoLookup,
    );
    let n = 0;
    const rows = turnMessages({ id: CONVERSATION, claimId: null }, next.context, 1, () => `m${++n}`);
    expect(rows.map((r) => [r.id, r.role, r.sttConfidence, r.conversationId, r.claimId])).toEqual([
      ['m1', 'user', 0.91, CONVERSATION, null],
      ['m2', 'bot', null, CONVERSATION, null],
    ]);
    expect(rows[0]!.text).toBe('ab 123 cd');
    expect(rows.every((r) => r.timestamp.getTime() === NOW.getTime())).toBe(true);
  });

  it('writes money as exact euros, or nothing when it cannot be money', () => {
    expect(euros(800)).toBe('800.00');
    expect(euros(800.5)).toBe('800.50');
    expect(euros(null)).toBeNull();
    expect(euros(-1)).toBeNull();
    expect(euros(Number.NaN)).toBeNull();
    expect(euros(1e10)).toBeNull();
  });

  it('maps a completed intake to an IntakeCompleted that passes its schema', () => {
    const { outcomes } = play(AUTONOMOUS);
    const intake = outcomes.find((o): o is IntakeCompleted => o.type === 'IntakeCompleted')!;
    const data = intakeCompletedData(intake, 'VOICE');
    expect(data).toMatchObject({
      conversationId: CONVERSATION,
      claimId: CLAIM,
      channel: 'VOICE',
      claim: {
        claimType: 'COLLISION',
        estimatedDamage: '800.50',
        occurredOn: '2026-11-17',
        // v2: why tiers_responsable is false (the client hit a parked car)
        thirdPartyResponsible: false,
        liabilityRule: 'STATIONNEMENT',
        liabilityReason: expect.stringContaining('stationn'),
      },
      facts: { claimType: 'collision', estimatedDamage: 800.5 },
      decision: { handling: 'AUTONOMOUS', policyVersion: intake.decision.policyVersion },
    });
    expect(data.transcript.map((m) => m.role).slice(0, 3)).toEqual(['BOT', 'USER', 'BOT']);
    expect(data.transcript).toHaveLength(intake.transcript.length);
    const events = turnEvents(
      CONVERSATION,
      'VOICE',
      [],
      outcomes,
      callerOf({ principal: CLIENT, correlationId: 'corr-1' }),
      NOW,
    );
    expect(events.map((e) => [e.type, e.version])).toEqual([['IntakeCompleted', 2]]);
    expect(() => validateEvent(JSON.parse(JSON.stringify(events[0])))).not.toThrow();
  });

  it('maps a transfer to a HandoffRequested that passes its schema, before authentication too', () => {
    const { outcomes } = play(['je veux parler à un conseiller']);
    const handoff = outcomes.find((o) => o.type === 'HandoffRequested');
    expect(handoff).toBeDefined();
    const data = handoffRequestedData(handoff as Extract<EngineOutcome, { type: 'HandoffRequested' }>);
    expect(data).toMatchObject({
      conversationId: CONVERSATION,
      clientId: null,
      reason: 'CLIENT_REQUEST',
      phase: 'auth',
    });
    const [event] = turnEvents(
      CONVERSATION,
      'CHAT',
      [],
      outcomes,
      callerOf({ principal: CLIENT, correlationId: 'corr-2' }),
      NOW,
    );
    expect(() => validateEvent(JSON.parse(JSON.stringify(event)))).not.toThrow();
  });

  it("chains a turn's events: the client's message causes the bot's reply and the outcome", () => {
    const started = startConversation({ conversationId: CONVERSATION, claimId: CLAIM, now: NOW });
    const next = respond(
      started.context,
      { type: 'user_message', text: 'je veux un conseiller' },
      NOW,
      demoLookup,
    );
    let n = 0;
    const ids = ['0b0e8c4e-6a51-4d0c-9a7e-3f1d2c3b4a51', '0b0e8c4e-6a51-4d0c-9a7e-3f1d2c3b4a52'];
    const rows = turnMessages({ id: CONVERSATION, claimId: null }, next.context, 1, () => ids[n++]!);
    const events = turnEvents(
      CONVERSATION,
      'CHAT',
      rows,
      next.outcomes,
      callerOf({ principal: CLIENT, correlationId: 'corr-3' }),
      NOW,
    );
    expect(events.map((e) => [e.type, e.actor.kind])).toEqual([
      ['MessageRecorded', 'client'],
      ['MessageRecorded', 'bot'],
      ['HandoffRequested', 'bot'],
    ]);
    expect(events[0]!.causationId).toBeNull();
    expect(events[1]!.causationId).toBe(events[0]!.id);
    expect(events[2]!.causationId).toBe(events[0]!.id);
    expect(new Set(events.map((e) => e.correlationId))).toEqual(new Set(['corr-3']));
    for (const e of events) expect(() => validateEvent(JSON.parse(JSON.stringify(e)))).not.toThrow();
  });
});

import { DEFAULT_THRESHOLDS } from '@crm/cci';
import { callerOf, callerOfEvent } from '@crm/subgraph';
import { CLAIM_CASE_INTENT, CLAIM_CASE_SITE } from '../cases/case.rules';
import type { ClaimEntity } from './claim.entity';
import type { PlannedEvent } from './claim.events';
import {
  AUTOMATIC,
  decideActivity,
  decideAdvisorAssignment,
  decideCause,
  decideArchive,
  decideDelay,
  decideOpenClaim,
  decideStatusChange,
  decideUpdateClaim,
  type ClaimPlan,
  type KnownFacts,
} from './claim.decide';
import { delayTrigger } from './claim-delay.rules';
import { parseRecordActivity, parseUpdateClaim } from './claim.inputs';
import { RED_LIGHT_CLIENT as clientId, redLightDeclaration } from '../../test/declaration';

const now = new Date('2026-02-04T09:00:00Z');
const caller = callerOf({ principal: { sub: 'adv-1', roles: ['advisor'] }, correlationId: 'corr-1' });
const ids = { claimId: '3b9f6a52-0c4e-4d8a-9f51-6f7d2a1c0e11', caseId: 'case-drawn' };

/** The seed scenario: rear-ended at a red light, constat and photos, 2 500 € (CCI 25). */
const redLight = (overrides: Record<string, unknown> = {}) => redLightDeclaration(now, overrides);

const open = (overrides: Record<string, unknown> = {}, knownFacts?: KnownFacts, priorClaims = 0) =>
  decideOpenClaim(
    { input: redLight(overrides), channel: 'ADVISOR', knownFacts, caller },
    { sequence: '123', priorClaims },
    ids,
    now,
    DEFAULT_THRESHOLDS,
  );

const eventTypes = (plan: ClaimPlan) => plan.writes.flatMap((w) => w.events.map((e) => e.type));
const eventOfType = <T extends PlannedEvent['type']>(plan: ClaimPlan, type: T) =>
  plan.writes.flatMap((w) => w.events).find((e): e is Extract<PlannedEvent, { type: T }> => e.type === type);

/** A claim as stored, from an opening's plan (what the next commands load). */
function stored(plan: ClaimPlan, overrides: Partial<ClaimEntity> = {}): ClaimEntity {
  const unset: Partial<ClaimEntity> = {
    assignedAdvisorId: null,
    advisorAssignedAt: null,
    closedAt: null,
    archivedAt: null,
  };
  return Object.assign(unset, ...plan.writes.map((w) => w.values), overrides) as ClaimEntity;
}

describe('decideOpenClaim', () => {
  it('plans a numbered, scored NEW claim on a case of its own, with its actions, journal entry and events, then routes it', () => {
    const plan = open();
    expect(plan.writes).toHaveLength(2);
    const [opened, routed] = plan.writes;
    // autonomous (CCI 25): the lifecycle takes it into automatic handling, the cause recorded
    expect(routed!.values).toMatchObject({
      status: 'en_cours',
      statusHistory: [
        {
          from: 'NEW',
          to: 'IN_PROGRESS',
          reason: 'Traitement automatique : CCI de 25, inférieur au seuil de 40',
          actor: { kind: 'system', id: 'claims.lifecycle' },
          cause: { kind: 'CLAIM_OPENED', eventId: null },
        },
      ],
    });
    expect(routed!.events).toEqual([expect.objectContaining({ type: 'ClaimStatusChanged', from: 'NEW' })]);
    expect(opened.kind).toBe('insert');
    expect(opened.values).toMatchObject({
      id: ids.claimId,
      claimNumber: 'SIN-2026-000123',
      clientId,
      type: 'collision',
      status: 'nouveau',
      handling: 'autonome',
      cciScore: 25,
      cciPolicyVersion: 'cci-v1',
      caseId: ids.caseId,
      estimatedDamage: '2500.00',
      createdAt: now,
      updatedAt: now,
      triggers: [],
      statusHistory: [],
    });
    expect(plan.newCase).toEqual({
      id: ids.caseId,
      leadId: clientId,
      intent: CLAIM_CASE_INTENT,
      siteId: CLAIM_CASE_SITE,
      status: 'NEW',
      createdAt: now,
    });
    expect(plan.actions.map((a) => a.type)).toEqual(['envoyer_constat']);
    expect(plan.journal).toEqual([
      {
        type: 'CLAIM_OPENED',
        caseId: ids.caseId,
        payload: { claimType: 'COLLISION', status: 'NEW', handling: 'AUTONOMOUS', cciScore: 25 },
        actor: caller.actor,
      },
    ]);
    expect(opened.events).toEqual([
      { type: 'ClaimOpened', channel: 'ADVISOR', by: caller },
      { type: 'ClaimScored', by: caller },
    ]);
  });

  it('journals a claim linked to a partner case on that case and opens none', () => {
    const plan = open({ caseId: 'partner-case-1' });
    expect(plan.newCase).toBeNull();
    expect(plan.writes[0].values.caseId).toBe('partner-case-1');
    expect(plan.journal[0]!.caseId).toBe('partner-case-1');
  });

  it('escalates a high-CCI declaration in the same plan: ClaimStatusChanged then ClaimEscalationRequested, by the system', () => {
    const plan = open(
      { type: 'FIRE', thirdPartyInvolved: false, amicableReport: false, estimatedDamage: '80000' },
      { contractStatus: 'inconnu' },
    );
    expect(plan.writes.map((w) => w.kind)).toEqual(['insert', 'update']);
    expect(eventTypes(plan)).toEqual([
      'ClaimOpened',
      'ClaimScored',
      'ClaimStatusChanged',
      'ClaimEscalationRequested',
    ]);
    const requested = eventOfType(plan, 'ClaimEscalationRequested')!;
    expect(requested.triggers.map((t) => t.code)).toEqual(['CCI_ABOVE_THRESHOLD']);
    expect(requested).toMatchObject({ from: 'NEW', injuries: false });
    // the system's change, in the declarant's causal chain
    expect(requested.by).toEqual({ ...caller, actor: AUTOMATIC });
    const escalation = plan.writes[1]!.values;
    expect(escalation).toMatchObject({ status: 'escalade', handling: 'escalade', updatedAt: now });
    expect(escalation.statusHistory).toEqual([
      expect.objectContaining({ from: 'NEW', to: 'ESCALATED', actor: AUTOMATIC, at: now.toISOString() }),
    ]);
    // the opening itself is recorded as NEW (ClaimOpened says so), with the trigger that fired
    expect(plan.writes[0].values.status).toBe('nouveau');
    expect(plan.writes[0].values.triggers!.map((t) => t.code)).toEqual(['CCI_ABOVE_THRESHOLD']);
  });

  it('tells the escalation queue about injuries', () => {
    const plan = open({ injuries: true });
    expect(eventOfType(plan, 'ClaimEscalationRequested')).toMatchObject({
      injuries: true,
      triggers: [expect.objectContaining({ code: 'INJURIES' })],
    });
  });

  it('scores with the facts an event consumer knows and the claim history it loaded', () => {
    // 25 (seed scenario) + CONTRACT_SUSPENDED 30 = 55, the expert band
    const suspended = open({}, { contractStatus: 'suspendu' });
    expect(suspended.writes[0].values).toMatchObject({ cciScore: 55, handling: 'expert' });
    expect(suspended.writes[0].values.cciBreakdown!.facts.contractStatus).toBe('suspendu');
    expect(suspended.actions.map((a) => a.type)).toContain('expertise');
    expect(open({}, undefined, 3).writes[0].values.cciScore).toBeGreaterThan(25);
  });

  it('records missing documents as an alert: an action for the client, no escalation', () => {
    const plan = open({ photoUrls: [] });
    // no escalation: the lifecycle waits for the client's documents
    expect(plan.writes.map((w) => w.values.status)).toEqual(['nouveau', 'en_attente_client']);
    expect(plan.writes[0].values.triggers).toEqual([
      expect.objectContaining({ code: 'MISSING_DOCUMENTS', kind: 'ALERT', at: now.toISOString() }),
    ]);
    expect(plan.actions.map((a) => a.type)).toContain('info_client');
  });
});

describe('decideUpdateClaim', () => {
  const later = new Date(now.getTime() + 3_600_000);
  const update = (current: ClaimEntity, raw: Record<string, unknown>) =>
    decideUpdateClaim(
      parseUpdateClaim({ id: current.id, ...raw }, later),
      current,
      caller,
      later,
      DEFAULT_THRESHOLDS,
    );

  it('writes nothing when nothing changes', () => {
    const current = stored(open());
    expect(update(current, { location: null, estimatedDamage: '2500.00' })).toBeNull();
  });

  it('writes the changed fields and the new score, with ClaimUpdated and ClaimScored', () => {
    const current = stored(open());
    const plan = update(current, { estimatedDamage: '6000', location: 'Lyon' })!;
    expect(plan.writes).toHaveLength(1);
    expect(plan.writes[0].values).toMatchObject({
      estimatedDamage: '6000.00',
      location: 'Lyon',
      cciScore: 25 - 5 + 15,
      updatedAt: later,
    });
    expect(eventOfType(plan, 'ClaimUpdated')!.changedFields).toEqual(['location', 'estimatedDamage']);
    expect(eventTypes(plan)).toEqual(['ClaimUpdated', 'ClaimScored']);
  });

  it('escalates a correction that fires a new trigger, but never reopens a closed claim', () => {
    const current = stored(open());
    const responsible = { thirdPartyResponsible: true };
    expect(eventTypes(update(current, responsible)!)).toEqual([
      'ClaimUpdated',
      'ClaimScored',
      'ClaimStatusChanged',
      'ClaimEscalationRequested',
    ]);
    const closed = update({ ...current, status: 'fermé' }, responsible)!;
    expect(closed.writes).toHaveLength(1);
    expect(closed.writes[0].values.triggers!.map((t) => t.code)).toEqual(['THIRD_PARTY_RESPONSIBLE']);
  });
});

describe('status, activity and archive', () => {
  it('moves along the lifecycle, stamps date_fermeture on CLOSED, and refuses a move outside it', () => {
    const current = stored(open(), { status: 'en_cours' });
    const plan = decideStatusChange(current, 'CLOSED', 'réglé', caller, now);
    expect(plan.writes[0].values).toMatchObject({ status: 'fermé', closedAt: now });
    expect(plan.writes[0].events).toEqual([
      { type: 'ClaimStatusChanged', from: 'IN_PROGRESS', reason: 'réglé', by: caller },
    ]);
    let refused: unknown;
    try {
      decideStatusChange(
        stored(open(), { status: 'nouveau', statusHistory: [] }),
        'CLOSED',
        undefined,
        caller,
        now,
      );
    } catch (err) {
      refused = err;
    }
    expect(refused).toMatchObject({
      code: 'CLAIM.INVALID_TRANSITION',
      details: { from: 'NEW', to: 'CLOSED' },
    });
  });

  it('records an activity as progress, dated now unless given', () => {
    const current = stored(open());
    const input = parseRecordActivity({ claimId: current.id, kind: 'LETTER_SENT', detail: '' }, now);
    const plan = decideActivity(input, current, caller, now);
    const entry = { kind: 'LETTER_SENT', detail: null, at: now.toISOString(), actor: caller.actor };
    expect(plan.writes[0].values).toEqual({ updatedAt: now });
    expect(plan.activities).toEqual([{ ...entry, recordedAt: now.toISOString() }]);
    expect(eventTypes(plan)).toEqual(['ClaimActivityRecorded']);
  });

  it('archives once', () => {
    const current = stored(open());
    expect(decideArchive(current, caller, now)!.writes[0].values).toEqual({
      archivedAt: now,
      updatedAt: now,
    });
    expect(decideArchive({ ...current, archivedAt: now }, caller, now)).toBeNull();
  });
});

describe('decideDelay (the stall timer)', () => {
  const timer = callerOf({ principal: { sub: 'claims.triggers', roles: ['system'] }, correlationId: 'tick' });
  const later = new Date(now.getTime() + 6 * 86_400_000);

  it('records the trigger without moving date_modification, escalates, and journals it', () => {
    const current = stored(open());
    const { plan, escalated } = decideDelay(current, delayTrigger(), timer, later);
    expect(escalated).toBe(true);
    expect(plan.writes[0].values).toEqual({
      triggers: [expect.objectContaining({ code: 'DELAY_EXCEEDED', at: later.toISOString() })],
    });
    expect(eventTypes(plan)).toEqual(['ClaimStatusChanged', 'ClaimEscalationRequested']);
    expect(plan.journal).toEqual([
      {
        type: 'DELAY_EXCEEDED',
        caseId: ids.caseId,
        payload: expect.objectContaining({
          previousStatus: 'IN_PROGRESS',
          status: 'ESCALATED',
          escalated: true,
          lastProgressAt: now.toISOString(),
        }),
        actor: AUTOMATIC,
      },
    ]);
  });

  it('only records it on a claim already ESCALATED, and journals nothing for a claim without a case', () => {
    const current = stored(open(), { status: 'escalade', caseId: null });
    const { plan, escalated } = decideDelay(current, delayTrigger(), timer, later);
    expect(escalated).toBe(false);
    expect(plan.writes).toHaveLength(1);
    expect(eventTypes(plan)).toEqual([]);
    expect(plan.journal).toEqual([]);
  });
});

describe('decideAdvisorAssignment (the queue gave the claim to an advisor)', () => {
  const claire = '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b';
  const bob = '0a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9';
  const later = new Date(now.getTime() + 3_600_000);
  const assignedAt = new Date(now.getTime() - 60_000);

  it('sets the advisor like a field change: ClaimUpdated(assignedAdvisor), date_modification, never the status', () => {
    const claim = stored(open());
    const plan = decideAdvisorAssignment(claim, { advisorId: claire, assignedAt }, caller, now)!;
    expect(plan.writes).toEqual([
      {
        kind: 'update',
        values: { assignedAdvisorId: claire, advisorAssignedAt: assignedAt, updatedAt: now },
        events: [{ type: 'ClaimUpdated', changedFields: ['assignedAdvisor'], by: caller }],
      },
    ]);
    expect(plan.writes[0].values).not.toHaveProperty('status');
  });

  it('replaces him on a later reassignment; an older assignment, or the same one again, writes nothing', () => {
    const held = stored(open(), { assignedAdvisorId: claire, advisorAssignedAt: assignedAt });
    expect(
      decideAdvisorAssignment(held, { advisorId: bob, assignedAt: later }, caller, later)!.writes[0].values,
    ).toEqual({
      assignedAdvisorId: bob,
      advisorAssignedAt: later,
      updatedAt: later,
    });
    expect(
      decideAdvisorAssignment(held, { advisorId: bob, assignedAt: new Date(0) }, caller, later),
    ).toBeNull();
    expect(decideAdvisorAssignment(held, { advisorId: claire, assignedAt }, caller, later)).toBeNull();
  });

  it('records only the instant when the same advisor takes a later entry of the claim (no event, no progress)', () => {
    const held = stored(open(), { assignedAdvisorId: claire, advisorAssignedAt: assignedAt });
    expect(
      decideAdvisorAssignment(held, { advisorId: claire, assignedAt: later }, caller, later)!.writes,
    ).toEqual([{ kind: 'update', values: { advisorAssignedAt: later }, events: [] }]);
  });
});

describe('the lifecycle moving by itself (issue 19)', () => {
  it('documents received (activity or photos) take a claim waiting for them back to IN_PROGRESS, with the cause', () => {
    const waiting = stored(open({ photoUrls: [] }));
    expect(waiting.status).toBe('en_attente_client');
    const input = parseRecordActivity(
      { claimId: waiting.id, kind: 'DOCUMENTS_RECEIVED', detail: 'photos' },
      now,
    );
    const plan = decideActivity(input, waiting, caller, now);
    expect(eventTypes(plan)).toEqual(['ClaimActivityRecorded', 'ClaimStatusChanged']);
    expect(plan.writes[1]!.values.statusHistory!.at(-1)).toMatchObject({
      from: 'AWAITING_CLIENT',
      to: 'IN_PROGRESS',
      cause: { kind: 'DOCUMENTS_RECEIVED' },
      actor: { kind: 'system', id: 'claims.lifecycle' },
    });
  });

  it('an accepted reimbursement moves the claim to VALIDATION, caused by the event', () => {
    const current = stored(open());
    const consumer = callerOfEvent('claims.lifecycle', { id: 'evt-1', correlationId: 'c' });
    const plan = decideCause(
      current,
      { kind: 'REIMBURSEMENT_ACCEPTED', acceptedCents: 50000, deductibleCents: 0 },
      'ReimbursementAccepted',
      consumer,
      now,
    )!;
    expect(plan.writes[0].values.status).toBe('validation');
    expect(plan.writes[0].values.statusHistory!.at(-1)).toMatchObject({
      to: 'VALIDATION',
      cause: { kind: 'ReimbursementAccepted', eventId: 'evt-1' },
    });
    expect(
      decideCause(
        { ...current, status: 'fermé' },
        { kind: 'ESCALATION_STARTED' },
        'EscalationStarted',
        consumer,
        now,
      ),
    ).toBeNull();
  });
});

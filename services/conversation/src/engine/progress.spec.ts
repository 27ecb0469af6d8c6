import {
  type ConversationContext,
  authenticatorOf,
  demoLookup,
  respond,
  startConversation,
  toSeedContext,
} from './index';
import { claimNeeds, fileProgress } from './progress';

// Wednesday 18 November 2026, 16:00 in Paris
const NOW = new Date('2026-11-18T15:00:00Z');

interface Step {
  said: string;
  cci: number | undefined;
  completeness: number | undefined;
  missing: string[] | undefined;
  factors: string[];
}

/** Plays the messages and records the file after each answer. */
function walk(messages: readonly string[]): { steps: Step[]; context: ConversationContext } {
  const directory = authenticatorOf(demoLookup);
  let context = startConversation({ conversationId: 'conv-p', claimId: 'claim-p', now: NOW }).context;
  const steps: Step[] = [];
  for (const said of messages) {
    context = respond(context, { type: 'user_message', text: said }, NOW, directory).context;
    const c = context.collected;
    steps.push({
      said,
      cci: c.cciScore,
      completeness: c.completeness,
      missing: c.missingFacts,
      factors: (c.cciFactors ?? []).map((f) => f.code),
    });
  }
  return { steps, context };
}

describe('the claim file fills as the client talks', () => {
  // a rear-end collision told in pieces: every answer moves the CCI or the completeness
  const SCRIPT = [
    'ab 123 cd',
    'oui c’est bien moi',
    "Une voiture m'a percuté par l'arrière alors que j'étais arrêté au feu",
    'hier vers 18h',
    'boulevard Voltaire à Paris',
    'non personne n’est blessé',
    'non, pas de constat',
    'oui la police est venue',
    'non je n’ai pas de photos',
    'à peu près 6000 euros',
  ];

  it('has no file before the description, then recomputes the CCI and the completeness after each answer', () => {
    const { steps } = walk(SCRIPT);
    // authentication: no claim yet, nothing computed
    expect(steps[0]?.cci).toBeUndefined();
    expect(steps[1]?.completeness).toBeUndefined();
    const file = steps.slice(2);
    expect(file.every((s) => s.cci !== undefined && s.completeness !== undefined)).toBe(true);
    for (let i = 1; i < file.length; i += 1) {
      const before = file[i - 1] as Step;
      const after = file[i] as Step;
      const moved = after.cci !== before.cci || after.completeness !== before.completeness;
      expect({ said: after.said, moved }).toEqual({ said: after.said, moved: true });
      // the completeness never goes down while the client answers
      expect(after.completeness).toBeGreaterThanOrEqual(before.completeness ?? 0);
    }
    // the description settles the type, the third party and who is at fault (rear-end)
    expect(file[0]).toMatchObject({
      factors: expect.arrayContaining(['TYPE_COLLISION', 'THIRD_PARTY_INVOLVED', 'THIRD_PARTY_RESPONSIBLE']),
      missing: [
        'occurredLocal',
        'location',
        'injuries',
        'amicableReport',
        'policeReport',
        'documentsProvided',
        'estimatedDamage',
      ],
    });
    // each later answer: its fact leaves the missing list
    expect(file[1]?.missing).not.toContain('occurredLocal');
    expect(file[2]?.missing).not.toContain('location');
    expect(file[4]?.factors).toContain('THIRD_PARTY_NO_AMICABLE_REPORT');
    expect(file[5]?.factors).toContain('POLICE_REPORT');
    expect(file[6]?.factors).toContain('DOCUMENTS_MISSING');
    expect(file[7]?.factors).toContain('DAMAGE_5000_15000');
    // the amount was the last fact: the file is complete at the recap
    expect(file[7]).toMatchObject({ completeness: 100, missing: [] });
  });

  it('ends with the decision’s own score', () => {
    const { context } = walk([...SCRIPT, 'oui c’est exact']);
    const seed = toSeedContext(context).data_collectee;
    expect(seed.decision).toBe('escalade');
    expect(seed.completude).toBe(100);
    expect(seed.faits_manquants).toEqual([]);
    expect(seed.cci_score).toBe((seed.cci_facteurs ?? []).reduce((sum, f) => sum + f.points, 0));
  });

  it('keeps the new keys in the seed context, missing facts by their data_collectee names', () => {
    const { context } = walk(SCRIPT.slice(0, 3));
    const seed = toSeedContext(context).data_collectee;
    expect(seed).toMatchObject({
      type_sinistre: 'collision',
      tiers_responsable: true,
      responsabilite_regle: 'CHOC_ARRIERE',
    });
    expect(seed.faits_manquants).toEqual([
      'date_sinistre',
      'lieu',
      'blessures',
      'constat_amiable',
      'police_intervenue',
      'documents_disponibles',
      'estimation_dommage',
    ]);
    expect(typeof seed.completude).toBe('number');
    expect(seed.cci_facteurs?.map((f) => f.code)).toContain('THIRD_PARTY_RESPONSIBLE');
  });
});

describe('completeness', () => {
  it('counts the facts the claim type needs', () => {
    const theft = claimNeeds('vol', { claimType: 'vol', description: 'on a volé mon vélo' }).map(
      (n) => n.fact,
    );
    expect(theft).toEqual([
      'claimType',
      'description',
      'occurredLocal',
      'location',
      'policeReport',
      'policeReportNumber',
      'documentsProvided',
      'estimatedDamage',
    ]);
    // a snatch theft asks about injuries too
    expect(claimNeeds('vol', { description: "on m'a arraché mon sac" }).map((n) => n.fact)).toContain(
      'injuries',
    );
    // no third party: neither responsibility nor a constat
    const alone = claimNeeds('degats', { thirdPartyInvolved: false }).map((n) => n.fact);
    expect(alone).not.toContain('thirdPartyResponsible');
    expect(alone).not.toContain('amicableReport');
  });

  it('is the share of counted facts that are settled, a declined question included', () => {
    const c = {
      claimType: 'vol' as const,
      description: 'vol de vélo',
      occurredLocal: '2026-11-17',
      location: 'Lyon',
    };
    expect(fileProgress('vol', c, [])).toEqual({
      completeness: 50, // 4 of 8
      missing: ['policeReport', 'policeReportNumber', 'documentsProvided', 'estimatedDamage'],
    });
    const declined = fileProgress('vol', { ...c, policeReport: true }, ['policeReportNumber']);
    expect(declined.completeness).toBe(75);
    expect(declined.missing).toEqual(['documentsProvided', 'estimatedDamage']);
    // a fact said that the type does not need still counts once collected
    expect(fileProgress('vol', { ...c, injuries: false }, []).completeness).toBe(55); // 5 of 9
  });
});

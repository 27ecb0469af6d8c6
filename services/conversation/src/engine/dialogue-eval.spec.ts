import fc from 'fast-check';
import corpus from '../../corpus/dialogues.json';
import {
  DIALOGUE_FACTS,
  DIALOGUE_TARGETS,
  evaluateDialogues,
  playDeclaration,
  validateDialogueCorpus,
  type Declaration,
  type DialogueFact,
} from './dialogue-eval';

const dialogues = validateDialogueCorpus(corpus);
const NOW = new Date(dialogues.referenceTime);

describe('dialogue-level evaluation (corpus/dialogues.json)', () => {
  const report = evaluateDialogues(dialogues);

  it('plays at least 300 declarations in every style', () => {
    expect(report.declarations).toBeGreaterThanOrEqual(300);
    const styles = new Set(dialogues.declarations.map((d) => d.style));
    expect([...styles].sort()).toEqual(
      ['bref', 'correction', 'hésitant', 'long', 'parlé', 'plusieurs faits', 'écrit'].sort(),
    );
  });

  it("meets the issue's targets", () => {
    expect(report.wrongRate).toBeLessThanOrEqual(DIALOGUE_TARGETS.maxWrongRate);
    expect(report.rightOrAskedRate).toBeGreaterThanOrEqual(DIALOGUE_TARGETS.minRightOrAskedRate);
    expect(report.placeCleanRate).toBeGreaterThanOrEqual(DIALOGUE_TARGETS.minPlaceCleanRate);
  });

  // Measured at commit time: no wrong fact of 1423, 100% right or asked, 2 dirty
  // places of 307 (99.3% clean). These floors, a little below, fail on a regression well
  // before the targets would (docs/conversation-engine.md).
  it('does not fall below the measured level', () => {
    expect(report.wrongRate).toBeLessThanOrEqual(0.005);
    expect(report.rightOrAskedRate).toBeGreaterThanOrEqual(0.99);
    expect(report.placeCleanRate).toBeGreaterThanOrEqual(0.99);
    // tiers_responsable is an escalation trigger: a wrong one hides or fakes an escalation
    expect(report.byFact.tiers_responsable.wrong).toBe(0);
  });

  it('scores a right, a wrong and an asked fact, and a dirty place', () => {
    const one = (said: string, attendu: Declaration['attendu']) =>
      evaluateDialogues({
        referenceTime: dialogues.referenceTime,
        declarations: [{ style: 'test', said, attendu }],
      });
    const right = one("une voiture m'a percuté par l'arrière hier rue Garibaldi à Lyon", {
      type: 'collision',
      date: '2026-04-14',
      lieu: { texte: 'rue Garibaldi à Lyon', ville: 'Lyon' },
      tiers_implique: true,
      tiers_responsable: true,
      blessures: null,
    });
    expect(right.byFact.type.right).toBe(1);
    expect(right.byFact.tiers_responsable.right).toBe(1);
    expect(right.byFact.blessures.asked).toBe(1);
    expect(right.places.exact).toBe(1);
    // a label that says the story does not settle it: taking a value is wrong
    const wrong = one("une voiture m'a percuté par l'arrière", {
      type: 'collision',
      date: null,
      lieu: { texte: 'ailleurs' },
      tiers_implique: true,
      tiers_responsable: null,
      blessures: null,
    });
    expect(wrong.byFact.tiers_responsable.wrong).toBe(1);
    expect(wrong.places.asked).toBe(1);
  });
});

/** The facts of a file that agree with the declaration's label. */
function rightFacts(declaration: Declaration, said: string | string[]): DialogueFact[] {
  const { collected } = playDeclaration({ ...declaration, said }, NOW);
  return (Object.keys(DIALOGUE_FACTS) as DialogueFact[]).filter((fact) => {
    const expected = declaration.attendu[fact as keyof Declaration['attendu']];
    const got = collected[DIALOGUE_FACTS[fact]];
    const value = fact === 'type' && got === 'degats' ? 'dégâts' : got;
    return expected !== undefined && expected !== null && value === expected;
  });
}

// details that change none of the facts a label states
const DETAILS = [
  "J'étais avec ma femme et les enfants.",
  'Il faisait beau.',
  'Je rentrais du travail.',
  "C'est la première fois que ça m'arrive.",
  'Je suis un peu stressé, excusez-moi.',
  "J'ai appelé mon frère juste après.",
  'Bon, voilà.',
];

describe('a detail added to a declaration', () => {
  const singles = dialogues.declarations.filter((d) => typeof d.said === 'string');

  it('never makes a fact the file had right wrong', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...singles),
        fc.constantFrom(...DETAILS),
        fc.boolean(),
        (declaration, detail, before) => {
          const said = declaration.said as string;
          const right = rightFacts(declaration, said);
          const extended = before ? `${detail} ${said}` : `${said} ${detail}`;
          const still = rightFacts(declaration, extended);
          expect(right.filter((f) => !still.includes(f))).toEqual([]);
        },
      ),
      { numRuns: 200, seed: 20 },
    );
  });
});

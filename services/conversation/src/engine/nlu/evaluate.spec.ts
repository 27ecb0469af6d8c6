import dev from '../../../corpus/dev.json';
import dev2 from '../../../corpus/dev-2.json';
import dev3 from '../../../corpus/dev-3.json';
import dev4 from '../../../corpus/dev-4.json';
import dev5 from '../../../corpus/dev-5.json';
import dev6 from '../../../corpus/dev-6.json';
import dev7 from '../../../corpus/dev-7.json';
import dev8 from '../../../corpus/dev-8.json';
import liabilityPlaces from '../../../corpus/liability-places.json';
import { CorpusFormatError, evaluateCorpus, validateCorpus } from './evaluate';

describe('NLU corpus evaluation', () => {
  it('scores the development corpus at 97% or better', () => {
    const report = evaluateCorpus(validateCorpus(dev));
    expect(report.total).toBeGreaterThanOrEqual(250);
    expect(report.misses).toEqual([]);
    expect(report.accuracy).toBeGreaterThanOrEqual(0.97);
  });

  it.each([
    ['dev-2', dev2],
    ['dev-3', dev3],
    ['dev-4', dev4],
    ['dev-5', dev5],
    ['dev-6', dev6],
    ['dev-7', dev7],
    ['dev-8', dev8],
    ['liability-places', liabilityPlaces],
  ])('keeps every %s utterance understood', (_name, corpus) => {
    expect(evaluateCorpus(validateCorpus(corpus)).misses).toEqual([]);
  });

  it('counts a wrong label as a miss', () => {
    const report = evaluateCorpus(
      validateCorpus({
        referenceTime: '2026-11-18T15:00:00Z',
        confirm_yes: ['non'],
        dates: [['hier', '2026-11-17']],
      }),
    );
    expect(report.sections.confirm_yes).toEqual({ total: 1, correct: 0, accuracy: 0 });
    expect(report.sections.dates.accuracy).toBe(1);
    expect(report.accuracy).toBe(0.5);
    expect(report.misses).toEqual([{ section: 'confirm_yes', text: 'non', expected: 'yes', got: 'no' }]);
  });

  it('rejects a malformed corpus, naming every problem', () => {
    expect(() =>
      validateCorpus({
        referenceTime: 'soon',
        claim_type: [['x', 'tempete']],
        matricule: [['a', 'ab123cd']],
      }),
    ).toThrow(CorpusFormatError);
    try {
      validateCorpus({ referenceTime: 'soon', claim_type: [['x', 'tempete']] });
    } catch (error) {
      expect((error as CorpusFormatError).problems).toHaveLength(2);
      expect((error as CorpusFormatError).code).toBe('NLU.INVALID_CORPUS');
    }
  });
});

import { parseInput } from '@crm/subgraph';
import { registerAdvisorInput } from './advisor.inputs';

const problemsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    const e = err as { code: string; problems: { field: string }[] };
    return { code: e.code, fields: e.problems.map((p) => p.field).sort() };
  }
  return undefined;
};

describe('advisor inputs', () => {
  it('defaults an advisor to AVAILABLE with a capacity of 5, e-mail lower-cased', () => {
    expect(parseInput(registerAdvisorInput, { name: ' Marie Curie ', email: 'Marie@Assur.FR' })).toEqual({
      name: 'Marie Curie',
      email: 'marie@assur.fr',
      phone: undefined,
      specialty: undefined,
      capacity: 5,
      status: 'AVAILABLE',
    });
    expect(
      problemsOf(() => parseInput(registerAdvisorInput, { name: '', email: 'nope', capacity: 0 })),
    ).toEqual({
      code: 'VALIDATION.FAILED',
      fields: ['capacity', 'email', 'name'],
    });
  });
});

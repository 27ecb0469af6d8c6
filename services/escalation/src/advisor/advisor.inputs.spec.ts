import { parseInput } from '@crm/subgraph';
import { problemsOf } from '@crm/testing';
import { registerAdvisorInput } from './advisor.inputs';

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

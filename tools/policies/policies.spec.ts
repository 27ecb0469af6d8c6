// Deny by default, checked over the whole graph: every field of the composed supergraph is
// served by a subgraph whose policy map covers it, and a field added without a policy fails.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { policyOf, schemaFields } from '@crm/subgraph';
import { buildSchema } from 'graphql';
import { policyProblems, SUBGRAPHS, subgraphSchema } from './policy-table';

const supergraph = buildSchema(
  readFileSync(join(__dirname, '..', '..', 'schemas', 'supergraph.graphql'), 'utf8'),
  {
    assumeValidSDL: true,
  },
);

it('every field of every subgraph has exactly one declared policy, and none names a missing field', () => {
  expect(policyProblems()).toEqual([]);
});

it('every field of the composed supergraph is covered by the policy of a subgraph that serves it', () => {
  const uncovered = schemaFields(supergraph)
    .filter((f) => !f.type.startsWith('join__') && !f.type.startsWith('link__'))
    .filter(
      (f) =>
        !SUBGRAPHS.some(
          (s) =>
            s.schema.getType(f.type) &&
            f.field in (s.schema.getType(f.type) as unknown as { getFields(): object }).getFields() &&
            policyOf(s.policies, f.type, f.field),
        ),
    )
    .map((f) => f.key);
  expect(schemaFields(supergraph).length).toBeGreaterThan(200);
  expect(uncovered).toEqual([]);
});

it('fails on a field added without a policy, and on a policy left behind by a renamed field', () => {
  const sdl = readFileSync(
    join(__dirname, '..', '..', 'services', 'reimbursement', 'src', 'schema.graphql'),
    'utf8',
  );
  const [reimbursement] = SUBGRAPHS.filter((s) => s.name === 'reimbursement');
  const added = {
    ...reimbursement!,
    schema: subgraphSchema('reimbursement', `${sdl}\nextend type Query { refundAll: Boolean }`),
  };
  expect(policyProblems([added])).toEqual(['reimbursement: Query.refundAll has no policy']);
  const renamed = {
    ...reimbursement!,
    policies: {
      ...reimbursement!.policies,
      'Query.reimbursementById': reimbursement!.policies['Query.reimbursement']!,
    },
  };
  expect(policyProblems([renamed])).toEqual([
    'reimbursement: the policy Query.reimbursementById names no field',
  ]);
});

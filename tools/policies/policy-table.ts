// npm run policies:table   writes the table of who may use each field into docs/graph.md
//                          (between the policies markers), from each service's src/policies.ts;
// npm run policies:check   fails when a field of a subgraph has no policy, when a policy names
//                          no field, or when the table in docs/graph.md is not that table.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { gql, missingPolicies, policyOf, schemaFields, unusedPolicies, type PolicyMap } from '@crm/subgraph';
import type { GraphQLSchema } from 'graphql';
import { policies as claims } from '../../services/claims/src/policies';
import { policies as conversation } from '../../services/conversation/src/policies';
import { policies as escalation } from '../../services/escalation/src/policies';
import { policies as identity } from '../../services/identity/src/policies';
import { policies as reimbursement } from '../../services/reimbursement/src/policies';
import { writeOrCheckSection } from '../docs/generated-section';

const root = join(__dirname, '..', '..');

export interface SubgraphPolicies {
  name: string;
  schema: GraphQLSchema;
  policies: PolicyMap;
}

export function subgraphSchema(name: string, sdl?: string): GraphQLSchema {
  const typeDefs = gql(sdl ?? readFileSync(join(root, 'services', name, 'src', 'schema.graphql'), 'utf8'));
  return buildSubgraphSchema([{ typeDefs }]);
}

export const SUBGRAPHS: readonly SubgraphPolicies[] = (
  [
    ['identity', identity],
    ['claims', claims],
    ['conversation', conversation],
    ['reimbursement', reimbursement],
    ['escalation', escalation],
  ] as const
).map(([name, policies]) => ({ name, schema: subgraphSchema(name), policies }));

/** What is wrong with the maps (empty when every field of every subgraph has exactly its policy). */
export function policyProblems(subgraphs: readonly SubgraphPolicies[] = SUBGRAPHS): string[] {
  return subgraphs.flatMap((s) => [
    ...missingPolicies(s.schema, s.policies).map((f) => `${s.name}: ${f} has no policy`),
    ...unusedPolicies(s.schema, s.policies).map((k) => `${s.name}: the policy ${k} names no field`),
  ]);
}

/** One row per root field and per type (its fields grouped when they share a policy). */
export function policyTable(subgraphs: readonly SubgraphPolicies[] = SUBGRAPHS): string {
  const rows = ['| subgraph | fields | who may use them |', '|---|---|---|'];
  for (const s of subgraphs) {
    const byRule = new Map<string, string[]>();
    for (const f of schemaFields(s.schema)) {
      if (f.type === '_Service' || f.field.startsWith('_')) continue;
      const who = policyOf(s.policies, f.type, f.field)!.who;
      const group = f.type === 'Query' || f.type === 'Mutation' || f.type === 'Subscription' ? f.key : f.type;
      const key = `${group}\u0000${who}`;
      byRule.set(key, [...(byRule.get(key) ?? []), f.field]);
    }
    for (const [key, fields] of byRule) {
      const [group, who] = key.split('\u0000') as [string, string];
      const named = group.includes('.') ? `\`${group}\`` : `\`${group}\`: ${fields.join(', ')}`;
      rows.push(`| ${s.name} | ${named} | ${who} |`);
    }
  }
  return rows.join('\n');
}

function main(): void {
  const problems = policyProblems();
  if (problems.length) {
    console.error(`policies: ${problems.length} problems\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  writeOrCheckSection(
    { doc: 'docs/graph.md', name: 'policies', command: 'policies:table', content: policyTable() },
    process.argv.includes('--check'),
  );
}

if (require.main === module) main();

// The five subgraphs: where their SDL lives and their default routing URL. The gateway
// overrides the URLs from its environment; the composed supergraph keeps these defaults.
export const SUBGRAPHS = [
  { name: 'identity', port: 4001 },
  { name: 'claims', port: 4002 },
  { name: 'conversation', port: 4003 },
  { name: 'reimbursement', port: 4004 },
  { name: 'escalation', port: 4005 },
] as const;

export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];

import { graphql } from '../generated';

export const QUEUE_PROBE = graphql(`
  query ConsoleProbe {
    escalationQueue(first: 1) {
      totalCount
    }
  }
`);

export function App() {
  return <h1>Console conseiller</h1>;
}

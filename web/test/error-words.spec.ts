// Every error code docs/graph.md lists (its generated table, between the error-codes markers)
// has French words in web/src/shared/errors.ts: an advisor or a client never reads a bare code.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inWords, wordsOf } from '../src/shared/errors';

const GRAPH_MD = join(__dirname, '..', '..', 'docs', 'graph.md');

function documentedCodes(): string[] {
  const text = readFileSync(GRAPH_MD, 'utf8');
  const begin = text.indexOf('<!-- error-codes:begin');
  const end = text.indexOf('<!-- error-codes:end');
  if (begin < 0 || end < begin) throw new Error('docs/graph.md has no error-codes markers');
  return text
    .slice(begin, end)
    .split('\n')
    .map((line) => /^\|\s*`([^`]+)`\s*\|/.exec(line)?.[1])
    .filter((code): code is string => code !== undefined);
}

describe('error words', () => {
  const codes = documentedCodes();

  it('reads the table of docs/graph.md', () => {
    expect(codes.length).toBeGreaterThan(20);
    expect(codes).toContain('CLAIM.INVALID_TRANSITION');
  });

  it('has French words for every documented code', () => {
    const missing = codes.filter((code) => !wordsOf(code)?.trim());
    expect(missing).toEqual([]);
  });

  it('shows the words with the stable code', () => {
    const error = {
      graphQLErrors: [{ message: 'invalid', extensions: { code: 'CLAIM.INVALID_TRANSITION' } }],
      message: 'invalid',
      name: 'CombinedError',
    } as unknown as Error;
    expect(inWords(error)).toEqual({
      code: 'CLAIM.INVALID_TRANSITION',
      words: 'Ce changement de statut n’est pas permis depuis le statut actuel.',
    });
  });
});

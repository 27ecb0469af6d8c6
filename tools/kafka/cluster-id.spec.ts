// The KRaft cluster id given to kafka-storage: never one its argument parser reads as an option.
// broker.mjs is an ES module, which jest's CommonJS runtime cannot import: a node child runs it.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const BROKER_MODULE = resolve(__dirname, 'broker.mjs');

function run(script: string): string {
  return execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { newClusterId } from ${JSON.stringify(BROKER_MODULE)};\n${script}`,
    ],
    { encoding: 'utf8' },
  ).trim();
}

describe('newClusterId', () => {
  it("draws again when the id would start with '-' (0xF8 encodes as '-' first)", () => {
    const out = run(`
      const draws = [Buffer.alloc(16, 0xf8), Buffer.alloc(16, 0x00)];
      let calls = 0;
      const id = newClusterId(() => draws[calls++]);
      console.log(JSON.stringify({ id, calls, first: draws[0].toString('base64url')[0] }));
    `);
    const { id, calls, first } = JSON.parse(out) as { id: string; calls: number; first: string };
    expect(first).toBe('-');
    expect(calls).toBe(2);
    expect(id).toBe(Buffer.alloc(16, 0).toString('base64url'));
  });

  it('gives 22 URL-safe characters, none starting with a dash, over many draws', () => {
    const ids = JSON.parse(
      run(`console.log(JSON.stringify(Array.from({ length: 2000 }, () => newClusterId())));`),
    ) as string[];
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  });
});

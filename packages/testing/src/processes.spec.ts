import { Writable } from 'node:stream';
import { createLogger } from '@crm/logging';
import { compiledEntry, defaultRuntime, isErrorLogLine, runtimeArgs, startProcess } from './processes';

/** What a process under test writes, as the project's logger writes it. */
function lineOf(log: (logger: ReturnType<typeof createLogger>) => void): string {
  let out = '';
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      out += chunk.toString();
      done();
    },
  });
  log(createLogger({ service: 'gateway', level: 'info', destination }));
  return out.trim();
}

describe('isErrorLogLine', () => {
  it("picks the project's error and fatal lines, which carry the level's label", () => {
    expect(isErrorLogLine(lineOf((l) => l.error({ errorId: 'e1' }, 'unexpected error at the gateway')))).toBe(
      true,
    );
    expect(isErrorLogLine(lineOf((l) => l.fatal('gave up')))).toBe(true);
  });

  it('leaves warnings and information out, and still reads numeric levels', () => {
    expect(isErrorLogLine(lineOf((l) => l.warn('slow consumer')))).toBe(false);
    expect(isErrorLogLine(lineOf((l) => l.info('listening')))).toBe(false);
    expect(isErrorLogLine('{"level":50,"msg":"x"}')).toBe(true);
    expect(isErrorLogLine('{"level":40,"msg":"x"}')).toBe(false);
  });
});

describe('the compiled runtime', () => {
  it("maps a workspace's TypeScript entry to its build output", () => {
    expect(compiledEntry('services/claims/src/main.ts')).toBe('services/claims/dist/main.js');
    expect(compiledEntry('gateway/src/main.ts')).toBe('gateway/dist/main.js');
    expect(compiledEntry('tools/start/start.ts')).toBe('tools/start/dist/start.js');
    expect(() => compiledEntry('bench/gateway.bench.ts')).toThrow(/not a TypeScript source/);
    expect(() => compiledEntry('tools/audit/verify.ts')).toThrow(/not a TypeScript source/);
  });

  it('runs the sources with tsx and the "source" condition, and nothing else', () => {
    const args = runtimeArgs('gateway/src/main.ts', 'source');
    expect(args.slice(0, 3)).toEqual(['--import', 'tsx', '--conditions=source']);
    expect(args[3]).toMatch(/gateway\/src\/main\.ts$/);
  });

  it('defaults to the sources, and to the build when TEST_PROCESS_RUNTIME says compiled', () => {
    expect(defaultRuntime({})).toBe('source');
    expect(defaultRuntime({ TEST_PROCESS_RUNTIME: '' })).toBe('source');
    expect(defaultRuntime({ TEST_PROCESS_RUNTIME: 'compiled' })).toBe('compiled');
    expect(defaultRuntime({ TEST_PROCESS_RUNTIME: 'source' })).toBe('source');
    expect(() => defaultRuntime({ TEST_PROCESS_RUNTIME: 'bun' })).toThrow(/expected source or compiled/);
  });
});

describe('startProcess', () => {
  it('fails as soon as the process exits before it is ready, with its output, not at the timeout', async () => {
    const failure = await startProcess({
      name: 'broken',
      entry: 'packages/testing/src/fixtures/exits-at-start.ts',
      env: {},
      runtime: 'source',
      readyTimeoutMs: 600_000,
    }).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(failure?.message).toMatch(/broken exited with 3 before it was ready/);
    expect(failure?.message).not.toMatch(/timed out/);
    expect(failure?.message).toContain('invalid configuration: nothing here');
  }, 60_000);
});

// pgAnswers, the integration run's probe of PostgreSQL, against fake servers that answer the
// startup message with an error: a server whose connection slots are all taken (SQLSTATE 53300)
// is up; one that refuses for another reason, or nobody listening, is not. postgres.mjs is an ES
// module, which jest's CommonJS runtime cannot import: a node child runs it (asynchronously, so
// that the fake server in this process can answer it).
import { execFile } from 'node:child_process';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const MODULE = resolve(__dirname, 'postgres.mjs');

async function pgAnswers(url: string): Promise<string | undefined> {
  const { stdout } = await promisify(execFile)(process.execPath, [
    '--input-type=module',
    '-e',
    `import { pgAnswers } from ${JSON.stringify(MODULE)};
     process.stdout.write(JSON.stringify({ error: (await pgAnswers(${JSON.stringify(url)}, 2000)) ?? null }));`,
  ]);
  return (JSON.parse(stdout) as { error: string | null }).error ?? undefined;
}

/** An ErrorResponse message: each field a type byte and a NUL-ended string, then a NUL. */
function errorResponse(fields: Record<string, string>): Buffer {
  const body = Buffer.concat([
    ...Object.entries(fields).map(([type, value]) => Buffer.from(`${type}${value}\0`, 'utf8')),
    Buffer.from([0]),
  ]);
  const length = Buffer.alloc(4);
  length.writeInt32BE(body.length + 4);
  return Buffer.concat([Buffer.from('E'), length, body]);
}

/** A server that answers any startup message with this error, then closes. */
async function refusing(code: string, message: string): Promise<{ url: string; server: Server }> {
  const server = createServer((socket) => {
    socket.once('data', () => {
      socket.end(errorResponse({ S: 'FATAL', V: 'FATAL', C: code, M: message }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `postgres://probe@127.0.0.1:${port}/probe`, server };
}

describe('pgAnswers', () => {
  const servers: Server[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });

  it('calls a server whose connection slots are all taken up (53300)', async () => {
    const { url, server } = await refusing('53300', 'sorry, too many clients already');
    servers.push(server);
    expect(await pgAnswers(url)).toBeUndefined();
  });

  it('reports a server refusing for another reason, with its message', async () => {
    const { url, server } = await refusing('57P03', 'the database system is shutting down');
    servers.push(server);
    expect(await pgAnswers(url)).toBe('the database system is shutting down');
  });

  it('reports nobody listening', async () => {
    const { url, server } = await refusing('53300', 'unused');
    await new Promise((r) => server.close(r));
    expect(await pgAnswers(url)).toMatch(/ECONNREFUSED/);
  });
});

import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { pageAssets } from './page-assets';

/** What a response was given: its status, headers and body. */
function response() {
  const sent: { status?: number; headers?: OutgoingHttpHeaders; body?: Buffer } = {};
  const res = {
    writeHead(status: number, headers: OutgoingHttpHeaders) {
      sent.status = status;
      sent.headers = headers;
      return this;
    },
    end(body: Buffer) {
      sent.body = body;
      return this;
    },
  } as unknown as ServerResponse;
  return { res, sent };
}

const serve = pageAssets({
  'graphiql.css': { pkg: 'graphiql', file: 'graphiql.min.css', type: 'text/css' },
  'init.js': { type: 'text/javascript', body: "console.log('ready');\n" },
});

describe('pageAssets (the files of the offline pages)', () => {
  it("serves a package's file with its type, cached by the browser, and the caller's headers", () => {
    const { res, sent } = response();
    expect(serve('graphiql.css', res, { 'x-frame-options': 'DENY' })).toBe(true);
    expect(sent.status).toBe(200);
    expect(sent.headers).toEqual({
      'x-frame-options': 'DENY',
      'content-type': 'text/css; charset=utf-8',
      'cache-control': 'public, max-age=3600',
    });
    expect(sent.body!.toString('utf8')).toContain('.graphiql-container');
  });

  it('serves text made here as it is', () => {
    const { res, sent } = response();
    expect(serve('init.js', res)).toBe(true);
    expect(sent.body!.toString('utf8')).toBe("console.log('ready');\n");
    expect(sent.headers!['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it("answers false, and sends nothing, for a name it does not hold (the prototype's included)", () => {
    for (const name of ['missing.js', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const { res, sent } = response();
      expect(serve(name, res)).toBe(false);
      expect(sent).toEqual({});
    }
  });
});

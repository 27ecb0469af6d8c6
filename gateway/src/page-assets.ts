// The files of the pages the gateway serves from npm packages (the explorer's GraphiQL, the REST
// reference's Swagger UI): no CDN, the machines running it may have no internet. Each file is
// read from its package once, on its first request, and kept.
import { readFileSync } from 'node:fs';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';

export interface PageAsset {
  /** the MIME type it is served as (UTF-8) */
  type: string;
  /** a file of a package, by the package's folder (UMD bundles are not in packages' "exports") */
  pkg?: string;
  file?: string;
  /** or text made here */
  body?: string;
}

/**
 * Serves the asset `name` of `assets` (200, cached an hour by the browser) and answers true;
 * false for a name it does not hold, so the caller answers 404 as for any unknown path.
 */
export function pageAssets(
  assets: Record<string, PageAsset>,
): (name: string, res: ServerResponse, headers?: OutgoingHttpHeaders) => boolean {
  const read = new Map<string, Buffer>();
  return (name, res, headers = {}) => {
    // own names only: a path naming "constructor" or "__proto__" is not an asset
    const spec = Object.hasOwn(assets, name) ? assets[name] : undefined;
    if (!spec) return false;
    let body = read.get(name);
    if (!body) {
      body =
        spec.body !== undefined
          ? Buffer.from(spec.body)
          : readFileSync(join(dirname(require.resolve(`${spec.pkg}/package.json`)), spec.file!));
      read.set(name, body);
    }
    res.writeHead(200, {
      ...headers,
      'content-type': `${spec.type}; charset=utf-8`,
      'cache-control': 'public, max-age=3600',
    });
    res.end(body);
    return true;
  };
}

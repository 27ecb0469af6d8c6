// The reference page of the REST facade, /api/v1/docs: Swagger UI from its package in
// node_modules (swagger-ui-dist: no CDN, the machines running it may have no internet) over
// /api/v1/openapi.json, under the web pages' strict CSP (web.ts securityHeaders): no inline
// script, so the page's one line of set-up is a file of its own (/api/v1/docs/init.js).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pageAssets } from '../page-assets';
import { securityHeaders } from '../web';

export const DOCS_PATH = '/api/v1/docs';
export const OPENAPI_PATH = '/api/v1/openapi.json';

const serveAsset = pageAssets({
  'swagger-ui.css': { pkg: 'swagger-ui-dist', file: 'swagger-ui.css', type: 'text/css' },
  'swagger-ui-bundle.js': { pkg: 'swagger-ui-dist', file: 'swagger-ui-bundle.js', type: 'text/javascript' },
  'init.js': {
    type: 'text/javascript',
    body: `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '${OPENAPI_PATH}',
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: false,
    tryItOutEnabled: false,
  });
});
`,
  },
});

const PAGE = `<!doctype html>
<html lang="fr">
<head>
  <meta charset="utf-8" />
  <title>Claims CRM · API REST</title>
  <link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css" />
</head>
<body>
  <div id="swagger-ui">Chargement…</div>
  <script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
  <script src="${DOCS_PATH}/init.js"></script>
</body>
</html>
`;

/** Serves /api/v1/docs and its assets; false for any other path. */
export function serveDocs(req: IncomingMessage, res: ServerResponse, pathname: string): boolean {
  const headers = securityHeaders(req.headers.host);
  if (pathname === DOCS_PATH || pathname === `${DOCS_PATH}/`) {
    res.writeHead(200, {
      ...headers,
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
    });
    res.end(PAGE);
    return true;
  }
  const prefix = `${DOCS_PATH}/`;
  if (!pathname.startsWith(prefix)) return false;
  return serveAsset(pathname.slice(prefix.length), res, headers);
}

// An offline GraphQL explorer served by the gateway: GraphiQL 3 with React 18, from their
// UMD bundles in node_modules (no CDN: the machines running it may have no internet).
// Development only: production turns it off with introspection.
import type { ServerResponse } from 'node:http';
import { pageAssets } from './page-assets';

const serveAsset = pageAssets({
  'react.js': { pkg: 'react', file: 'umd/react.production.min.js', type: 'text/javascript' },
  'react-dom.js': { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', type: 'text/javascript' },
  'graphiql.js': { pkg: 'graphiql', file: 'graphiql.min.js', type: 'text/javascript' },
  'graphiql.css': { pkg: 'graphiql', file: 'graphiql.min.css', type: 'text/css' },
});

const PAGE = `<!doctype html>
<html lang="fr">
<head>
  <meta charset="utf-8" />
  <title>Claims CRM · explorer</title>
  <link rel="stylesheet" href="/explorer/assets/graphiql.css" />
  <style>body { margin: 0; height: 100vh; } #explorer { height: 100vh; }</style>
</head>
<body>
  <div id="explorer">Chargement…</div>
  <script src="/explorer/assets/react.js"></script>
  <script src="/explorer/assets/react-dom.js"></script>
  <script src="/explorer/assets/graphiql.js"></script>
  <script>
    // the token comes from the URL fragment (never sent to a server) or the last session
    const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
    if (fromHash) { localStorage.setItem('crm-token', fromHash); history.replaceState(null, '', location.pathname); }
    const token = localStorage.getItem('crm-token') || '';
    const fetcher = GraphiQL.createFetcher({ url: '/graphql', headers: token ? { authorization: 'Bearer ' + token } : {} });
    const defaultQuery = [
      '# Un dossier client complet, résolu par cinq sous-graphes',
      '{',
      '  clientByMatricule(matricule: "AB-123-CD") {',
      '    firstName lastName',
      '    contracts { contractNumber type status }',
      '    claims(first: 5) { edges { node {',
      '      claimNumber type cciScore status handling',
      '      messages(last: 4) { role text }',
      '      reimbursements { amountClaimed status }',
      '      escalation { status reasons advisor { name } }',
      '    } } }',
      '  }',
      '}',
    ].join('\\n');
    ReactDOM.createRoot(document.getElementById('explorer')).render(
      React.createElement(GraphiQL, { fetcher, defaultQuery, defaultEditorToolsVisibility: false }),
    );
  </script>
</body>
</html>`;

/** Serves /explorer and /explorer/assets/*; returns false for any other path. */
export function serveExplorer(pathname: string, res: ServerResponse): boolean {
  if (pathname === '/explorer' || pathname === '/explorer/') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(PAGE);
    return true;
  }
  const match = /^\/explorer\/assets\/([a-z-]+\.(?:js|css))$/.exec(pathname);
  return match?.[1] !== undefined && serveAsset(match[1], res);
}

// Architecture boundaries (docs/architecture.md, The shape), checked by `npm run lint`:
// no service reaches into another service, packages never depend on services or the
// gateway, and the gateway talks to subgraphs over HTTP only.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cross-service-imports',
      comment:
        'A service reads another domain by federation and reacts to it by events, never by importing its code.',
      severity: 'error',
      from: { path: '^services/([^/]+)/' },
      to: { path: '^services/([^/]+)/', pathNot: '^services/$1/' },
    },
    {
      name: 'packages-are-infrastructure',
      comment:
        'Shared packages hold infrastructure and contracts; they never depend on a service or the gateway.',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^(services|gateway)/' },
    },
    {
      name: 'gateway-does-not-import-services',
      comment: 'The gateway reaches subgraphs over HTTP through the supergraph.',
      severity: 'error',
      from: { path: '^gateway/' },
      to: { path: '^services/' },
    },
    {
      name: 'services-do-not-import-the-gateway',
      severity: 'error',
      from: { path: '^services/' },
      to: { path: '^gateway/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['source', 'import', 'require', 'node', 'default'],
    },
    combinedDependencies: true,
  },
};

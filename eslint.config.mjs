// Type-aware lint for every workspace (typescript-eslint's project service), plain lint for
// the .mjs/.js tooling. Formatting is Prettier's job (eslint-config-prettier turns off
// the stylistic rules).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '.cache/**',
      'coverage/**',
      '.data/**',
      'schemas/**',
      'services/*/src/generated/**',
      'services/*/test/generated/**',
      'tools/skeleton/service/src/generated/**',
      'tools/skeleton/service/test/generated/**',
      'web/src/generated/**',
    ],
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      'no-console': 'error',
      eqeqeq: ['error', 'smart'],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@apollo/gateway/dist/*', '@apollo/federation-internals', '@apollo/query-planner'],
              message:
                "not Apollo's public API: use gateway/src/apollo-internals.ts, the one module that reaches it (pinned, tested)",
            },
          ],
        },
      ],
    },
  },
  {
    // a service raises only the codes its src/errors.ts declares (typed factories of defineErrors)
    files: ['services/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='DomainError']",
          message: "raise a declared code with the service's factory from src/errors.ts (defineErrors)",
        },
      ],
    },
  },
  {
    // the one module allowed to reach Apollo's internals
    files: ['gateway/src/apollo-internals.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // tests may use jest's loose matchers on unknown values
    files: ['**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // the front ends: browser globals, React's hook rules, and every operation a typed document
    // (graphql() from web/src/generated: its types come from the supergraph, issue 16)
    files: ['web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'urql',
              importNames: ['gql'],
              message: 'write operations with graphql() from ../generated',
            },
            {
              name: '@urql/core',
              importNames: ['gql'],
              message: 'write operations with graphql() from ../generated',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "Property[key.name='query'] > :matches(Literal, TemplateLiteral)",
          message: 'an operation is a typed document: graphql() from ../generated, not a string',
        },
      ],
    },
  },
  {
    // command-line tools and benchmarks print to the terminal by design
    files: ['tools/**', 'bench/**', '**/src/cli/**', '**/*.cli.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    extends: [js.configs.recommended],
    languageOptions: { globals: { ...globals.node } },
    rules: { 'no-unused-vars': ['error', { argsIgnorePattern: '^_' }] },
  },
  prettier,
);

import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, argsIgnorePattern: '^_' }],
      // Key material must never be persisted in web storage.
      'no-restricted-properties': [
        'error',
        { object: 'localStorage', message: 'Nothing of the user’s may go to localStorage (DESIGN §3).' },
        { object: 'sessionStorage', message: 'Nothing of the user’s may go to sessionStorage (DESIGN §3).' },
      ],
    },
  },
  {
    // The crypto core stays isomorphic: no DOM-only or Node-only imports.
    files: ['lib/crypto/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'next/*', 'react', 'react-dom', '@/lib/server/*', '@/lib/client/*'], message: 'lib/crypto is isomorphic WebCrypto code.' }] }],
    },
  },
  {
    // The e-invoice module runs unchanged in the browser and in Node (tests, CLI): no Node, DOM or app imports.
    files: ['lib/einvoice/**/*.ts'],
    ignores: ['lib/einvoice/**/*.test.ts', 'lib/einvoice/test-samples.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'next/*', 'react', 'react-dom', '@/lib/server/*', '@/lib/client/*'], message: 'lib/einvoice is isomorphic.' }] }],
    },
  },
  {
    // The server may only verify (DESIGN §2): lib/crypto/verify.ts is its one way into the crypto core.
    files: ['lib/server/**/*.ts', 'app/api/**/*.ts', 'lib/db/**/*.ts', 'scripts/**/*.{ts,mjs}'],
    ignores: ['**/*.test.ts', 'lib/server/test-people.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(@/lib/crypto|(\\.\\./)+(lib/)?crypto)(/(?!verify$).*)?$',
              message: 'The server imports from lib/crypto only through @/lib/crypto/verify (verify-only; DESIGN §2). Add a verify function there if it needs one.',
            },
            { group: ['@/lib/client/*', '@/lib/client'], message: 'Browser code that holds keys never runs on the server.' },
          ],
        },
      ],
    },
  },
  {
    // Playwright fixtures call `use`, which is not React's hook.
    files: ['e2e/**/*.ts'],
    rules: { 'react-hooks/rules-of-hooks': 'off' },
  },
  globalIgnores(['.next/**', 'node_modules/**', 'drizzle/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts', '.data/**']),
]);

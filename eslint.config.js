import js from '@eslint/js'
import jest from 'eslint-plugin-jest'
import { defineConfig } from 'eslint/config'
import tseslint from 'typescript-eslint'

export default defineConfig(
  {
    ignores: ['dist/', 'node_modules/', 'coverage/', '.bench-build/', 'reports/', '.stryker-tmp/']
  },
  js.configs.recommended,
  // Type-aware rules for the TypeScript: they see what a value's type is (a promise left floating,
  // an `any` passed on, a condition that is always true), which the syntax-only rules cannot.
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname }
    }
  },
  // The JavaScript (scripts, configs) is not in a TypeScript project: syntax-only rules there.
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.recommended]
  },
  {
    files: ['__tests__/**/*.ts'],
    extends: [jest.configs['flat/recommended']],
    rules: {
      // Checks every test shares run in hooks: each request against Datafold's spec (afterEach),
      // the bundle's build settings (beforeAll). An expect anywhere else outside a test still fails.
      'jest/no-standalone-expect': [
        'error',
        { additionalTestBlockFunctions: ['beforeAll', 'afterEach'] }
      ],
      // fast-check's fc.assert fails the test with the counterexample, like an expect; a helper
      // named expect… (expectRefused) is a set of expects shared by several tests.
      'jest/expect-expect': ['error', { assertFunctionNames: ['expect*', 'fc.assert'] }]
    }
  },
  {
    // Off in tests only: fakes of the async ports (a client, a transport, run()) are written
    // `async` so that a throw inside them becomes a rejected promise, as from the real port;
    // without `async` the same fake would throw synchronously and test something else.
    files: ['__tests__/**/*.ts', '__fixtures__/**/*.ts'],
    rules: { '@typescript-eslint/require-await': 'off' }
  },
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly'
      }
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }
      ]
    }
  },
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable' }
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' }
  }
)

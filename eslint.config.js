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
    extends: [jest.configs['flat/recommended']]
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

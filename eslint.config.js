import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
const noRelativeLibs = {
  group: ['**/libs/*', '../../libs/**', '../../../libs/**'],
  message: 'Import libs by alias (@ketenpoort/x).',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.data/**', 'data/**', 'test/artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
  // Boundaries (STYLE.md §4): libs never import apps, apps never import each other,
  // the register never holds pseudonymisation keys or decides releases, domain code never touches TypeORM.
  {
    files: ['libs/**/*.ts'],
    rules: restrict([
      {
        group: ['**/apps/**', '@ketenpoort/gateway*', '@ketenpoort/register*'],
        message: 'libs never import apps.',
      },
      noRelativeLibs,
    ]),
  },
  {
    files: ['libs/{signal-contract,pseudonymisation,policy,audit,pki,logging}/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: restrict([
      {
        group: ['typeorm', '@nestjs/typeorm', 'pg', '@ketenpoort/persistence'],
        message: 'Only persistence and infrastructure/ touch the database.',
      },
      { group: ['@nestjs/*', 'express'], message: 'Libraries know nothing of HTTP or Nest.' },
    ]),
  },
  {
    files: ['apps/gateway/**/*.ts'],
    rules: restrict([
      {
        group: ['**/apps/register/**', '**/register/src/**'],
        message: 'gateway and register talk over HTTP only.',
      },
      noRelativeLibs,
    ]),
  },
  {
    files: ['apps/register/**/*.ts'],
    rules: restrict([
      {
        group: ['**/apps/gateway/**', '**/gateway/src/**'],
        message: 'gateway and register talk over HTTP only.',
      },
      {
        group: ['@ketenpoort/pseudonymisation', '@ketenpoort/policy'],
        message: 'The register cannot hold the keys or decide releases.',
      },
      noRelativeLibs,
    ]),
  },
  {
    files: ['apps/*/src/**/*.ts'],
    ignores: [
      'apps/*/src/**/infrastructure/**',
      'apps/*/src/**/*.module.ts',
      'apps/*/src/**/*.spec.ts',
      'apps/*/src/main.ts',
      'apps/cli/**',
    ],
    rules: restrict([
      {
        group: ['typeorm', '@nestjs/typeorm', 'pg'],
        message: 'Only persistence and infrastructure/ folders touch the database.',
      },
      noRelativeLibs,
    ]),
  },
);

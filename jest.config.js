/** Jest in ESM mode (Nest 12 and jose 6 are ESM-only); see README "Toolchain". */
const libs = [
  'signal-contract',
  'pseudonymisation',
  'policy',
  'audit',
  'pki',
  'persistence',
  'logging',
  'testing',
];

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  moduleNameMapper: {
    ...Object.fromEntries(libs.map((lib) => [`^@ketenpoort/${lib}$`, `<rootDir>/libs/${lib}/src/index.ts`])),
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: ['<rootDir>/{apps,libs,test}/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 60000,
  maxWorkers: 2,
};

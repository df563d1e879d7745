// ESM + TypeScript through ts-jest, as actions/typescript-action does.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: [151002] } }] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 600000,
  maxWorkers: 1,
  verbose: true,
};

// Jest loads Nest 12's ESM-only packages through @swc/jest (Node 20 has no ESM VM modules by default).
const swcrc = { ...require('./swc-jest.config.js') };
const esmOnly = ['@nestjs', '@nats-io', 'jose', 'file-type', 'strtok3', 'token-types', 'uint8array-extras', 'load-esm', '@tokenizer', 'nestjs-pino'];
const base = {
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', swcrc] },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  moduleNameMapper: {
    '^@app/(contracts|messaging|database|common|testing|devstack|matching-engine)$': '<rootDir>/libs/$1/src/index.ts',
  },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  testEnvironment: 'node',
  setupFiles: ['reflect-metadata'],
};
module.exports = {
  // Global, not per project: Jest ignores testTimeout inside `projects`. End-to-end tests
  // start processes and wait for events, so they get a minute.
  testTimeout: 60000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,test}/**/*.spec.ts'] },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,test}/**/*.{int,e2e}-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
    },
  ],
};

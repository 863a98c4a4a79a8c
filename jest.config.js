/**
 * Unit and in-process tests (the real-n8n suite runs separately: npm run test:e2e).
 *
 * Two projects: every test with the zod this package compiles against (3.25.67,
 * what n8n ships today), and the validation tests again with zod 4 (the `zod4`
 * devDependency, an npm alias of zod 4.x) in place of every `zod` import, since
 * the nodes use whichever zod n8n ships at run time.
 */
const base = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
};

/** The tests that exercise the zod schemas (and nothing else that imports zod, such as n8n-core). */
const ZOD_TESTS = [
	'<rootDir>/test/TartanResend/searchTypes.test.ts',
	'<rootDir>/test/TartanSyncCallback/payload.test.ts',
	'<rootDir>/test/shared/validation.test.ts',
];

module.exports = {
	projects: [
		{
			...base,
			displayName: 'zod 3',
			testMatch: ['**/*.test.ts'],
			testPathIgnorePatterns: ['/node_modules/', '\\.zod4\\.test\\.ts$'],
		},
		{
			...base,
			displayName: 'zod 4',
			testMatch: [...ZOD_TESTS, '<rootDir>/test/**/*.zod4.test.ts'],
			moduleNameMapper: { '^zod$': 'zod4', '^zod/(.*)$': 'zod4/$1' },
		},
	],
};

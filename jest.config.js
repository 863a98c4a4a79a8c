/** Unit and in-process tests (the real-n8n suite runs separately: npm run test:e2e). */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
};

/** Registers the services n8n-core's execution engine resolves from `@n8n/di` (idempotent). */
export declare function setupN8nCoreContainer(): void;

/** What n8n-core handed to its ErrorReporter (Sentry in a real n8n) during this test process. */
export declare const reportedErrors: Array<{
	level: 'error' | 'warning' | 'info';
	error: unknown;
	options?: unknown;
}>;

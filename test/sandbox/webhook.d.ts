/// <reference types="node" />

export interface FixtureInfo {
	/** File name without .json, e.g. "employee-add-initial". */
	name: string;
	/** The payload's `event`, e.g. "sync.events.employee.add". */
	event: string;
	eventType: string | null;
}

export interface Fixture extends FixtureInfo {
	/** The file's exact bytes (what gets signed and sent). */
	bytes: Buffer;
	json: Record<string, unknown>;
}

export interface SendSignedWebhookOptions {
	/** Fixture name ("employee-update") or event name ("sync.events.employee.update"). */
	fixture?: string;
	/** Buffer/Uint8Array/string sent as is; anything else JSON.stringify-ed. */
	payload?: unknown;
	/** Signing key; defaults to SANDBOX_CREDENTIALS.appSecretKey. */
	appSecretKey?: string;
	/** Send this tartan-signature instead of computing one. */
	signature?: string;
	/** Extra/overriding request headers. */
	headers?: Record<string, string>;
	/** Send no tartan-signature header at all. */
	omitSignature?: boolean;
	/** Abort after this many ms (default 30000). */
	timeoutMs?: number;
}

export interface WebhookResponse {
	status: number;
	headers: Record<string, string>;
	/** Response body as text. */
	body: string;
	/** Parsed JSON body, or null. */
	json: unknown;
}

/** HMAC-SHA256 hex (lower case) of the raw bytes keyed with the UTF-8 app key, as in Tartan's Python snippet. */
export declare function sign(appSecretKey: string, bytes: Buffer | Uint8Array | string): string;
export declare function sendSignedWebhook(url: string, options: SendSignedWebhookOptions): Promise<WebhookResponse>;
export declare function listFixtures(): FixtureInfo[];
export declare function loadFixture(nameOrEvent: string): Fixture;
/** Fixture name for a fixture or event name (first by name when an event has several), or null. */
export declare function resolveFixtureName(nameOrEvent: string): string | null;
export declare const FIXTURES_DIR: string;
export declare const SIGNATURE_HEADER: 'tartan-signature';

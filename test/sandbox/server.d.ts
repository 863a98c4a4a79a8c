/// <reference types="node" />
import type { SandboxCredentials } from './credentials';

export type { SandboxCredentials } from './credentials';
export { SANDBOX_CREDENTIALS } from './credentials';

/** `resend` = POST /api/webhooks/resend, `callback` = POST /api/external/sync/callback, `other` = anything else (404). */
export type SandboxRoute = 'resend' | 'callback' | 'employees' | 'other';

export interface MultipartField {
	name: string;
	value: string;
}

export interface MultipartFile {
	name: string;
	filename: string;
	mimeType: string;
	data: Buffer;
}

export type MultipartPart = MultipartField | MultipartFile;

export interface RecordedResponse {
	/** HTTP status sent; null when the request was dropped. */
	status: number | null;
	/** Body sent: the JSON object, a scripted string/Buffer, or null. */
	body: unknown;
	/** True when a `{ drop: true }` step destroyed the socket. */
	dropped?: boolean;
	/** True when the answer came from a script step. */
	scripted?: boolean;
}

export interface RecordedRequest {
	route: SandboxRoute;
	method: string;
	/** Pathname only (no query string). */
	path: string;
	/** The request target as received (path and query). */
	url: string;
	/** Header names lower-case, as node:http receives them. Secrets included: these records never leave the process. */
	headers: Record<string, string | string[] | undefined>;
	rawBody: Buffer;
	/** Parsed JSON (non-multipart bodies), or null. */
	body: unknown;
	/** Multipart parts in arrival order (busboy), or null when not multipart. */
	parts: MultipartPart[] | null;
	receivedAt: Date;
	/** Filled when answered (or dropped); null while in flight. */
	response: RecordedResponse | null;
}

/** A scripted answer: a status (optionally delayed), a dropped connection, or just a delay before normal behaviour. */
export type ScriptStep =
	| {
			status: number;
			/** Extra response headers, e.g. `{ 'retry-after': '1' }`. */
			headers?: Record<string, string>;
			/** Object -> JSON, string/Buffer -> sent as is, null -> empty body. Default: `{ success, message }`. */
			body?: unknown;
			delayMs?: number;
	  }
	| { drop: true; delayMs?: number }
	| { delayMs: number };

export interface StartSandboxOptions {
	/** 0 (default) picks a free port. */
	port?: number;
	/** Default 127.0.0.1. */
	host?: string;
	/** Merged over SANDBOX_CREDENTIALS. */
	credentials?: Partial<SandboxCredentials>;
	/** Called after every answered or dropped request. */
	onResponse?: (record: RecordedRequest) => void;
}

export interface Sandbox {
	/** e.g. http://127.0.0.1:PORT (no trailing slash). */
	readonly url: string;
	readonly host: string;
	readonly port: number;
	readonly credentials: Readonly<SandboxCredentials>;
	/** Every request received, in arrival order (the same array across reset()). */
	readonly requests: RecordedRequest[];
	requestsFor(route: SandboxRoute): RecordedRequest[];
	/** Queues steps; each request on `route` consumes one before normal behaviour resumes. */
	script(route: SandboxRoute, steps: ScriptStep | ScriptStep[]): void;
	/** Delay (ms) added before every answer on `route`. */
	setLatency(route: SandboxRoute, ms: number): void;
	/** Clears recorded requests, scripts and latency. */
	reset(): void;
	/** Stops listening and destroys open connections. */
	close(): Promise<void>;
}

export declare function startSandbox(options?: StartSandboxOptions): Promise<Sandbox>;

export declare const ROUTES: Readonly<{
	resend: Readonly<{ method: 'POST'; path: '/api/webhooks/resend' }>;
	callback: Readonly<{ method: 'POST'; path: '/api/external/sync/callback' }>;
}>;

export declare const MAX_BODY_BYTES: number;

export declare const MESSAGES: Readonly<{
	unauthorized: string;
	callbackSuccess: string;
	notFound: string;
	bodyRequired: string;
	invalidJson: string;
	tooLarge: string;
	resendMediaType: string;
	callbackMediaType: string;
	badMultipart: string;
}>;

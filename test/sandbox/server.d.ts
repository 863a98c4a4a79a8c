/// <reference types="node" />
import type { SandboxCredentials } from './credentials';
import type { TartanSender, TartanSenderOptions, DeliverySummary } from './sender';

export type { SandboxCredentials } from './credentials';
export { SANDBOX_CREDENTIALS } from './credentials';

/**
 * `resend` = POST /api/webhooks/resend, `callback` = POST /api/external/sync/callback,
 * `employees` = GET /api/v2/employee_list, `sink` = GET/POST /sink/records,
 * `control` = POST /sandbox/sessions, POST /sandbox/end-of-day, GET /sandbox/deliveries,
 * `other` = anything else (404).
 */
export type SandboxRoute = 'resend' | 'callback' | 'employees' | 'sink' | 'control' | 'other';

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
	/** True when a sinkFault answered (status) or hung up (dropped). */
	fault?: boolean;
	/** True when the client had gone before the sink could answer (nothing recorded). */
	aborted?: boolean;
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
	/** URL the sending side delivers webhooks to (sandbox.sender.url; can be set later). */
	deliverTo?: string | null;
	/** Options of sandbox.sender (it signs with credentials.appSecretKey). */
	sender?: Omit<TartanSenderOptions, 'appSecretKey' | 'url'>;
}

/** A fault applied to every sink request while set. */
export type SinkFault = null | { status: number } | { hangMs: number };

export interface SinkRecord {
	/** Accepted POSTs (answered 200). */
	received: number;
	/** Accepted POSTs whose idempotency key was new (or that had none). */
	applied: number;
}

export interface SinkSummary {
	/** Distinct record keys. */
	records: number;
	received: number;
	applied: number;
	/** Expected keys applied 0 times (empty without expectedKeys). */
	missing: string[];
	/** Keys applied more than once. */
	duplicated: string[];
	/** Keys received more than once. */
	redundantReceipts: string[];
	/** Only with expectedKeys: recorded keys not expected. */
	unexpected?: string[];
}

export interface Sink {
	/** recordKey (`${syncSessionId}|${event}|${employeeId or id}`) -> counts. */
	readonly records: Map<string, SinkRecord>;
	accept(recordKey: string, idempotencyKey?: string): boolean;
	summary(expectedKeys?: Iterable<string>): SinkSummary;
	/** Forgets records and idempotency keys. */
	reset(): void;
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
	/** Tartan's sending side: delivery log, endOfDay(), resend(body). */
	readonly sender: TartanSender;
	/** The target-system sink behind POST /sink/records. */
	readonly sink: Sink;
	/** Sets (or with null clears) a fault for every sink request. */
	sinkFault(mode: SinkFault): void;
	/** Re-deliveries started by valid POST /api/webhooks/resend requests, until they finish. */
	readonly pendingResends: Set<Promise<DeliverySummary | undefined>>;
	/** Messages of background deliveries that could not run (e.g. no delivery URL). */
	readonly backgroundErrors: string[];
	/** Resolves once every background delivery (resends, sessions, end of day) has finished. */
	idle(): Promise<void>;
	/** Clears recorded requests, scripts, latency, the sink and its fault (not the delivery log: sender.clear()). */
	reset(): void;
	/** Aborts deliveries in flight, stops listening and destroys open connections. */
	close(): Promise<void>;
}

export declare function startSandbox(options?: StartSandboxOptions): Promise<Sandbox>;

export declare const ROUTES: Readonly<{
	resend: Readonly<{ method: 'POST'; path: '/api/webhooks/resend' }>;
	callback: Readonly<{ method: 'POST'; path: '/api/external/sync/callback' }>;
	employees: Readonly<{ method: 'GET'; path: '/api/v2/employee_list' }>;
}>;

/** The sandbox-only routes (sink, control), answered to loopback clients only. */
export declare const LOCAL_ROUTES: ReadonlyArray<Readonly<{ route: 'sink' | 'control'; method: 'GET' | 'POST'; path: string }>>;
export declare const ROUTE_NAMES: readonly SandboxRoute[];
export declare const SINK_PATH: '/sink/records';
export declare function createSink(): Sink;
/** True for 127.0.0.0/8 and ::1 (also IPv4-mapped). */
export declare function isLoopback(address: string | undefined): boolean;

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
	loopbackOnly: string;
	sinkBody: string;
	sinkKey: string;
	noDeliveryUrl: string;
}>;

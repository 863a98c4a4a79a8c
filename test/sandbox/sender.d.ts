/// <reference types="node" />

/** An http.Agent or https.Agent (typed loosely: the n8n lint forbids importing node:http in declarations). */
export type HttpAgent = object;

/** What generateSession makes: one webhook as Tartan sends it. */
export interface TartanWebhook {
	/** uuid, one per webhook; a re-send keeps it. */
	requestId: string;
	syncSessionId: string;
	/** 1, 2, 3… within the session. */
	webhookCounter: number;
	orgId: string;
	event: string;
	/** When Tartan first sent it, epoch seconds (what time_range searches match). */
	requestTimestamp: number;
	/** The JSON object sent (envelope keys as in test/fixtures/webhooks). */
	payload: Record<string, unknown> & { body: unknown[] };
	/** The exact bytes sent and signed, on every attempt. */
	bytes: Buffer;
}

export type AddEventType = 'sync.events.delta' | 'sync.events.initial';

export interface GenerateSessionOptions {
	/** Default: a new uuid. */
	orgId?: string;
	/** The `vendor.orgId` key. Default: a new uuid. */
	vendorOrgId?: string;
	/** Default: a new uuid. */
	syncSessionId?: string;
	/** New employees (sync.events.employee.add records). Default 25. */
	adds?: number;
	/** Changed employees (sync.events.employee.update records): added ones first, then others. Default 0. */
	updates?: number;
	/** Records per webhook, 1 to 10. Default 10. */
	batchSize?: number;
	/** eventType of the add webhooks; `sync.events.initial` sends them with an empty timeStamp. Default delta. */
	eventType?: AddEventType;
	/** Also send connection.events.requested and connection.events.terminated. Default false. */
	connection?: boolean;
	/** A [0, 1) source; with seededRandom(seed) the whole session (uuids too) is reproducible. */
	random?: () => number;
	/** Epoch milliseconds, called once per webhook. Default Date.now. */
	clock?: () => number;
}

export type DeliveryKind = 'initial' | 'eod' | 'resend';

/** One delivery attempt: `status` when an answer came, else `error`. */
export interface DeliveryAttempt {
	/** Epoch ms when the attempt started. */
	at: number;
	kind: DeliveryKind;
	status?: number;
	/** 'timeout' | 'reset' | 'refused' | 'aborted' | an error code or message. */
	error?: string;
	/** Duration in ms. */
	ms: number;
}

export type DeliveryStatus = 'pending' | 'success' | 'fail';

export interface DeliveryLogEntry {
	webhook: TartanWebhook;
	attempts: DeliveryAttempt[];
	/** Outcome of the attempt that finished last; 'pending' before the first one finishes. */
	status: DeliveryStatus;
}

export interface DeliverySummary {
	attempted: number;
	succeeded: number;
	failed: number;
}

export interface DeliveryStats {
	webhooks: number;
	success: number;
	fail: number;
	pending: number;
	attempts: Record<DeliveryKind, number>;
}

/** GET /sandbox/deliveries' per-webhook view: no payload. */
export interface DeliveryView {
	requestId: string;
	syncSessionId: string;
	webhookCounter: number;
	event: string;
	status: DeliveryStatus;
	attempts: Array<{ kind: DeliveryKind; status?: number; error?: string }>;
}

/** A resend body as Tartan's Webhook Reconciliation API takes it (already validated). */
export type ResendBody = { search_type: string } & Record<string, unknown>;

export interface DeliveryLog {
	readonly entries: Map<string, DeliveryLogEntry>;
	add(webhook: TartanWebhook): DeliveryLogEntry;
	record(requestId: string, attempt: DeliveryAttempt): DeliveryLogEntry;
	select(body: ResendBody): TartanWebhook[];
	failed(): TartanWebhook[];
	stats(): DeliveryStats;
	clear(): void;
}

export interface TartanSenderOptions {
	/** Where webhooks go; may be set later through `sender.url`. */
	url?: string | null;
	/** Signing key (tartan-signature = HMAC-SHA256 hex of the bytes). */
	appSecretKey: string;
	/** Attempts in flight at once, across all calls. Default 8. */
	concurrency?: number;
	/** Per attempt, then it counts as error 'timeout'. Default 30000. */
	timeoutMs?: number;
	/** http(s).Agent for the requests; default false (a new connection per attempt, no keep-alive). */
	agent?: HttpAgent | false;
	/** Called after each attempt (never given the key; do not log the payload). */
	onAttempt?: (webhook: TartanWebhook, attempt: DeliveryAttempt) => void;
}

export declare class TartanSender {
	constructor(options: TartanSenderOptions);
	url: string | null;
	readonly concurrency: number;
	readonly timeoutMs: number;
	agent: HttpAgent | false;
	onAttempt?: (webhook: TartanWebhook, attempt: DeliveryAttempt) => void;
	readonly deliveryLog: DeliveryLog;
	/** requestId -> entry; a webhook enters when its first attempt starts, so `log.size` = webhooks whose delivery has started. */
	readonly log: Map<string, DeliveryLogEntry>;
	/** One attempt per webhook (kind 'initial' unless given); 2xx = success. */
	deliver(webhooks: Iterable<TartanWebhook>, options?: { kind?: DeliveryKind }): Promise<DeliverySummary>;
	/** The logged webhooks a resend body selects. */
	select(body: ResendBody): TartanWebhook[];
	/** Every webhook whose status is 'fail', delivered again (kind 'eod'). */
	endOfDay(): Promise<DeliverySummary>;
	/** select + deliver (kind 'resend'): same bytes, same requestId. */
	resend(body: ResendBody): Promise<DeliverySummary>;
	stats(): DeliveryStats;
	deliveries(): DeliveryView[];
	/** Empties the delivery log. */
	clear(): void;
	/** Aborts attempts in flight (error 'aborted'); later deliver calls reject. */
	close(): void;
}

/** mulberry32; a string seed is hashed first. */
export declare function seededRandom(seed: number | string): () => number;
/** A version-4 uuid from `random`'s bits. */
export declare function uuidFrom(random: () => number): string;
/** "YYYY-MM-DD HH:MM:SS" (UTC) from epoch seconds. */
export declare function formatTimestamp(epochSeconds: number): string;
export declare function generateSession(options?: GenerateSessionOptions): TartanWebhook[];
/** Throws a TypeError naming the first invalid option (all of adds, updates, batchSize, eventType, connection needed). */
export declare function checkSessionOptions(options: GenerateSessionOptions): void;
/** `${syncSessionId}|${event}|${employeeId ?? id ?? orgId}` from the top level or `webhook`; null when a part is missing. */
export declare function recordKeyOf(record: unknown): string | null;
/** Keys of the records of the given webhooks (default events: employee add and update). */
export declare function recordKeysOf(webhooks: Iterable<TartanWebhook>, options?: { events?: readonly string[] }): string[];
export declare function selectWebhooks(entries: Iterable<DeliveryLogEntry>, body: ResendBody): TartanWebhook[];
export declare function createDeliveryLog(): DeliveryLog;
/** search_type -> the fields it filters on: session, counter, status, time, org, request. */
export declare const SEARCH_TYPES: Readonly<Record<string, readonly string[]>>;
export declare const EMPLOYEE_EVENTS: readonly ['sync.events.employee.add', 'sync.events.employee.update'];
export declare const DELIVERY_KINDS: readonly DeliveryKind[];
export declare const MAX_RECORDS_PER_WEBHOOK: 10;

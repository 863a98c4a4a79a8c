'use strict';
/**
 * Tartan's sending side, for the local sandbox: synthetic sync sessions shaped
 * like the webhooks Tartan documents, a sender that signs and POSTs them, a
 * delivery log, the end-of-day re-send of failed webhooks and the selection
 * rules of webhook reconciliation (POST /api/webhooks/resend).
 *
 * From Tartan's public documentation (https://docs.hypersync.tartanhq.com):
 *  - Webhooks (introduction): each webhook is a JSON POST with
 *    `tartan-signature` = HMAC-SHA256 hex of the body, keyed with the app key;
 *    the envelope keys (syncSessionId, webhookCounter, requestId, orgId,
 *    vendor.orgId, event, eventType, recordCount, body, timeStamp, statusCode);
 *    "Tartan automatically re-triggers all failed webhooks at the end of the
 *    day (EOD)".
 *  - Webhook events (V2): the event names, at most 10 employee records per
 *    webhook, `timeStamp` empty on initial-sync events.
 *  - Webhook Reconciliation: the ten `search_type` values and their fields.
 *
 * Nothing here logs a payload or a key: an attempt keeps only its kind, time,
 * HTTP status or error class, and duration.
 */
const crypto = require('node:crypto');
const http = require('node:http');
const https = require('node:https');
const { sign, SIGNATURE_HEADER } = require('./webhook');

const MASK = '************';
const MAX_RECORDS_PER_WEBHOOK = 10;
const MAX_SESSION_RECORDS = 100000;
const EMPLOYEE_EVENTS = Object.freeze(['sync.events.employee.add', 'sync.events.employee.update']);
const ADD_EVENT_TYPES = Object.freeze(['sync.events.delta', 'sync.events.initial']);
const DELIVERY_KINDS = Object.freeze(['initial', 'eod', 'resend']);

const FIRST_NAMES = ['Asha', 'Bilal', 'Chen', 'Dara', 'Eitan', 'Farah', 'Gopal', 'Hana', 'Ilya', 'Jonas', 'Kavya', 'Lena'];
const MORE_FIRST_NAMES = ['Mateo', 'Nia', 'Omar', 'Priya', 'Quinn', 'Ravi', 'Sofía', 'Tomás', 'Uma', 'Vikram', 'Wen', 'Zoë'];
const LAST_NAMES = ['Example', 'Sample', 'Placeholder', 'Fictional', 'Testcase', 'Mockwala', 'Dummy', 'Specimen'];
const DESIGNATIONS = ['Engineer', 'Senior Engineer', 'Analyst', 'Designer', 'Manager', 'Recruiter', 'Accountant'];
const DEPARTMENTS = ['Engineering', 'Finance', 'People', 'Sales', 'Operations'];
const CITIES = ['Bengaluru', 'Pune', 'Chennai', 'Mumbai', 'Hyderabad'];

// ---------------------------------------------------------------- randomness

/** mulberry32: a small deterministic PRNG in [0, 1). A string seed is hashed (FNV-1a) first. */
function seededRandom(seed) {
	let state = typeof seed === 'string' ? fnv1a(seed) : Number(seed) >>> 0;
	return function random() {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function fnv1a(text) {
	let h = 0x811c9dc5;
	for (const ch of Buffer.from(text, 'utf8')) h = Math.imul(h ^ ch, 0x01000193) >>> 0;
	return h;
}

/** A version-4 UUID whose random bits come from `random`. */
function uuidFrom(random) {
	const b = Buffer.alloc(16);
	for (let i = 0; i < 16; i++) b[i] = Math.floor(random() * 256);
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	const hex = b.toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function makeRng(random) {
	if (random === undefined) return { random: Math.random, uuid: () => crypto.randomUUID() };
	if (typeof random !== 'function') throw new TypeError('random must be a function returning [0, 1)');
	return { random, uuid: () => uuidFrom(random) };
}

const pick = (rng, list) => list[Math.floor(rng.random() * list.length)];
const intBelow = (rng, n) => Math.floor(rng.random() * n);
const pad = (n, width = 2) => String(n).padStart(width, '0');

function isoDate(rng, fromYear, toYear) {
	const year = fromYear + intBelow(rng, toYear - fromYear + 1);
	return `${year}-${pad(1 + intBelow(rng, 12))}-${pad(1 + intBelow(rng, 28))}`;
}

/** Tartan's `timeStamp`: "YYYY-MM-DD HH:MM:SS" in UTC, from epoch seconds. */
function formatTimestamp(epochSeconds) {
	return new Date(epochSeconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

// ---------------------------------------------------------------- payloads

/** A synthetic employee record with the fields of Tartan's documented sample (masked ones stay masked). */
function employeeRecord(rng, id, employeeId) {
	const first = pick(rng, rng.random() < 0.5 ? FIRST_NAMES : MORE_FIRST_NAMES);
	const last = pick(rng, LAST_NAMES);
	return {
		name: `${first} ${last}`,
		email: `employee${employeeId}@example.com`,
		doj: isoDate(rng, 2015, 2024),
		status: 'Active',
		employmentType: pick(rng, ['Permanent', 'Contract']),
		gender: pick(rng, ['Male', 'Female', 'Other']),
		id,
		employeeId,
		dob: isoDate(rng, 1965, 2003),
		pan: MASK,
		personalEmail: `employee${employeeId}@example.org`,
		fatherName: `${pick(rng, FIRST_NAMES)} ${last}`,
		bloodGroup: pick(rng, ['A +ve', 'B +ve', 'O +ve', 'AB +ve', 'O -ve']),
		designation: pick(rng, DESIGNATIONS),
		department: pick(rng, DEPARTMENTS),
		mobileNumber: MASK,
		manager: `${pick(rng, MORE_FIRST_NAMES)} ${pick(rng, LAST_NAMES)}`,
		maritalStatus: pick(rng, ['Married', 'Single']),
		nationality: 'Indian',
		aadhar: MASK,
		uan: MASK,
		terminationDate: '',
		grade: pick(rng, ['D-1', 'D-2', 'D-3', 'E-1']),
		groupName: 'NOT AVAILABLE',
		costCenter: 'NOT AVAILABLE',
		managerEmail: `manager${intBelow(rng, 1000)}@example.com`,
		companyName: 'Example Corp',
		bankDetails: { accountNumber: MASK, ifscCode: MASK, bankName: pick(rng, ['SBI', 'HDFC', 'ICICI']) },
		currentAddress: { addressPincode: String(560001 + intBelow(rng, 99)), addressCity: pick(rng, CITIES) },
	};
}

/** The same employee with a changed designation (what an update webhook carries). */
function updatedRecord(rng, record) {
	const others = DESIGNATIONS.filter((d) => d !== record.designation);
	return { ...record, designation: pick(rng, others) };
}

/** The org object of a connection event, shaped like Tartan's documented terminated event. */
function orgRecord(rng, orgId, status) {
	return {
		orgId,
		orgName: `Example Org ${intBelow(rng, 10000)}`,
		orgCin: '',
		hrms: 1,
		status,
		invitedBy: status === 'CONNECTION_REQUESTED' ? 'hr@example.com' : null,
		acceptedBy: null,
		terminatedBy: status === 'CONNECTION_TERMINATED' ? 'admin@example.com' : null,
		remote_org_id: uuidFrom(rng.random).replace(/-/g, '').slice(0, 14),
	};
}

/** One webhook: the envelope in the key order of Tartan's examples, and its exact bytes. */
function makeWebhook(ctx, { event, eventType, recordCount, body, initialSync = false }) {
	const webhookCounter = ++ctx.counter;
	const requestId = ctx.rng.uuid();
	const requestTimestamp = Math.floor(ctx.clock() / 1000);
	const payload = {
		syncSessionId: ctx.syncSessionId,
		webhookCounter,
		requestId,
		orgId: ctx.orgId,
		'vendor.orgId': ctx.vendorOrgId,
		event,
		eventType,
		recordCount,
		body,
		timeStamp: initialSync ? '' : formatTimestamp(requestTimestamp),
		statusCode: '200',
		message: 'success',
	};
	const bytes = Buffer.from(JSON.stringify(payload), 'utf8');
	return { requestId, syncSessionId: ctx.syncSessionId, webhookCounter, orgId: ctx.orgId, event, requestTimestamp, payload, bytes };
}

function checkCount(name, value, min, max) {
	if (!Number.isInteger(value) || value < min || value > max) {
		throw new TypeError(`${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(value)})`);
	}
}

function checkOptionalId(name, value) {
	if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) {
		throw new TypeError(`${name} must be a non-empty string`);
	}
}

/** Throws a TypeError naming the first invalid generateSession option. */
function checkSessionOptions(o) {
	checkCount('adds', o.adds, 0, MAX_SESSION_RECORDS);
	checkCount('updates', o.updates, 0, MAX_SESSION_RECORDS);
	checkCount('batchSize', o.batchSize, 1, MAX_RECORDS_PER_WEBHOOK);
	if (!ADD_EVENT_TYPES.includes(o.eventType)) throw new TypeError(`eventType must be one of ${ADD_EVENT_TYPES.join(', ')}`);
	if (typeof o.connection !== 'boolean') throw new TypeError('connection must be true or false');
	for (const name of ['orgId', 'vendorOrgId', 'syncSessionId']) checkOptionalId(name, o[name]);
	if (o.clock !== undefined && typeof o.clock !== 'function') throw new TypeError('clock must be a function returning epoch ms');
}

function batches(records, size) {
	const out = [];
	for (let i = 0; i < records.length; i += size) out.push(records.slice(i, i + size));
	return out;
}

/** The employees of a session: `adds` new ones, and the ones its updates change (added ones first, then others). */
function sessionEmployees(rng, adds, updates) {
	const idBase = (1 + intBelow(rng, 89999)) * MAX_SESSION_RECORDS;
	const empBase = (1 + intBelow(rng, 89999)) * MAX_SESSION_RECORDS;
	const total = Math.max(adds, updates);
	const people = [];
	for (let i = 0; i < total; i++) people.push(employeeRecord(rng, String(idBase + i), String(empBase + i)));
	return { added: people.slice(0, adds), updated: people.slice(0, updates).map((r) => updatedRecord(rng, r)) };
}

/**
 * A sync session as Tartan sends it: sync.events.initiated (counter 1), then
 * employee.add batches, then employee.update batches, then (connection: true)
 * connection.events.requested and .terminated, counters 1, 2, 3… Updates change
 * employees added in this session first; beyond `adds` they change employees
 * the session did not add. Deterministic with a seeded `random`.
 */
function generateSession(options = {}) {
	const o = { adds: 25, updates: 0, batchSize: 10, eventType: 'sync.events.delta', connection: false, ...options };
	checkSessionOptions(o);
	const rng = makeRng(o.random);
	const ctx = {
		rng,
		clock: o.clock || Date.now,
		counter: 0,
		orgId: o.orgId || rng.uuid(),
		vendorOrgId: o.vendorOrgId || rng.uuid(),
		syncSessionId: o.syncSessionId || rng.uuid(),
	};
	const { added, updated } = sessionEmployees(rng, o.adds, o.updates);
	const counts = [{ newRecords: o.adds, updatedRecords: o.updates }];
	const out = [makeWebhook(ctx, { event: 'sync.events.initiated', eventType: 'sync.events', recordCount: null, body: counts })];
	const initialSync = o.eventType === 'sync.events.initial';
	for (const body of batches(added, o.batchSize)) {
		out.push(makeWebhook(ctx, { event: EMPLOYEE_EVENTS[0], eventType: o.eventType, recordCount: body.length, body, initialSync }));
	}
	for (const body of batches(updated, o.batchSize)) {
		out.push(makeWebhook(ctx, { event: EMPLOYEE_EVENTS[1], eventType: 'sync.events.delta', recordCount: body.length, body }));
	}
	if (o.connection) {
		for (const [event, status] of [
			['connection.events.requested', 'CONNECTION_REQUESTED'],
			['connection.events.terminated', 'CONNECTION_TERMINATED'],
		]) {
			const body = [orgRecord(rng, ctx.orgId, status)];
			out.push(makeWebhook(ctx, { event, eventType: 'connection.events', recordCount: null, body }));
		}
	}
	return out;
}

// ---------------------------------------------------------------- record keys

const nonEmpty = (v) => (typeof v === 'string' && v !== '') || typeof v === 'number';

/**
 * The sink's identity of one record: `${syncSessionId}|${event}|${employeeId or id}`
 * (an org object's `orgId` when it has neither). syncSessionId and event come from
 * the record's own top-level fields, else from `webhook` (the envelope the Tartan
 * Trigger puts on each per-record item). Null when a part is missing.
 */
function recordKeyOf(record) {
	if (!record || typeof record !== 'object' || Array.isArray(record)) return null;
	const envelope = record.webhook && typeof record.webhook === 'object' ? record.webhook : {};
	const session = nonEmpty(record.syncSessionId) ? record.syncSessionId : envelope.syncSessionId;
	const event = nonEmpty(record.event) ? record.event : envelope.event;
	const id = [record.employeeId, record.id, record.orgId].find(nonEmpty);
	if (!nonEmpty(session) || !nonEmpty(event) || id === undefined) return null;
	return `${session}|${event}|${id}`;
}

/** The record keys of the webhooks' records, for the events given (default: employee add and update). */
function recordKeysOf(webhooks, { events = EMPLOYEE_EVENTS } = {}) {
	const keys = [];
	for (const w of webhooks) {
		if (!events.includes(w.event)) continue;
		const body = Array.isArray(w.payload.body) ? w.payload.body : [w.payload.body];
		for (const record of body) {
			const key = recordKeyOf({ ...record, webhook: { syncSessionId: w.syncSessionId, event: w.event } });
			if (key !== null) keys.push(key);
		}
	}
	return keys;
}


// ---------------------------------------------------------------- delivery log

const sameId = (a, b) => typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();

/** One test per field of a resend body; a search_type is the conjunction of its fields' tests. */
const SELECTION_TESTS = {
	session: (entry, body) => sameId(entry.webhook.syncSessionId, body.sync_session_id),
	counter: (entry, body) => body.webhook_counter.includes(entry.webhook.webhookCounter),
	status: (entry, body) => (body.status === 'all' ? entry.status !== 'pending' : entry.status === body.status),
	time: (entry, body) =>
		entry.webhook.requestTimestamp >= body.request_timestamp && entry.webhook.requestTimestamp <= body.end_request_timestamp,
	org: (entry, body) => sameId(entry.webhook.orgId, body.client_org_id),
	request: (entry, body) => sameId(entry.webhook.requestId, body.request_id),
};

/** search_type -> the fields it filters on (Tartan's Webhook Reconciliation API). */
const SEARCH_TYPES = Object.freeze({
	sync_session: ['session'],
	sync_session_counter: ['session', 'counter'],
	sync_session_status: ['session', 'status'],
	sync_session_counter_status: ['session', 'counter', 'status'],
	time_range: ['time'],
	time_range_status: ['time', 'status'],
	time_range_org: ['time', 'org'],
	time_range_status_org: ['time', 'status', 'org'],
	org_only: ['org'],
	request_id: ['request'],
});

/**
 * The webhooks of `entries` (delivery-log entries, in log order) that a resend
 * body selects. The body is assumed valid (the sandbox validates it against
 * Tartan's OpenAPI first). `status` filters on each entry's current status;
 * "all" means success or fail. Search types without `status` select every
 * logged webhook that matches, whatever its status.
 */
function selectWebhooks(entries, body) {
	const fields = body && SEARCH_TYPES[body.search_type];
	if (!fields) throw new TypeError(`unknown search_type ${JSON.stringify(body && body.search_type)}`);
	const tests = fields.map((f) => SELECTION_TESTS[f]);
	const out = [];
	for (const entry of entries) if (tests.every((t) => t(entry, body))) out.push(entry.webhook);
	return out;
}

const isSuccess = (attempt) => typeof attempt.status === 'number' && attempt.status >= 200 && attempt.status < 300;

/**
 * requestId -> { webhook, attempts, status }. A webhook enters when its first
 * attempt starts, as 'pending' (so the log's size is the number of webhooks
 * whose delivery has started); each finished attempt sets `status` to its outcome
 * ('success' for a 2xx, 'fail' for anything else), so `status` is the outcome
 * of the attempt that finished last.
 */
function createDeliveryLog() {
	const entries = new Map();
	return {
		entries,
		add(webhook) {
			if (!entries.has(webhook.requestId)) entries.set(webhook.requestId, { webhook, attempts: [], status: 'pending' });
			return entries.get(webhook.requestId);
		},
		record(requestId, attempt) {
			const entry = entries.get(requestId);
			entry.attempts.push(attempt);
			entry.status = isSuccess(attempt) ? 'success' : 'fail';
			return entry;
		},
		select: (body) => selectWebhooks(entries.values(), body),
		failed: () => [...entries.values()].filter((e) => e.status === 'fail').map((e) => e.webhook),
		stats() {
			const out = { webhooks: entries.size, success: 0, fail: 0, pending: 0, attempts: { initial: 0, eod: 0, resend: 0 } };
			for (const e of entries.values()) {
				out[e.status] += 1;
				for (const a of e.attempts) out.attempts[a.kind] += 1;
			}
			return out;
		},
		clear: () => entries.clear(),
	};
}

// ---------------------------------------------------------------- sending

/** At most `max` of the given tasks run at once, across every caller. */
function createLimiter(max) {
	let active = 0;
	const queue = [];
	const next = () => {
		if (active >= max || queue.length === 0) return;
		active += 1;
		const { task, resolve, reject } = queue.shift();
		Promise.resolve()
			.then(task)
			.then(resolve, reject)
			.finally(() => {
				active -= 1;
				next();
			});
	};
	return (task) =>
		new Promise((resolve, reject) => {
			queue.push({ task, resolve, reject });
			next();
		});
}

function errorClass(error) {
	const code = error && error.code;
	if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/i.test(String(error && error.message))) return 'reset';
	if (code === 'ECONNREFUSED') return 'refused';
	return code || String((error && error.message) || error);
}

/**
 * One signed POST. Resolves { status } once the answer's headers arrive (the
 * body is drained unread), or { error: 'timeout' | 'reset' | 'refused' |
 * 'aborted' | code or message }. Never rejects.
 */
function postOnce(url, bytes, signature, { timeoutMs, agent, signal, track }) {
	return new Promise((resolve) => {
		let target;
		try {
			target = new URL(url);
		} catch {
			resolve({ error: 'invalid url' });
			return;
		}
		if (target.protocol !== 'http:' && target.protocol !== 'https:') return resolve({ error: 'unsupported protocol' });
		const headers = { 'content-type': 'application/json', 'content-length': bytes.length, [SIGNATURE_HEADER]: signature };
		const req = (target.protocol === 'https:' ? https : http).request(target, { method: 'POST', headers, agent });
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			req.destroy();
		}, timeoutMs);
		const onAbort = () => req.destroy();
		signal.addEventListener('abort', onAbort);
		const done = (outcome) => {
			clearTimeout(timer);
			signal.removeEventListener('abort', onAbort);
			resolve(outcome);
		};
		track(req);
		req.on('response', (res) => {
			res.on('error', () => {});
			res.resume();
			done({ status: res.statusCode });
		});
		req.on('error', (error) => done({ error: timedOut ? 'timeout' : signal.aborted ? 'aborted' : errorClass(error) }));
		req.end(bytes);
	});
}

const positiveInt = (name, value) => {
	if (!Number.isInteger(value) || value < 1) throw new TypeError(`${name} must be a positive integer`);
	return value;
};

/**
 * Tartan's side of webhook delivery. `deliver` signs each webhook's exact bytes
 * with the app key and POSTs them to `url` (read at each attempt, so it may be
 * set or changed later), at most `concurrency` at a time across all calls.
 * A 2xx answer is a success; any other status, a timeout, a reset or a refused
 * connection is a failure. Every attempt is kept in the delivery log.
 */
class TartanSender {
	#appSecretKey;
	#limit;
	#abort = new AbortController();
	#requests = new Set();
	#closed = false;

	constructor({ url = null, appSecretKey, concurrency = 8, timeoutMs = 30000, agent = false, onAttempt } = {}) {
		if (typeof appSecretKey !== 'string' || appSecretKey === '') throw new TypeError('appSecretKey must be a non-empty string');
		this.url = url;
		this.concurrency = positiveInt('concurrency', concurrency);
		this.timeoutMs = positiveInt('timeoutMs', timeoutMs);
		this.agent = agent;
		this.onAttempt = onAttempt;
		this.deliveryLog = createDeliveryLog();
		this.log = this.deliveryLog.entries;
		this.#appSecretKey = appSecretKey;
		this.#limit = createLimiter(this.concurrency);
	}

	/** Delivers each webhook once (kind 'initial' unless given); resolves { attempted, succeeded, failed }. */
	async deliver(webhooks, { kind = 'initial' } = {}) {
		if (!DELIVERY_KINDS.includes(kind)) throw new TypeError(`kind must be one of ${DELIVERY_KINDS.join(', ')}`);
		const list = [...webhooks];
		if (list.length === 0) return { attempted: 0, succeeded: 0, failed: 0 };
		if (this.#closed) throw new Error('the sender is closed');
		if (!this.url) throw new Error('no delivery URL: set sender.url (startSandbox({ deliverTo }), --deliver-to)');
		const outcomes = await Promise.all(list.map((webhook) => this.#limit(() => this.#attempt(webhook, kind))));
		const succeeded = outcomes.filter(Boolean).length;
		return { attempted: list.length, succeeded, failed: list.length - succeeded };
	}

	async #attempt(webhook, kind) {
		if (this.#closed) return false;
		this.deliveryLog.add(webhook); // a webhook enters the log when its first attempt starts
		const at = Date.now();
		const started = process.hrtime.bigint();
		const outcome = await postOnce(this.url, webhook.bytes, sign(this.#appSecretKey, webhook.bytes), {
			timeoutMs: this.timeoutMs,
			agent: this.agent,
			signal: this.#abort.signal,
			track: (req) => {
				this.#requests.add(req);
				req.once('close', () => this.#requests.delete(req));
			},
		});
		const attempt = { at, kind, ...outcome, ms: Number((process.hrtime.bigint() - started) / 1000000n) };
		this.deliveryLog.record(webhook.requestId, attempt);
		if (typeof this.onAttempt === 'function') {
			try {
				this.onAttempt(webhook, attempt);
			} catch (error) {
				// A logging hook must not break delivery; surface it on stderr (no payload).
				console.error('sender onAttempt hook failed:', error && error.message);
			}
		}
		return isSuccess(attempt);
	}

	/** The logged webhooks a resend body selects (see selectWebhooks). */
	select(body) {
		return this.deliveryLog.select(body);
	}

	/** Tartan's end-of-day run: every webhook whose latest attempt failed, delivered again (kind 'eod'). */
	endOfDay() {
		return this.deliver(this.deliveryLog.failed(), { kind: 'eod' });
	}

	/** Webhook reconciliation: the selected webhooks delivered again, same bytes and requestId (kind 'resend'). */
	resend(body) {
		return this.deliver(this.select(body), { kind: 'resend' });
	}

	/** { webhooks, success, fail, pending, attempts: { initial, eod, resend } }. */
	stats() {
		return this.deliveryLog.stats();
	}

	/** Per webhook: ids, event, status and attempts (kind and status or error). Never a payload. */
	deliveries() {
		return [...this.log.values()].map(({ webhook, status, attempts }) => ({
			requestId: webhook.requestId,
			syncSessionId: webhook.syncSessionId,
			webhookCounter: webhook.webhookCounter,
			event: webhook.event,
			status,
			attempts: attempts.map((a) => (a.error === undefined ? { kind: a.kind, status: a.status } : { kind: a.kind, error: a.error })),
		}));
	}

	/** Empties the delivery log. */
	clear() {
		this.deliveryLog.clear();
	}

	/** Aborts attempts in flight (logged with error 'aborted'); queued ones are not attempted. */
	close() {
		this.#closed = true;
		this.#abort.abort();
		for (const req of this.#requests) req.destroy();
	}

	toJSON() {
		return { url: this.url, concurrency: this.concurrency, timeoutMs: this.timeoutMs, ...this.stats() };
	}
}

module.exports = {
	seededRandom,
	uuidFrom,
	formatTimestamp,
	generateSession,
	checkSessionOptions,
	recordKeyOf,
	recordKeysOf,
	selectWebhooks,
	createDeliveryLog,
	TartanSender,
	SEARCH_TYPES,
	EMPLOYEE_EVENTS,
	DELIVERY_KINDS,
	MAX_RECORDS_PER_WEBHOOK,
};

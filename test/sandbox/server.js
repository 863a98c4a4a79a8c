'use strict';
/**
 * Local Tartan sandbox: a node:http server standing in for Tartan's
 * POST /api/webhooks/resend and POST /api/external/sync/callback, with
 * request recording and fault injection. It also plays Tartan's sending side
 * (sender.js: signed webhooks, the delivery log, the end-of-day re-send; a valid
 * resend request re-delivers the webhooks it selects), and a "target system"
 * sink that counts the records a workflow writes. See test/sandbox/README.md.
 */
const http = require('node:http');
const crypto = require('node:crypto');
const busboy = require('busboy');
const { SANDBOX_CREDENTIALS } = require('./credentials');
const { loadSpec, RESEND_PATH, CALLBACK_PATH } = require('./spec');
const { TartanSender, generateSession, checkSessionOptions, seededRandom, recordKeyOf, recordKeysOf } = require('./sender');

/** Largest request body the sandbox accepts (bigger -> 413). */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

// `employees` is the read-only call the Tartan API credential test makes
// (Tartan's public docs list GET /api/v2/employee_list with the same header).
const EMPLOYEE_LIST_PATH = '/api/v2/employee_list';
const ROUTES = Object.freeze({
	resend: Object.freeze({ method: 'POST', path: RESEND_PATH }),
	callback: Object.freeze({ method: 'POST', path: CALLBACK_PATH }),
	employees: Object.freeze({ method: 'GET', path: EMPLOYEE_LIST_PATH }),
});
// Sandbox-only routes (no Tartan counterpart), answered to loopback clients only:
// the target-system sink and the control endpoints of the sending side.
const SINK_PATH = '/sink/records';
const LOCAL_ROUTES = Object.freeze(
	[
		{ route: 'sink', method: 'POST', path: SINK_PATH },
		{ route: 'sink', method: 'GET', path: SINK_PATH },
		{ route: 'control', method: 'POST', path: '/sandbox/sessions' },
		{ route: 'control', method: 'POST', path: '/sandbox/end-of-day' },
		{ route: 'control', method: 'GET', path: '/sandbox/deliveries' },
	].map((r) => Object.freeze(r)),
);
const ROUTE_NAMES = Object.freeze(['resend', 'callback', 'employees', 'sink', 'control', 'other']);
const SESSION_REQUEST_KEYS = Object.freeze([
	'adds',
	'updates',
	'batchSize',
	'eventType',
	'connection',
	'orgId',
	'vendorOrgId',
	'syncSessionId',
	'seed',
	'url',
]);

const MESSAGES = Object.freeze({
	unauthorized: 'Unauthorized – Invalid token',
	callbackSuccess: 'Sync successful',
	notFound: 'Not Found',
	bodyRequired: 'Request body is required',
	invalidJson: 'Request body must be valid JSON',
	tooLarge: `Request body exceeds ${MAX_BODY_BYTES} bytes`,
	resendMediaType: 'Unsupported Media Type: POST /api/webhooks/resend accepts application/json',
	callbackMediaType:
		'Unsupported Media Type: POST /api/external/sync/callback accepts application/json or multipart/form-data',
	badMultipart: 'Malformed multipart/form-data body',
	loopbackOnly: 'Forbidden: this sandbox route answers loopback clients only',
	sinkBody: 'The sink takes one record: a JSON object',
	sinkKey: 'The record has no syncSessionId and event (top level or under "webhook") or no employeeId, id or orgId',
	noDeliveryUrl: 'No delivery URL: pass "url", or start the sandbox with deliverTo / --deliver-to',
});

/** Constant-time string comparison (hashing first makes lengths equal). */
function safeEqual(received, expected) {
	const a = crypto.createHash('sha256').update(typeof received === 'string' ? received : '', 'utf8').digest();
	const b = crypto.createHash('sha256').update(String(expected), 'utf8').digest();
	return crypto.timingSafeEqual(a, b) && typeof received === 'string';
}

function mediaTypeOf(headers) {
	return String(headers['content-type'] || '')
		.split(';')[0]
		.trim()
		.toLowerCase();
}

function routeOf(method, pathname) {
	for (const [name, r] of Object.entries(ROUTES)) {
		if (method === r.method && pathname === r.path) return name;
	}
	const local = LOCAL_ROUTES.find((r) => method === r.method && pathname === r.path);
	return local ? local.route : 'other';
}

/** True for 127.0.0.0/8 and ::1, also IPv4-mapped. */
function isLoopback(address) {
	const a = String(address || '').replace(/^::ffff:/i, '');
	return a === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function assertRoute(route) {
	if (!ROUTE_NAMES.includes(route)) {
		throw new TypeError(`unknown sandbox route "${route}" (expected one of ${ROUTE_NAMES.join(', ')})`);
	}
}

function normaliseStep(step) {
	if (!step || typeof step !== 'object') throw new TypeError('a script step must be an object');
	const delayMs = step.delayMs === undefined ? 0 : Number(step.delayMs);
	if (!Number.isFinite(delayMs) || delayMs < 0) throw new TypeError('script step delayMs must be a number >= 0');
	if (step.drop) return { drop: true, delayMs };
	if (step.status !== undefined) {
		const status = Number(step.status);
		if (!Number.isInteger(status) || status < 100 || status > 999) {
			throw new TypeError('script step status must be an HTTP status code');
		}
		return { status, headers: step.headers || {}, body: step.body, hasBody: 'body' in step, delayMs };
	}
	if (step.delayMs !== undefined) return { delayMs }; // delay, then normal behaviour
	throw new TypeError('a script step needs status, drop or delayMs');
}

function parseMultipart(headers, rawBody) {
	return new Promise((resolve, reject) => {
		let bb;
		try {
			bb = busboy({
				headers,
				defParamCharset: 'utf8',
				limits: { fieldSize: MAX_BODY_BYTES, fileSize: MAX_BODY_BYTES },
			});
		} catch (error) {
			reject(error);
			return;
		}
		const parts = [];
		const pending = [];
		bb.on('field', (name, value) => parts.push({ name, value }));
		bb.on('file', (name, stream, info) => {
			const part = { name, filename: info.filename, mimeType: info.mimeType, data: Buffer.alloc(0) };
			parts.push(part);
			const chunks = [];
			pending.push(
				new Promise((done, fail) => {
					stream.on('data', (c) => chunks.push(c));
					stream.on('end', () => {
						part.data = Buffer.concat(chunks);
						done();
					});
					stream.on('error', fail);
				}),
			);
		});
		bb.on('error', reject);
		bb.on('close', () => Promise.all(pending).then(() => resolve(parts), reject));
		bb.end(rawBody);
	});
}

function fieldsObject(parts) {
	const fields = {};
	for (const p of parts) {
		if ('data' in p) continue; // file part
		if (!(p.name in fields)) fields[p.name] = p.value;
		else fields[p.name] = [].concat(fields[p.name], p.value); // repeated -> array (fails `type: string`)
	}
	return fields;
}

/**
 * The "target system": records per recordKey (see recordKeyOf in sender.js)
 * how often a record was received and how often it was applied. A POST
 * applies unless its idempotency key was seen before (any record); without a
 * key every POST applies, as a plain insert would.
 */
function createSink() {
	const records = new Map();
	const seenKeys = new Set();
	return {
		records,
		accept(recordKey, idempotencyKey) {
			const entry = records.get(recordKey) || { received: 0, applied: 0 };
			records.set(recordKey, entry);
			entry.received += 1;
			const applies = idempotencyKey === undefined || !seenKeys.has(idempotencyKey);
			if (idempotencyKey !== undefined) seenKeys.add(idempotencyKey);
			if (applies) entry.applied += 1;
			return applies;
		},
		summary(expectedKeys) {
			const out = { records: records.size, received: 0, applied: 0, missing: [], duplicated: [], redundantReceipts: [] };
			for (const [key, r] of records) {
				out.received += r.received;
				out.applied += r.applied;
				if (r.applied > 1) out.duplicated.push(key);
				if (r.received > 1) out.redundantReceipts.push(key);
			}
			if (expectedKeys !== undefined) {
				const expected = new Set(expectedKeys);
				for (const key of expected) if (!records.has(key) || records.get(key).applied === 0) out.missing.push(key);
				out.unexpected = [...records.keys()].filter((key) => !expected.has(key));
			}
			return out;
		},
		reset() {
			records.clear();
			seenKeys.clear();
		},
	};
}

/** null (off), { status } (answer it to every sink request) or { hangMs } (hold, then destroy the socket). */
function normaliseSinkFault(mode) {
	if (mode === null || mode === undefined) return null;
	if (!isPlainObject(mode)) throw new TypeError('a sink fault is null, { status } or { hangMs }');
	if (mode.hangMs !== undefined) {
		const hangMs = Number(mode.hangMs);
		if (!Number.isFinite(hangMs) || hangMs < 0) throw new TypeError('sink fault hangMs must be a number >= 0');
		return { hangMs };
	}
	const status = Number(mode.status);
	if (!Number.isInteger(status) || status < 100 || status > 999) throw new TypeError('sink fault status must be an HTTP status code');
	return { status };
}

/** The sink's counts for GET /sink/records: numbers only, expected = the employee records in the delivery log. */
function sinkCounts(sink, sender) {
	const expected = recordKeysOf([...sender.log.values()].map((e) => e.webhook));
	const s = sink.summary(expected);
	return {
		ok: true,
		records: s.records,
		received: s.received,
		applied: s.applied,
		expected: expected.length,
		missing: s.missing.length,
		duplicated: s.duplicated.length,
		redundantReceipts: s.redundantReceipts.length,
	};
}

function firstHeader(value) {
	const v = Array.isArray(value) ? value[0] : value;
	return typeof v === 'string' && v !== '' ? v : undefined;
}

/** POST records one record when it is answered 200 (never when the client is gone); GET answers the counts. */
function handleSink(ctx, res, record) {
	if (record.method === 'GET') return ctx.send(res, record, 200, sinkCounts(ctx.sink, ctx.sender));
	if (!isPlainObject(record.body)) return ctx.send(res, record, 400, { ok: false, message: MESSAGES.sinkBody });
	const key = recordKeyOf(record.body);
	if (key === null) return ctx.send(res, record, 400, { ok: false, message: MESSAGES.sinkKey });
	if (res.destroyed || res.socket === null || res.socket.destroyed) {
		record.response = { status: null, body: null, aborted: true };
		return ctx.finish(record);
	}
	const applied = ctx.sink.accept(key, firstHeader(record.headers['idempotency-key']));
	return ctx.send(res, record, 200, { ok: true, applied });
}

/** A sink fault: the record is refused (never recorded). */
async function applySinkFault(ctx, req, res, record, fault) {
	if (fault.status !== undefined) {
		const message = `${http.STATUS_CODES[fault.status] || 'Status'} (sink fault)`;
		return ctx.send(res, record, fault.status, { ok: false, message }, {}, { fault: true });
	}
	await ctx.sleep(fault.hangMs);
	if (ctx.isClosed()) return undefined;
	record.response = { status: null, body: null, dropped: true, fault: true };
	req.socket.destroy();
	return ctx.finish(record);
}

/** { options, url } from a POST /sandbox/sessions body, or { error }. */
function sessionRequest(record) {
	if (record.rawBody.length === 0) return { options: {} };
	if (!isPlainObject(record.body)) return { error: 'The body must be a JSON object of session options' };
	const unknown = Object.keys(record.body).filter((k) => !SESSION_REQUEST_KEYS.includes(k));
	if (unknown.length > 0) return { error: `Unknown option(s): ${unknown.join(', ')} (allowed: ${SESSION_REQUEST_KEYS.join(', ')})` };
	const { seed, url, ...options } = record.body;
	if (seed !== undefined && typeof seed !== 'number' && typeof seed !== 'string') return { error: 'seed must be a number or a string' };
	if (url !== undefined && !isHttpUrl(url)) return { error: 'url must be an http(s) URL' };
	try {
		checkSessionOptions({ adds: 25, updates: 0, batchSize: 10, eventType: 'sync.events.delta', connection: false, ...options });
	} catch (error) {
		return { error: error.message };
	}
	if (seed !== undefined) options.random = seededRandom(seed);
	return { options, url };
}

function isHttpUrl(value) {
	try {
		return typeof value === 'string' && ['http:', 'https:'].includes(new URL(value).protocol);
	} catch {
		return false;
	}
}

function sessionsRoute(ctx, res, record) {
	const parsed = sessionRequest(record);
	if (parsed.error) return ctx.fail(res, record, 400, parsed.error);
	if (parsed.url !== undefined) ctx.sender.url = parsed.url;
	if (!ctx.sender.url) return ctx.fail(res, record, 409, MESSAGES.noDeliveryUrl);
	const webhooks = generateSession(parsed.options);
	ctx.background(ctx.sender.deliver(webhooks));
	const requestIds = webhooks.map((w) => w.requestId);
	return ctx.send(res, record, 202, { syncSessionId: webhooks[0].syncSessionId, requestIds, webhooks: webhooks.length });
}

async function endOfDayRoute(ctx, res, record) {
	if (!ctx.sender.url && ctx.sender.stats().fail > 0) return ctx.fail(res, record, 409, MESSAGES.noDeliveryUrl);
	const summary = await ctx.background(ctx.sender.endOfDay());
	if (summary === undefined) return ctx.fail(res, record, 500, 'The end-of-day re-send failed (see the sandbox log)');
	return ctx.send(res, record, 200, summary);
}

function handleControl(ctx, res, record) {
	if (record.path === '/sandbox/deliveries') {
		return ctx.send(res, record, 200, { ...ctx.sender.stats(), deliveries: ctx.sender.deliveries() });
	}
	if (record.path === '/sandbox/end-of-day') return endOfDayRoute(ctx, res, record);
	return sessionsRoute(ctx, res, record);
}

/** Reads the body into record.rawBody (up to MAX_BODY_BYTES) and parses it; resolves { tooLarge, mediaType, multipartError }. */
async function readBody(req, record) {
	const chunks = [];
	let size = 0;
	let tooLarge = false;
	await new Promise((resolve, reject) => {
		req.on('data', (chunk) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) tooLarge = true;
			else chunks.push(chunk);
		});
		req.on('end', resolve);
		req.on('error', reject);
	});
	record.rawBody = Buffer.concat(chunks);
	const mediaType = mediaTypeOf(req.headers);
	let multipartError = null;
	if (tooLarge) return { tooLarge, mediaType, multipartError };
	if (mediaType === 'multipart/form-data') {
		try {
			record.parts = await parseMultipart(req.headers, record.rawBody);
		} catch (error) {
			multipartError = error;
		}
	} else if (record.rawBody.length > 0) {
		try {
			record.body = JSON.parse(record.rawBody.toString('utf8'));
		} catch {
			record.body = null;
		}
	}
	return { tooLarge, mediaType, multipartError };
}

/** Runs background deliveries: kept in `all` (and `set`) until settled; a failure is kept as a message, never thrown. */
function createBackground(errors) {
	const all = new Set();
	const run = (work, set) => {
		const p = Promise.resolve()
			.then(work)
			.catch((error) => {
				const message = (error && error.message) || String(error);
				errors.push(message);
				console.error(`sandbox background delivery failed: ${message}`);
				return undefined;
			});
		all.add(p);
		if (set) set.add(p);
		p.then(() => {
			all.delete(p);
			if (set) set.delete(p);
		});
		return p;
	};
	const idle = async () => {
		while (all.size > 0) await Promise.all([...all]);
	};
	return { run, idle };
}

/**
 * Starts a sandbox. Options: port (0 = random), host, credentials (merged over
 * SANDBOX_CREDENTIALS), onResponse(record) called after each answered or
 * dropped request (the CLI logs from it), deliverTo (the URL the sending side
 * delivers webhooks to) and sender ({ concurrency, timeoutMs, agent, onAttempt }).
 */
async function startSandbox(options = {}) {
	const { port = 0, host = '127.0.0.1', credentials = SANDBOX_CREDENTIALS, onResponse, deliverTo = null } = options;
	const spec = loadSpec();
	const creds = Object.freeze({ ...SANDBOX_CREDENTIALS, ...credentials });
	const requests = [];
	const scripts = Object.fromEntries(ROUTE_NAMES.map((r) => [r, []]));
	const latency = Object.fromEntries(ROUTE_NAMES.map((r) => [r, 0]));
	const timers = new Set();
	let closed = false;
	const sender = new TartanSender({ ...options.sender, url: deliverTo, appSecretKey: creds.appSecretKey });
	const sink = createSink();
	let sinkFault = null;
	const pendingResends = new Set();
	const backgroundErrors = [];
	const background = createBackground(backgroundErrors);

	const sleep = (ms) =>
		ms > 0
			? new Promise((resolve) => {
					const t = setTimeout(() => {
						timers.delete(t);
						resolve();
					}, ms);
					timers.add(t);
				})
			: Promise.resolve();

	const finish = (record) => {
		if (typeof onResponse === 'function') {
			try {
				onResponse(record);
			} catch (error) {
				// A logging hook must not break the server; surface it on stderr.
				console.error('sandbox onResponse hook failed:', error);
			}
		}
	};

	const send = (res, record, status, body, headers = {}, extra = {}) => {
		let payload;
		const outHeaders = { ...headers };
		const hasType = Object.keys(outHeaders).some((h) => h.toLowerCase() === 'content-type');
		if (body === undefined || body === null) payload = Buffer.alloc(0);
		else if (Buffer.isBuffer(body)) payload = body;
		else if (typeof body === 'string') {
			payload = Buffer.from(body, 'utf8');
			if (!hasType) outHeaders['content-type'] = 'text/plain; charset=utf-8';
		} else {
			payload = Buffer.from(JSON.stringify(body), 'utf8');
			if (!hasType) outHeaders['content-type'] = 'application/json; charset=utf-8';
		}
		outHeaders['content-length'] = String(payload.length);
		record.response = { status, body: body === undefined ? null : body, ...extra };
		res.writeHead(status, outHeaders);
		res.end(payload);
		finish(record);
	};

	const fail = (res, record, status, message) => send(res, record, status, { success: false, message });

	const authorised = (route, mediaType, headers) => {
		if (route === 'resend' || route === 'employees') return safeEqual(headers.authorization, creds.apiKey);
		if (mediaType === 'application/json') {
			const m = /^Bearer +(\S+)\s*$/i.exec(String(headers.authorization || ''));
			return safeEqual(m ? m[1] : undefined, creds.bearerToken);
		}
		// multipart/form-data: evaluate both comparisons (no short circuit).
		const userOk = safeEqual(headers.username, creds.username);
		const passOk = safeEqual(headers.password, creds.password);
		return userOk && passOk;
	};

	const ctx = {
		send,
		fail,
		finish,
		sleep,
		sink,
		sender,
		background: (promise) => background.run(() => promise),
		isClosed: () => closed,
	};

	const normal = (res, record, route, mediaType, multipartError) => {
		if (route === 'other') return fail(res, record, 404, MESSAGES.notFound);
		if (route === 'sink') return handleSink(ctx, res, record);
		if (route === 'control') return handleControl(ctx, res, record);

		if (route === 'callback' && mediaType !== 'application/json' && mediaType !== 'multipart/form-data') {
			return fail(res, record, 415, MESSAGES.callbackMediaType);
		}
		if (!authorised(route, mediaType, record.headers)) return fail(res, record, 401, MESSAGES.unauthorized);
		if (route === 'employees') return send(res, record, 200, { success: true, data: [], page: 1, total: 0 });
		if (route === 'resend' && mediaType !== 'application/json') {
			return fail(res, record, 415, MESSAGES.resendMediaType);
		}

		if (mediaType === 'application/json') {
			if (record.rawBody.length === 0) return fail(res, record, 400, MESSAGES.bodyRequired);
			if (record.body === null && record.rawBody.toString('utf8').trim() !== 'null') {
				return fail(res, record, 400, MESSAGES.invalidJson);
			}
			const result = route === 'resend' ? spec.resend.validate(record.body) : spec.callback.validateJson(record.body);
			if (!result.ok) return fail(res, record, 400, result.message);
			send(res, record, 200, {
				success: true,
				message: route === 'resend' ? spec.resend.successMessage : MESSAGES.callbackSuccess,
			});
			// Tartan answers first, then re-delivers the webhooks the body selects.
			if (route === 'resend') background.run(() => sender.resend(record.body), pendingResends);
			return undefined;
		}

		// multipart/form-data on the callback route
		if (multipartError || !record.parts) return fail(res, record, 400, MESSAGES.badMultipart);
		const result = spec.callback.validateForm(fieldsObject(record.parts));
		if (!result.ok) return fail(res, record, 400, result.message);
		return send(res, record, 200, { success: true, message: MESSAGES.callbackSuccess });
	};

	const handle = async (req, res) => {
		const pathname = new URL(req.url || '/', 'http://sandbox.invalid').pathname;
		const route = routeOf(req.method, pathname);
		const record = {
			route,
			method: req.method,
			path: pathname,
			url: req.url,
			headers: { ...req.headers },
			rawBody: Buffer.alloc(0),
			body: null,
			parts: null,
			receivedAt: new Date(),
			response: null,
		};
		requests.push(record);
		const fault = route === 'sink' ? sinkFault : null; // the fault set when the request arrived

		const { tooLarge, mediaType, multipartError } = await readBody(req, record);
		if ((route === 'sink' || route === 'control') && !isLoopback(req.socket.remoteAddress)) {
			fail(res, record, 403, MESSAGES.loopbackOnly);
			return;
		}

		const step = scripts[route].length > 0 ? scripts[route].shift() : null;
		await sleep(latency[route] + (step ? step.delayMs : 0));
		if (closed) return;

		if (step && step.drop) {
			record.response = { status: null, body: null, dropped: true, scripted: true };
			req.socket.destroy();
			finish(record);
			return;
		}
		if (step && step.status !== undefined) {
			const body = step.hasBody
				? step.body
				: { success: step.status < 400, message: `${http.STATUS_CODES[step.status] || 'Status'} (scripted)` };
			send(res, record, step.status, body, step.headers, { scripted: true });
			return;
		}
		if (fault) {
			await applySinkFault(ctx, req, res, record, fault);
			return;
		}
		if (tooLarge) {
			fail(res, record, 413, MESSAGES.tooLarge);
			return;
		}
		await normal(res, record, route, mediaType, multipartError);
	};

	const server = http.createServer((req, res) => {
		handle(req, res).catch((error) => {
			if (!res.headersSent && !res.destroyed) {
				res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
				res.end(JSON.stringify({ success: false, message: 'Sandbox internal error' }));
			}
			console.error('sandbox request failed:', error && error.message);
		});
	});
	server.requestTimeout = 0; // large uploads on slow machines must not be cut at 300 s

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const address = server.address();
	const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

	return {
		url: `http://${urlHost}:${address.port}`,
		host,
		port: address.port,
		credentials: creds,
		requests,
		requestsFor(route) {
			assertRoute(route);
			return requests.filter((r) => r.route === route);
		},
		script(route, steps) {
			assertRoute(route);
			const list = Array.isArray(steps) ? steps : [steps];
			scripts[route].push(...list.map(normaliseStep));
		},
		setLatency(route, ms) {
			assertRoute(route);
			const value = Number(ms);
			if (!Number.isFinite(value) || value < 0) throw new TypeError('latency must be a number >= 0');
			latency[route] = value;
		},
		sender,
		sink,
		pendingResends,
		backgroundErrors,
		/** null (off), { status } or { hangMs }: applies to every sink request while set. */
		sinkFault(mode) {
			sinkFault = normaliseSinkFault(mode);
		},
		/** Resolves when every background delivery (resends, sessions, end of day) has finished. */
		idle: background.idle,
		reset() {
			requests.length = 0;
			for (const r of ROUTE_NAMES) {
				scripts[r].length = 0;
				latency[r] = 0;
			}
			sink.reset();
			sinkFault = null;
		},
		async close() {
			if (closed) return;
			closed = true;
			sender.close();
			for (const t of timers) clearTimeout(t);
			timers.clear();
			await new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
			await background.idle();
		},
	};
}

module.exports = {
	startSandbox,
	createSink,
	isLoopback,
	SANDBOX_CREDENTIALS,
	ROUTES,
	LOCAL_ROUTES,
	ROUTE_NAMES,
	SINK_PATH,
	MAX_BODY_BYTES,
	MESSAGES,
};

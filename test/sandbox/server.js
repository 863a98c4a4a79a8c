'use strict';
/**
 * Local Tartan sandbox: a node:http server standing in for Tartan's
 * POST /api/webhooks/resend and POST /api/external/sync/callback, with
 * request recording and fault injection. See test/sandbox/README.md.
 */
const http = require('node:http');
const crypto = require('node:crypto');
const busboy = require('busboy');
const { SANDBOX_CREDENTIALS } = require('./credentials');
const { loadSpec, RESEND_PATH, CALLBACK_PATH } = require('./spec');

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
const ROUTE_NAMES = Object.freeze(['resend', 'callback', 'employees', 'other']);

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
	return 'other';
}

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
 * Starts a sandbox. Options: port (0 = random), host, credentials (merged over
 * SANDBOX_CREDENTIALS), onResponse(record) called after each answered or
 * dropped request (the CLI logs from it).
 */
async function startSandbox({ port = 0, host = '127.0.0.1', credentials = SANDBOX_CREDENTIALS, onResponse } = {}) {
	const spec = loadSpec();
	const creds = Object.freeze({ ...SANDBOX_CREDENTIALS, ...credentials });
	const requests = [];
	const scripts = Object.fromEntries(ROUTE_NAMES.map((r) => [r, []]));
	const latency = Object.fromEntries(ROUTE_NAMES.map((r) => [r, 0]));
	const timers = new Set();
	let closed = false;

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

	const normal = (res, record, route, mediaType, multipartError) => {
		if (route === 'other') return fail(res, record, 404, MESSAGES.notFound);

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
			return send(res, record, 200, {
				success: true,
				message: route === 'resend' ? spec.resend.successMessage : MESSAGES.callbackSuccess,
			});
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

		// Read the whole body (draining, but not keeping, anything over the limit).
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
		if (!tooLarge) {
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
		if (tooLarge) {
			fail(res, record, 413, MESSAGES.tooLarge);
			return;
		}
		normal(res, record, route, mediaType, multipartError);
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
		reset() {
			requests.length = 0;
			for (const r of ROUTE_NAMES) {
				scripts[r].length = 0;
				latency[r] = 0;
			}
		},
		close() {
			if (closed) return Promise.resolve();
			closed = true;
			for (const t of timers) clearTimeout(t);
			timers.clear();
			return new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};
}

module.exports = { startSandbox, SANDBOX_CREDENTIALS, ROUTES, MAX_BODY_BYTES, MESSAGES };

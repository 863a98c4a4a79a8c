// Hostile and malformed traffic for the Tartan Trigger in a real n8n: requests
// generated from real signed Tartan deliveries (the documented fixtures),
// mutated, sent to loopback, each with a time limit. Used by fuzz.e2e.mjs
// (CI size) and scripts/fuzz.mjs (`npm run fuzz -- --count 10000`).
//
// Every case says what may come back:
//   accept     the byte-exact signed body of a JSON object: 2xx, one execution
//   401        a signature failure (likewise another exact status, e.g. 415)
//   4xx        refused by the trigger or by n8n before it (not 2xx, not 5xx)
//   signed     a byte-exact signed body n8n itself may refuse (its XML parser,
//              its size limit): 2xx or 4xx; if 2xx, it counts as accepted
// and for none of them a 5xx caused by the trigger, or no answer at all.
import { createHmac, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';

import { N8nApi } from '../../../scripts/lib/api.mjs';
import { send, sign } from './load.mjs';
import { triggerWorkflowVars } from './trigger-workflow.mjs';
import { PACKAGE_ROOT, startN8n } from '../../../scripts/lib/n8n.mjs';

const FIXTURES_DIR = path.join(PACKAGE_ROOT, 'test', 'fixtures', 'webhooks');
const WORKFLOWS = path.join(PACKAGE_ROOT, 'test', 'e2e', 'workflows');
export const PAYLOAD_SIZE_MAX_MIB = 1;

const hmac = (key, bytes) => createHmac('sha256', key).update(bytes).digest();

/** A small seeded PRNG (xorshift32), so a run can be repeated. */
function prng(seed) {
	let state = seed >>> 0 || 1;
	return () => {
		state ^= state << 13;
		state ^= state >>> 17;
		state ^= state << 5;
		return (state >>> 0) / 2 ** 32;
	};
}

function isJsonObject(bytes) {
	try {
		const value = JSON.parse(bytes.toString('utf8'));
		return value !== null && typeof value === 'object' && !Array.isArray(value);
	} catch {
		return false;
	}
}

/** \u-escapes every non-ASCII character of a JSON text (same value, other bytes). */
function escapeNonAscii(text) {
	return text.replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Reverses the key order of every object (same value, other bytes). */
function reverseKeys(value) {
	if (Array.isArray(value)) return value.map(reverseKeys);
	if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)]));
	return value;
}

/**
 * The cases. Options: appSecretKey (the credential's key), previousKey (a key that
 * was the previous one and has been cleared), count (the deterministic cases
 * first, then seeded random mutations up to count), seed.
 */
export function fuzzCases({ appSecretKey, previousKey, count = 2000, seed = 20261201 }) {
	const fixtures = fs
		.readdirSync(FIXTURES_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => ({ name: f.replace(/\.json$/, ''), bytes: fs.readFileSync(path.join(FIXTURES_DIR, f)) }));
	const cases = [];
	const json = { 'content-type': 'application/json' };
	const add = (kind, expect, body, { headers = json, signature, method = 'POST', raw } = {}) => {
		const h = { ...headers };
		if (signature !== undefined) h['tartan-signature'] = signature;
		cases.push({ id: cases.length, kind, expect, method, headers: h, body, raw });
	};
	const signedAdd = (kind, expect, body, opts = {}) => add(kind, expect, body, { ...opts, signature: opts.signature ?? sign(appSecretKey, body) });
	const mutated = (kind, original, body, opts = {}) => {
		// A "mutation" that gives the same bytes back is no mutation (e.g. re-serialising an already canonical text)
		if (body.equals(original)) return;
		// Signed over the original, so any change is a signature failure; if the
		// change breaks the JSON, n8n's own parser may answer 422 before the node
		const expect = isJsonObject(body) ? '401' : '4xx';
		add(kind, expect, body, { ...opts, signature: sign(appSecretKey, original) });
	};

	for (const { name, bytes } of fixtures) {
		// The genuine delivery, as Tartan sends it
		signedAdd(`genuine:${name}`, 'accept', bytes);
		// Body mutations: every byte of the first and last 64 flipped (bit 0)
		for (let i = 0; i < Math.min(64, bytes.length); i++) {
			for (const at of new Set([i, bytes.length - 1 - i])) {
				const body = Buffer.from(bytes);
				body[at] ^= 0x01;
				mutated(`body:flip@${at === i ? 'head' : 'tail'}`, bytes, body);
			}
		}
		for (const cut of [1, Math.floor(bytes.length / 2), bytes.length - 1]) mutated('body:truncated', bytes, bytes.subarray(0, cut));
		for (const tail of ['\n', ' ', '}', 'x', '\u0000', '{"x":1}']) mutated('body:appended', bytes, Buffer.concat([bytes, Buffer.from(tail)]));
		mutated('body:bom', bytes, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]));
		const value = JSON.parse(bytes.toString('utf8'));
		mutated('body:reserialised-compact', bytes, Buffer.from(JSON.stringify(value)));
		mutated('body:reserialised-indent2', bytes, Buffer.from(JSON.stringify(value, null, 2)));
		mutated('body:reserialised-tabs', bytes, Buffer.from(JSON.stringify(value, null, '\t')));
		mutated('body:reordered-keys', bytes, Buffer.from(JSON.stringify(reverseKeys(value), null, 4)));
		mutated('body:u-escapes', bytes, Buffer.from(escapeNonAscii(JSON.stringify(value, null, 4))));
		mutated('body:u-escaped-event', bytes, Buffer.from(bytes.toString('utf8').replace(/"event": "s/, '"event": "\\u0073')));
		// The body re-encoded as Latin-1 and signed that way (a proxy that re-encodes)
		if (bytes.some((b) => b > 0x7f)) {
			const latin1 = Buffer.from(bytes.toString('utf8'), 'latin1');
			add('header:digest-of-latin1', '401', bytes, { signature: sign(appSecretKey, latin1) });
		}
	}

	// One base delivery for the header and transport cases: non-ASCII text inside
	const base = fixtures.find((f) => f.name === 'employee-update').bytes;
	const good = sign(appSecretKey, base);
	// Header
	add('header:missing', '401', base);
	add('header:empty', '401', base, { signature: '' });
	add('header:duplicated-same', '401', base, { signature: [good, good] });
	add('header:duplicated-different', '401', base, { signature: [good, sign('x', base)] });
	add('header:upper-case-hex', 'accept', base, { signature: good.toUpperCase() });
	add('header:mixed-case-hex', 'accept', base, { signature: good.replace(/[a-f]/g, (c, i) => (i % 2 ? c.toUpperCase() : c)) });
	for (const name of ['TARTAN-SIGNATURE', 'Tartan-Signature', 'tArTaN-sIgNaTuRe']) {
		add(`header:name-${name}`, 'accept', base, { headers: { ...json, [name]: good } });
	}
	add('header:surrounding-spaces', 'accept', base, { signature: `  ${good}  ` });
	add('header:surrounding-tabs', 'accept', base, { signature: `\t${good}\t` });
	add('header:63-hex', '401', base, { signature: good.slice(0, 63) });
	add('header:65-hex', '401', base, { signature: `${good}0` });
	add('header:sha256-prefix', '401', base, { signature: `sha256=${good}` });
	add('header:base64-digest', '401', base, { signature: hmac(appSecretKey, base).toString('base64') });
	add('header:arguments-swapped', '401', base, { signature: createHmac('sha256', base).update(appSecretKey).digest('hex') });
	add('header:previous-key-after-clear', '401', base, { signature: sign(previousKey, base) });
	add('header:not-hex', '401', base, { signature: 'z'.repeat(64) });
	add('header:bearer', '401', base, { signature: `Bearer ${good}` });
	add('header:other-body-signature', '401', base, { signature: sign(appSecretKey, fixtures[0].bytes) });

	// Transport: the exact signed bytes under other content types
	signedAdd('transport:no-content-type', 'accept', base, { headers: {} });
	signedAdd('transport:text-plain', 'accept', base, { headers: { 'content-type': 'text/plain' } });
	signedAdd('transport:form-urlencoded', 'accept', base, { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
	// n8n parses multipart/form-data itself before any webhook node runs, so the bytes are gone: 415 from the trigger.
	// n8n 2.41 refuses this body (no part with that boundary) itself first: 400 "The submitted form data could not be parsed."
	signedAdd('transport:multipart', '415|400', base, { headers: { 'content-type': 'multipart/form-data; boundary=----tartan' } });
	signedAdd('transport:octet-stream', 'accept', base, { headers: { 'content-type': 'application/octet-stream' } });
	signedAdd('transport:xml', 'signed', base, { headers: { 'content-type': 'application/xml' } });
	signedAdd('transport:text-xml', 'signed', base, { headers: { 'content-type': 'text/xml' } });
	signedAdd('transport:json-charset', 'accept', base, { headers: { 'content-type': 'application/json; charset=utf-8' } });
	signedAdd('transport:json-charset-upper', 'accept', base, { headers: { 'content-type': 'Application/JSON; Charset=UTF-8' } });
	// Content-Encoding: the signature is over the body Tartan means (the JSON bytes, decoded); over the encoded bytes it fails
	for (const [encoding, encode] of [
		['gzip', zlib.gzipSync],
		['deflate', zlib.deflateSync],
	]) {
		const encoded = encode(base);
		add(`transport:${encoding}-signed-decoded`, 'accept', encoded, { headers: { ...json, 'content-encoding': encoding }, signature: good });
		add(`transport:${encoding}-signed-encoded`, '401', encoded, { headers: { ...json, 'content-encoding': encoding }, signature: sign(appSecretKey, encoded) });
		const corrupt = Buffer.from(encoded);
		corrupt[Math.floor(corrupt.length / 2)] ^= 0xff;
		add(`transport:${encoding}-corrupt`, '4xx', corrupt, { headers: { ...json, 'content-encoding': encoding }, signature: good });
	}
	add('transport:content-length-short', '4xx', base, { signature: good, raw: { contentLength: base.length - 10 } });
	add('transport:content-length-long', '4xx', base, { signature: good, raw: { contentLength: base.length + 10 } });
	for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) add(`transport:method-${method}`, '4xx', base, { signature: good, method });
	add('transport:method-HEAD', '4xx', Buffer.alloc(0), { signature: good, method: 'HEAD' });

	// Size: at n8n's payload limit (N8N_PAYLOAD_SIZE_MAX) and above it
	const limit = PAYLOAD_SIZE_MAX_MIB * 1024 * 1024;
	for (const [kind, size, expect] of [
		['size:at-limit', limit, 'signed'],
		['size:over-limit', limit + 1, '4xx'],
	]) {
		const value = JSON.parse(base.toString('utf8'));
		const skeleton = Buffer.from(JSON.stringify({ ...value, padding: '' }));
		const body = Buffer.from(JSON.stringify({ ...value, padding: 'x'.repeat(size - skeleton.length) }));
		if (body.length !== size) throw new Error(`${kind}: built ${body.length} bytes, wanted ${size}`);
		signedAdd(kind, expect, body);
	}
	signedAdd('body:empty', '401', Buffer.alloc(0));
	add('body:empty-unsigned', '401', Buffer.alloc(0));

	// Signed, valid JSON, but not an object; Tartan payloads with unexpected types
	for (const text of ['[]', '[1,2,3]', '"a string"', '42', 'null', 'true', '""']) signedAdd(`signed:not-an-object ${text}`, '4xx', Buffer.from(text));
	const envelope = JSON.parse(base.toString('utf8'));
	for (const [label, patch] of [
		['body-object', { body: { name: 'x' } }],
		['body-string', { body: 'not an array' }],
		['body-null', { body: null }],
		['event-number', { event: 42 }],
		['event-null', { event: null }],
		['requestId-number', { requestId: 7 }],
		['timeStamp-garbage', { timeStamp: 'yesterday' }],
	]) {
		signedAdd(`signed:unexpected-${label}`, 'accept', Buffer.from(JSON.stringify({ ...envelope, ...patch })));
	}
	// Lone UTF-16 surrogates: as a JSON escape, and as raw (invalid UTF-8) bytes; signed byte for byte
	signedAdd('signed:lone-surrogate-escape', 'accept', Buffer.from(JSON.stringify({ ...envelope, message: 'x' }).replace('"x"', '"\\ud800"')));
	signedAdd(
		'signed:lone-surrogate-bytes',
		'accept',
		Buffer.concat([Buffer.from('{"event":"sync.events.employee.update","message":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]),
	);
	// Deeply nested JSON, signed: an object 5,000 levels deep, and an array inside one
	const depth = 5000;
	signedAdd('signed:deeply-nested-object', 'signed', Buffer.from('{"a":'.repeat(depth) + '1' + '}'.repeat(depth)));
	signedAdd('signed:deeply-nested-array', 'signed', Buffer.from('{"body":' + '['.repeat(depth) + ']'.repeat(depth) + '}'));

	// Up to `count`: seeded random mutations of random fixtures (flips anywhere, truncations, garbage headers)
	const random = prng(seed);
	const pick = (list) => list[Math.floor(random() * list.length)];
	while (cases.length < count) {
		const { bytes } = pick(fixtures);
		const r = random();
		if (r < 0.5) {
			const body = Buffer.from(bytes);
			const at = Math.floor(random() * body.length);
			body[at] = (body[at] + 1 + Math.floor(random() * 255)) & 0xff;
			mutated('random:byte', bytes, body);
		} else if (r < 0.65) {
			mutated('random:truncated', bytes, bytes.subarray(0, Math.floor(random() * bytes.length)));
		} else if (r < 0.8) {
			const header = Buffer.from(Array.from({ length: Math.floor(random() * 80) }, () => 0x21 + Math.floor(random() * 94))).toString('latin1');
			add('random:garbage-header', '401', bytes, { signature: header });
		} else if (r < 0.9) {
			const sig = sign(appSecretKey, bytes).split('');
			sig[Math.floor(random() * 64)] = pick('0123456789abcdef'.split(''));
			const signature = sig.join('');
			add('random:digit-changed', signature === sign(appSecretKey, bytes) ? 'accept' : '401', bytes, { signature });
		} else {
			signedAdd('random:genuine', 'accept', bytes);
		}
	}
	return cases;
}

// ------------------------------------------------------------ sending

/** Sends one case; resolves to { status, body, error, ms }. status null: no answer within `timeoutMs`. */
export function sendCase(url, c, { timeoutMs = 10_000, agent } = {}) {
	return c.raw ? sendRaw(url, c, { timeoutMs }) : sendHttp(url, c, { timeoutMs, agent });
}

async function sendHttp(url, c, { timeoutMs, agent }) {
	const { status, body, error, ms } = await send(url, { method: c.method, headers: c.headers, bytes: c.body }, { timeoutMs, agent });
	return { status, body: body?.slice(0, 500), error, ms };
}

/** A request written byte by byte on a socket (a wrong Content-Length); reads the first status line. */
function sendRaw(url, c, { timeoutMs }) {
	const started = Date.now();
	const target = new URL(url);
	return new Promise((resolve) => {
		let settled = false;
		let received = Buffer.alloc(0);
		const socket = net.connect({ host: target.hostname, port: Number(target.port) });
		const done = (outcome) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			socket.destroy();
			resolve({ ...outcome, ms: Date.now() - started });
		};
		const timer = setTimeout(() => done({ status: null, error: 'no answer' }), timeoutMs);
		socket.on('connect', () => {
			const lines = [`${c.method} ${target.pathname} HTTP/1.1`, `Host: ${target.host}`, `Content-Length: ${c.raw.contentLength}`, 'Connection: close'];
			for (const [name, value] of Object.entries(c.headers)) for (const v of [value].flat()) lines.push(`${name}: ${v}`);
			socket.write(Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), c.body]));
			// A body shorter than announced: the sender gives up writing (as a client that died would)
			if (c.raw.contentLength > c.body.length) socket.end();
		});
		socket.on('data', (chunk) => {
			received = Buffer.concat([received, chunk]);
			const match = /^HTTP\/1\.[01] (\d{3})/.exec(received.toString('latin1'));
			if (match && received.includes('\r\n\r\n')) done({ status: Number(match[1]), body: received.toString('utf8').slice(0, 500) });
		});
		socket.on('error', (error) => done({ status: null, error: error.code ?? error.message, closed: true }));
		socket.on('close', () => done({ status: null, error: 'closed without an answer', closed: true }));
	});
}

// ------------------------------------------------------------ the target

/**
 * A real n8n with a Tartan Trigger workflow (all events, one item per
 * webhook, Respond: Immediately; the credential's previous key cleared) and,
 * as the control, n8n's own Webhook node on another path. The payload limit
 * is N8N_PAYLOAD_SIZE_MAX = 1 MiB, so that the size cases stay small.
 */
export async function startFuzzTarget({ appSecretKey, previousKey, env = {} } = {}) {
	const n8n = await startN8n({ env: { N8N_PAYLOAD_SIZE_MAX: String(PAYLOAD_SIZE_MAX_MIB), N8N_LOG_LEVEL: 'info', ...env } });
	try {
		const api = new N8nApi(n8n.url);
		await api.bootstrap();
		// During a key rotation (the previous key still set) at first; runFuzzSession clears it
		const credential = await api.createCredential({ name: 'Tartan signing key (fuzz)', type: 'tartanWebhookSigningApi', data: { appSecretKey, previousAppSecretKey: previousKey } });
		const webhookId = randomUUID();
		const trigger = await api.importWorkflow(
			path.join(WORKFLOWS, 'tartan-trigger.json'),
			triggerWorkflowVars({ name: 'fuzz: Tartan Trigger', webhookId, credential }),
		);
		await api.activateWorkflow(trigger.id);
		await n8n.waitForWebhook(`${webhookId}/webhook`);
		const controlPath = `fuzz-control-${randomUUID()}`;
		const control = await api.importWorkflow(path.join(WORKFLOWS, 'webhook-node-noop.json'), {
			NAME: "fuzz: n8n's Webhook node",
			WEBHOOK_ID: randomUUID(),
			PATH: controlPath,
		});
		await api.activateWorkflow(control.id);
		await n8n.waitForWebhook(controlPath);
		return {
			n8n,
			api,
			credential,
			appSecretKey,
			previousKey,
			triggerId: trigger.id,
			triggerUrl: `${n8n.url}/webhook/${webhookId}/webhook`,
			controlUrl: `${n8n.url}/webhook/${controlPath}`,
		};
	} catch (error) {
		await n8n.stop();
		throw error;
	}
}

/** Resident memory of a process in MiB (Linux /proc), or null. */
export function rssMiB(pid) {
	try {
		const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Math.round(Number(match[1]) / 1024) : null;
	} catch {
		return null;
	}
}

const is2xx = (s) => s !== null && s >= 200 && s < 300;
const is4xx = (s) => s !== null && s >= 400 && s < 500;
const is5xx = (s) => s !== null && s >= 500;

/**
 * Sends every case to the trigger (at `concurrency`), each 5xx again to n8n's
 * Webhook node as the control, and checks each answer against its case.
 * Resolves to a report: { total, byKind, byStatus, accepted, violations,
 * n8nOwn5xx, triggerCaused5xx, hangs, seconds, memory }.
 */
export async function runFuzz(target, cases, { concurrency = 8, timeoutMs = 10_000 } = {}) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
	const started = Date.now();
	const memoryBefore = rssMiB(target.n8n.process.pid);
	const results = new Array(cases.length);
	let next = 0;
	const worker = async () => {
		while (next < cases.length) {
			const c = cases[next++];
			const answer = await sendCase(target.triggerUrl, c, { timeoutMs, agent });
			let control;
			if (is5xx(answer.status)) control = await sendCase(target.controlUrl, c, { timeoutMs });
			results[c.id] = { ...answer, control };
		}
	};
	try {
		await Promise.all(Array.from({ length: concurrency }, worker));
	} finally {
		agent.destroy();
	}
	const report = { total: cases.length, byClass: {}, byStatus: {}, accepted: 0, violations: [], n8nOwn5xx: [], triggerCaused5xx: [], hangs: [] };
	for (const c of cases) {
		const r = results[c.id];
		const cls = c.kind.startsWith('genuine:') ? 'genuine' : c.kind.split(/[@ ]/)[0];
		report.byClass[cls] ??= { count: 0, statuses: {} };
		report.byClass[cls].count += 1;
		const key = r.status ?? (r.closed ? 'closed' : 'no answer');
		report.byClass[cls].statuses[key] = (report.byClass[cls].statuses[key] ?? 0) + 1;
		report.byStatus[key] = (report.byStatus[key] ?? 0) + 1;
		const where = { id: c.id, kind: c.kind, expect: c.expect, status: r.status, body: r.body?.slice(0, 200), error: r.error };
		if (is2xx(r.status)) report.accepted += 1;
		if (r.status === null && !r.closed) report.hangs.push(where);
		if (is5xx(r.status)) {
			if (is5xx(r.control?.status)) report.n8nOwn5xx.push({ ...where, control: r.control.status });
			else report.triggerCaused5xx.push({ ...where, control: r.control?.status ?? null });
			continue;
		}
		const ok =
			c.expect === 'accept'
				? is2xx(r.status)
				: /^\d{3}(\|\d{3})*$/.test(c.expect)
					? c.expect.split('|').map(Number).includes(r.status)
					: c.expect === '4xx'
						? is4xx(r.status) || (r.status === null && r.closed && c.raw)
						: is2xx(r.status) || is4xx(r.status);
		if (!ok) report.violations.push(where);
	}
	report.seconds = Math.round((Date.now() - started) / 100) / 10;
	report.memory = { beforeMiB: memoryBefore, afterMiB: rssMiB(target.n8n.process.pid) };
	return report;
}

/** Finished and running executions of a workflow, once nothing has changed for `settleMs`. */
async function settledExecutionCount(api, workflowId, { settleMs = 2000, timeoutMs = 120_000 } = {}) {
	const deadline = Date.now() + timeoutMs;
	let last = -1;
	for (;;) {
		const finished = (await api.listExecutions({ workflowId })).length;
		const running = (await api.listExecutions({ workflowId, status: 'running' })).length;
		const now = finished + running;
		if ((now === last && running === 0) || Date.now() > deadline) return now;
		last = now;
		await new Promise((resolve) => setTimeout(resolve, settleMs));
	}
}

/**
 * A whole fuzz run against a started target: a delivery signed with the
 * previous key is accepted during the rotation; the previous key is cleared
 * (the rotation ends, at once); then `count` cases. Returns the runFuzz
 * report plus executions (before, after, growth), the previous-key answers,
 * and whether n8n still answers /healthz.
 */
export async function runFuzzSession(target, { count = 2000, seed, concurrency = 8 } = {}) {
	const { api, n8n } = target;
	const base = fs.readFileSync(path.join(FIXTURES_DIR, 'sync-initiated.json'));
	const previousSigned = { id: -1, kind: 'previous-key', method: 'POST', headers: { 'content-type': 'application/json', 'tartan-signature': sign(target.previousKey, base) }, body: base };
	const before = await settledExecutionCount(api, target.triggerId, { settleMs: 500 });
	const duringRotation = await sendCase(target.triggerUrl, previousSigned);
	await api.updateCredential(target.credential, { appSecretKey: target.appSecretKey, previousAppSecretKey: '' });
	const afterClear = await sendCase(target.triggerUrl, previousSigned);
	const cases = fuzzCases({ appSecretKey: target.appSecretKey, previousKey: target.previousKey, count, seed });
	const report = await runFuzz(target, cases, { concurrency });
	const after = await settledExecutionCount(api, target.triggerId);
	let healthz = null;
	try {
		healthz = (await fetch(`${n8n.url}/healthz`)).status;
	} catch (error) {
		healthz = String(error.cause?.code ?? error);
	}
	return {
		...report,
		rotation: { duringRotation: duringRotation.status, afterClear: afterClear.status },
		executions: { before, after, growth: after - before },
		// Accepted signed deliveries: the fuzz cases answered 2xx, plus the previous-key one during the rotation
		expectedGrowth: report.accepted + (duringRotation.status >= 200 && duringRotation.status < 300 ? 1 : 0),
		healthz,
		n8nAlive: n8n.exited() === null,
	};
}

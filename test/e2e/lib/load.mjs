// Bounded load for the e2e suites: Tartan-shaped deliveries (documented
// payload, 10 employee records, a requestId of their own), signed or wrongly
// signed, sent to loopback at a fixed concurrency, each with a time limit.
import { createHmac, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

import { PACKAGE_ROOT } from '../../../scripts/lib/n8n.mjs';

const FIXTURE = path.join(PACKAGE_ROOT, 'test', 'fixtures', 'webhooks', 'employee-add-delta.json');

export const sign = (key, bytes) => createHmac('sha256', key).update(bytes).digest('hex');

/**
 * A delivery shaped as Tartan documents `sync.events.employee.add` (delta),
 * with `records` employee records made from the fixture's and its own
 * `requestId`: { requestId, bytes }.
 */
export function makeDelivery(index, { records = 10 } = {}) {
	const fixture = JSON.parse(fs.readFileSync(FIXTURE, 'utf8'));
	const template = fixture.body;
	const requestId = randomUUID();
	const body = Array.from({ length: records }, (_, i) => {
		const base = template[i % template.length];
		const id = String(index * records + i + 1);
		return { ...base, id, employeeId: `E${id}`, email: `employee${id}@tartanhq.com` };
	});
	const payload = { ...fixture, webhookCounter: index + 1, requestId, recordCount: records, body };
	return { requestId, bytes: Buffer.from(JSON.stringify(payload), 'utf8') };
}

/**
 * The request for a delivery: { kind, requestId, bytes, headers }. `kind`:
 * 'signed' (HMAC with `appSecretKey`), 'wrong-key', 'altered-byte' (signed, then one
 * byte of a record changed), 'no-header'.
 */
export function deliveryRequest(delivery, kind, appSecretKey) {
	const headers = { 'content-type': 'application/json' };
	let bytes = delivery.bytes;
	switch (kind) {
		case 'signed':
			headers['tartan-signature'] = sign(appSecretKey, bytes);
			break;
		case 'wrong-key':
			headers['tartan-signature'] = sign(`${appSecretKey}-not`, bytes);
			break;
		case 'altered-byte': {
			headers['tartan-signature'] = sign(appSecretKey, bytes);
			bytes = Buffer.from(bytes);
			const at = bytes.indexOf('"department"') + 1;
			bytes[at] = bytes[at] === 0x64 ? 0x44 : 0x64; // d <-> D: still valid JSON
			break;
		}
		case 'no-header':
			break;
		default:
			throw new Error(`unknown delivery kind ${kind}`);
	}
	return { kind, requestId: delivery.requestId, bytes, headers };
}

/** A reproducible shuffle (so a failing run can be looked at again with the same order). */
export function shuffle(list, seed = 1) {
	const out = [...list];
	let state = seed >>> 0 || 1;
	const next = () => {
		state ^= state << 13;
		state ^= state >>> 17;
		state ^= state << 5;
		return (state >>> 0) / 2 ** 32;
	};
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(next() * (i + 1));
		[out[i], out[j]] = [out[j], out[i]];
	}
	return out;
}

/**
 * POSTs each request to `url` with at most `concurrency` in flight. Each gets
 * `timeoutMs` to be answered; one that is not gets status null and
 * error 'no answer'. Resolves to the results in request order:
 * { ...request, status, body, error, sentAt, ms }. `onStart(index)` is called
 * as each request is sent.
 */
export async function sendAll(url, requests, { concurrency = 20, timeoutMs = 30_000, onStart } = {}) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
	const results = new Array(requests.length);
	let next = 0;
	const worker = async () => {
		while (next < requests.length) {
			const index = next++;
			onStart?.(index);
			results[index] = { ...requests[index], ...(await send(url, requests[index], { agent, timeoutMs })) };
		}
	};
	try {
		await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
	} finally {
		agent.destroy();
	}
	return results;
}

/**
 * One HTTP request with a time limit: { method (default POST), headers, bytes }.
 * Resolves (never rejects) to { status, body, error, sentAt, ms }; status null
 * when there was no answer within `timeoutMs` (error 'no answer') or the
 * connection failed.
 */
export function send(url, { method = 'POST', headers = {}, bytes }, { agent, timeoutMs = 30_000 } = {}) {
	const sentAt = Date.now();
	const withBody = method !== 'GET' && method !== 'HEAD';
	return new Promise((resolve) => {
		let settled = false;
		const done = (outcome) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			resolve({ ...outcome, sentAt, ms: Date.now() - sentAt });
		};
		const req = http.request(url, {
			method,
			agent,
			headers: withBody ? { ...headers, 'content-length': String(bytes.length) } : headers,
		});
		const timer = setTimeout(() => {
			done({ status: null, error: 'no answer' });
			req.destroy();
		}, timeoutMs);
		req.on('response', (res) => {
			const chunks = [];
			res.on('data', (chunk) => chunks.push(chunk));
			res.on('end', () => done({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
			res.on('error', (error) => done({ status: res.statusCode ?? null, error: `response: ${error.code ?? error.message}` }));
		});
		req.on('error', (error) => done({ status: null, error: error.code ?? error.message }));
		if (withBody) req.end(bytes);
		else req.end();
	});
}

/** Counts of results by a key function, as a plain object. */
export function countBy(list, key) {
	const out = {};
	for (const item of list) {
		const k = String(key(item));
		out[k] = (out[k] ?? 0) + 1;
	}
	return out;
}

// The soak's traffic: a scenario table of request kinds, each request built
// from its index alone (so both n8n processes get the same bytes, and a run
// can be repeated), sent to both at the same time from a loopback source
// address of its own (127.x.y.z, a new connection each time).
import http from 'node:http';

import { makeDelivery, send, shuffle, sign } from '../../../test/e2e/lib/load.mjs';

const JSON_TYPE = { 'content-type': 'application/json' };
const LARGE_RECORDS = 1800; // ~1.5 MB

/**
 * The kinds, and how many of each in every block of BLOCK requests (shuffled
 * within the block). `reason`: the Tartan Trigger's refusal reason (a key of
 * its refusal log, with the workflow and node), or none for a delivery it
 * accepts or one n8n refuses before any node runs. `tartan`: the statuses
 * the trigger may answer. n8n's Webhook node accepts what n8n's own parser
 * lets through (its answer is only recorded).
 */
export const KINDS = [
	{ kind: 'signed', perBlock: 70, tartan: [200], build: ({ key, delivery }) => ({ headers: { ...JSON_TYPE, 'tartan-signature': sign(key, delivery()) }, bytes: delivery() }) },
	{ kind: 'wrong-key', perBlock: 20, reason: 'signature_mismatch', tartan: [401], build: ({ key, delivery }) => ({ headers: { ...JSON_TYPE, 'tartan-signature': sign(`${key}-not`, delivery()) }, bytes: delivery() }) },
	{ kind: 'no-header', perBlock: 14, reason: 'missing_signature', tartan: [401], build: ({ delivery }) => ({ headers: JSON_TYPE, bytes: delivery() }) },
	{ kind: 'malformed-header', perBlock: 14, reason: 'malformed_signature', tartan: [401], build: ({ delivery }) => ({ headers: { ...JSON_TYPE, 'tartan-signature': 'not-a-digest' }, bytes: delivery() }) },
	{ kind: 'repeated-header', perBlock: 12, reason: 'repeated_signature', tartan: [401], build: ({ key, delivery }) => ({ headers: { ...JSON_TYPE, 'tartan-signature': [sign(key, delivery()), sign(key, delivery())] }, bytes: delivery() }) },
	{ kind: 'empty-body', perBlock: 12, reason: 'missing_body', tartan: [401], build: ({ key }) => ({ headers: { ...JSON_TYPE, 'tartan-signature': sign(key, Buffer.alloc(0)) }, bytes: Buffer.alloc(0) }) },
	{ kind: 'signed-not-json', perBlock: 12, reason: 'invalid_json', tartan: [400], build: ({ key, delivery }) => signedAs(key, 'text/plain', delivery().subarray(0, 200)) },
	{ kind: 'signed-not-object', perBlock: 12, reason: 'invalid_payload', tartan: [400], build: ({ key, index }) => signedAs(key, 'application/json', Buffer.from(`[${index},"x"]`)) },
	{ kind: 'multipart', perBlock: 10, reason: 'multipart_body', tartan: [415], build: ({ delivery }) => ({ headers: { 'content-type': 'multipart/form-data; boundary=----tartan' }, bytes: delivery() }) },
	{ kind: 'broken-json', perBlock: 8, tartan: [422], build: ({ key, delivery }) => signedAs(key, 'application/json', delivery().subarray(0, 300)) },
	{ kind: 'large-signed', perBlock: 1, tartan: [200], build: ({ key, large }) => ({ headers: { ...JSON_TYPE, 'tartan-signature': sign(key, large()) }, bytes: large() }) },
	{ kind: 'large-wrong-key', perBlock: 1, reason: 'signature_mismatch', tartan: [401], build: ({ key, large }) => ({ headers: { ...JSON_TYPE, 'tartan-signature': sign(`${key}-not`, large()) }, bytes: large() }) },
];
export const BLOCK = KINDS.reduce((sum, k) => sum + k.perBlock, 0);

function signedAs(key, contentType, bytes) {
	return { headers: { 'content-type': contentType, 'tartan-signature': sign(key, bytes) }, bytes };
}

/**
 * The source address of request `index`: 127.a.b.c with every part in
 * 1..250, so 15 million requests pass before one repeats. Loopback only.
 */
export function sourceAddress(index) {
	const c = (index % 250) + 1;
	const b = (Math.floor(index / 250) % 250) + 1;
	const a = (Math.floor(index / 62_500) % 250) + 1;
	return `127.${a}.${b}.${c}`;
}

/**
 * The whole schedule for `count` requests: [{ index, kind, node }], the kinds
 * shuffled per block (seeded), the node (an index into the webhook paths)
 * taken in turn per kind, so that each refusal reason goes to every node: a
 * refusal-log key per node and reason.
 */
export function schedule(count, nodeCount, seed = 22) {
	const turn = new Map();
	const out = [];
	for (let block = 0; out.length < count; block++) {
		const kinds = shuffle(KINDS.flatMap((k) => Array(k.perBlock).fill(k)), seed + block);
		for (const k of kinds) {
			if (out.length >= count) break;
			const n = turn.get(k.kind) ?? 0;
			turn.set(k.kind, n + 1);
			out.push({ index: out.length, kind: k, node: n % nodeCount });
		}
	}
	return out;
}

/** The request of a schedule entry: { headers, bytes, localAddress }. `key`: the signing key. */
export function buildRequest(entry, key) {
	let small;
	let big;
	const delivery = () => (small ??= makeDelivery(entry.index).bytes);
	const large = () => (big ??= makeDelivery(entry.index, { records: LARGE_RECORDS }).bytes);
	return { ...entry.kind.build({ key, delivery, large, index: entry.index }), localAddress: sourceAddress(entry.index) };
}

/** One request to one URL on a connection of its own from `localAddress`. */
async function sendFrom(url, request, timeoutMs) {
	const agent = new http.Agent({ keepAlive: false, localAddress: request.localAddress });
	try {
		const { status, error } = await send(url, request, { agent, timeoutMs });
		return { status, error };
	} finally {
		agent.destroy();
	}
}

/**
 * Lets the senders pause while memory is sampled: pause() resolves once no
 * request is in flight (nothing half-done is counted as memory kept);
 * resume() lets them go on; fail(error) stops them.
 */
export class Gate {
	#inFlight = 0;
	#paused = null;
	#idle = [];

	#error = null;

	/** Waits while paused, then counts one request pair in flight; call done() after it. Throws once fail() was called. */
	async enter() {
		while (this.#paused && !this.#error) await this.#paused.promise;
		if (this.#error) throw this.#error;
		this.#inFlight += 1;
	}

	/** Stops the senders for good (the sampling failed): their next enter() throws `error`. */
	fail(error) {
		this.#error = error;
		this.resume();
	}

	done() {
		this.#inFlight -= 1;
		if (this.#inFlight === 0) for (const resolve of this.#idle.splice(0)) resolve();
	}

	async pause() {
		if (!this.#paused) {
			let resolve;
			const promise = new Promise((r) => (resolve = r));
			this.#paused = { promise, resolve };
		}
		if (this.#inFlight > 0) await new Promise((resolve) => this.#idle.push(resolve));
	}

	resume() {
		this.#paused?.resolve();
		this.#paused = null;
	}
}

/**
 * Sends every scheduled request to both sides at once (`urlsOf(entry)` gives
 * { tartan, webhook }), `concurrency` pairs in flight, each through `gate`.
 * `onDone(done)` after each pair. Resolves to [{ kind, node, tartan:
 * { status, error }, webhook }].
 */
export async function sendPairs(entries, { key, urlsOf, concurrency = 4, timeoutMs = 30_000, gate = new Gate(), onDone }) {
	const results = new Array(entries.length);
	let next = 0;
	let done = 0;
	const worker = async () => {
		for (;;) {
			await gate.enter();
			if (next >= entries.length) return gate.done();
			const entry = entries[next++];
			try {
				const request = buildRequest(entry, key);
				const urls = urlsOf(entry);
				const [tartan, webhook] = await Promise.all([sendFrom(urls.tartan, request, timeoutMs), sendFrom(urls.webhook, request, timeoutMs)]);
				results[entry.index] = { kind: entry.kind.kind, node: entry.node, tartan, webhook };
				onDone?.(++done);
			} finally {
				gate.done();
			}
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	return results;
}

/** What each side answered per kind, whether the trigger's answers fit, and the refusal-log keys the trigger's refusals touched. */
export function summariseTraffic(entries, results) {
	const byKind = {};
	const unexpected = [];
	const keys = new Set();
	for (const entry of entries) {
		const result = results[entry.index];
		const row = (byKind[entry.kind.kind] ??= { count: 0, tartan: {}, webhook: {} });
		row.count += 1;
		for (const side of ['tartan', 'webhook']) {
			const status = String(result[side].status ?? result[side].error ?? 'none');
			row[side][status] = (row[side][status] ?? 0) + 1;
		}
		if (!entry.kind.tartan.includes(result.tartan.status)) unexpected.push({ index: entry.index, kind: entry.kind.kind, status: result.tartan.status, error: result.tartan.error });
		else if (entry.kind.reason) keys.add(`${entry.node} ${entry.kind.reason}`);
	}
	const noAnswer = (side) => results.filter((r) => r[side].status === null).length;
	return { requests: entries.length, byKind, unexpected, refusalKeys: keys.size, noAnswer: { tartan: noAnswer('tartan'), webhook: noAnswer('webhook') } };
}

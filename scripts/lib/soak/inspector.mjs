// A forced full garbage collection and the V8 heap figures of another Node
// process, through its inspector (started with `--inspect=127.0.0.1:0`),
// without anything inside that process taking part: n8n has no hook for it.
// The Chrome DevTools Protocol over a WebSocket, written out here because
// Node 20 has no WebSocket client without a flag and the package takes no
// new dependency: one text frame out (masked, as a client must), one in.
import { randomBytes } from 'node:crypto';
import http from 'node:http';

/** The first inspector WebSocket URL a process printed to its log ("Debugger listening on ws://..."), or undefined. */
export function inspectorUrl(logText) {
	return /Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/[0-9a-f-]+)/.exec(logText)?.[1];
}

function frame(text) {
	const payload = Buffer.from(text, 'utf8');
	const mask = randomBytes(4);
	const length = payload.length;
	const header =
		length < 126
			? Buffer.from([0x81, 0x80 | length])
			: Buffer.concat([Buffer.from([0x81, 0x80 | 126]), Buffer.from([length >> 8, length & 0xff])]);
	if (length > 0xffff) throw new Error('inspector: message too long');
	const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]));
	return Buffer.concat([header, mask, masked]);
}

/** Complete server frames at the start of `buffer`: { messages: [text], rest }. Servers do not mask. */
function readFrames(buffer) {
	const messages = [];
	let at = 0;
	for (;;) {
		if (buffer.length - at < 2) break;
		let length = buffer[at + 1] & 0x7f;
		let offset = at + 2;
		if (length === 126) {
			if (buffer.length - at < 4) break;
			length = buffer.readUInt16BE(at + 2);
			offset = at + 4;
		} else if (length === 127) {
			if (buffer.length - at < 10) break;
			length = Number(buffer.readBigUInt64BE(at + 2));
			offset = at + 10;
		}
		if (buffer.length < offset + length) break;
		if ((buffer[at] & 0x0f) === 0x1) messages.push(buffer.subarray(offset, offset + length).toString('utf8'));
		at = offset + length;
	}
	return { messages, rest: buffer.subarray(at) };
}

/**
 * Connects to an inspector WebSocket URL. Resolves to { call(method, params),
 * close() }; call() resolves to the result of that protocol method.
 */
export function connectInspector(wsUrl, { timeoutMs = 60_000 } = {}) {
	const url = new URL(wsUrl);
	return new Promise((resolve, reject) => {
		const req = http.request({
			host: url.hostname,
			port: url.port,
			path: url.pathname,
			headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': randomBytes(16).toString('base64') },
		});
		req.setTimeout(timeoutMs, () => req.destroy(new Error('inspector: no upgrade')));
		req.on('error', reject);
		req.on('response', (res) => reject(new Error(`inspector: HTTP ${res.statusCode} instead of an upgrade`)));
		req.on('upgrade', (_res, socket) => resolve(session(socket, timeoutMs)));
		req.end();
	});
}

function session(socket, timeoutMs) {
	const pending = new Map();
	let nextId = 1;
	let buffer = Buffer.alloc(0);
	const failAll = (error) => {
		for (const { reject, timer } of pending.values()) {
			clearTimeout(timer);
			reject(error);
		}
		pending.clear();
	};
	socket.on('data', (chunk) => {
		const { messages, rest } = readFrames(Buffer.concat([buffer, chunk]));
		buffer = rest;
		for (const text of messages) {
			const message = JSON.parse(text);
			const waiter = pending.get(message.id);
			if (!waiter) continue; // an event
			pending.delete(message.id);
			clearTimeout(waiter.timer);
			if (message.error) waiter.reject(new Error(`inspector: ${message.error.message}`));
			else waiter.resolve(message.result);
		}
	});
	socket.on('error', failAll);
	socket.on('close', () => failAll(new Error('inspector: connection closed')));
	return {
		call(method, params = {}) {
			const id = nextId++;
			return new Promise((resolve, reject) => {
				const timer = setTimeout(() => {
					pending.delete(id);
					reject(new Error(`inspector: ${method} unanswered after ${timeoutMs} ms`));
				}, timeoutMs);
				pending.set(id, { resolve, reject, timer });
				socket.write(frame(JSON.stringify({ id, method, params })));
			});
		},
		close() {
			socket.destroy();
		},
	};
}

/** A full GC in the process behind `inspector`, then its heap in use (bytes, from V8). */
export async function collectAndMeasure(inspector) {
	await inspector.call('HeapProfiler.collectGarbage');
	const { usedSize, totalSize } = await inspector.call('Runtime.getHeapUsage');
	return { usedBytes: usedSize, totalBytes: totalSize };
}

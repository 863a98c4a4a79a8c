'use strict';
/**
 * Node-only helpers for sandbox.test.ts. They live in plain JS because the
 * n8n lint rules forbid node:fs, node:http, node:child_process, process and
 * setTimeout in .ts files.
 */
const { execFileSync, spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const SANDBOX_DIR = __dirname;

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Tartan's Python snippet from seed 001, run by python3: the payload arrives
 * on stdin and is decoded to str first, exactly like `request.body` there.
 */
const PYTHON_SNIPPET = [
	'import hmac, hashlib, sys',
	'app_key = sys.argv[1]',
	'payload = sys.stdin.buffer.read().decode("utf-8")',
	'print(hmac.new(app_key.encode("utf-8"), payload.encode("utf-8"), hashlib.sha256).hexdigest())',
].join('\n');

function pythonHmacHex(appSecretKey, bytes) {
	return execFileSync('python3', ['-c', PYTHON_SNIPPET, appSecretKey], { input: bytes }).toString('utf8').trim();
}

/**
 * A tiny webhook receiver that checks tartan-signature itself (HMAC-SHA256 of
 * the raw bytes, constant-time compare) and answers 200 or 401.
 */
async function startHmacReceiver(appSecretKey) {
	const received = [];
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const raw = Buffer.concat(chunks);
			const expected = crypto.createHmac('sha256', appSecretKey).update(raw).digest('hex');
			const got = String(req.headers['tartan-signature'] || '');
			const verified =
				got.length === expected.length && crypto.timingSafeEqual(Buffer.from(got), Buffer.from(expected));
			received.push({ headers: { ...req.headers }, raw, verified });
			res.writeHead(verified ? 200 : 401, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ verified }));
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${server.address().port}/webhook`,
		received,
		close: () =>
			new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

/**
 * A webhook receiver for the sender tests. It verifies tartan-signature on
 * every delivery (HMAC-SHA256 of the raw bytes with the app key, constant-time
 * compare; 401 when it does not match) and answers what `receiver.respond(d)`
 * returns for a verified delivery d: a status, { status, delayMs }, 'hang'
 * (no answer; the socket stays open until the sender gives up or close()),
 * or 'reset' (the socket is destroyed). It counts requests in flight.
 */
async function startScriptedReceiver(appSecretKey, respond = () => 200) {
	const received = [];
	const stats = { inFlight: 0, maxInFlight: 0 };
	const receiver = { respond, received, stats };
	const server = http.createServer((req, res) => {
		stats.inFlight += 1;
		stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
		res.once('close', () => (stats.inFlight -= 1));
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => void answer(receiver, req, res, Buffer.concat(chunks), appSecretKey));
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	receiver.url = `http://127.0.0.1:${server.address().port}/webhook`;
	receiver.close = () =>
		new Promise((resolve) => {
			server.close(() => resolve());
			server.closeAllConnections();
		});
	return receiver;
}

async function answer(receiver, req, res, raw, appSecretKey) {
	const expected = crypto.createHmac('sha256', Buffer.from(appSecretKey, 'utf8')).update(raw).digest('hex');
	const signature = String(req.headers['tartan-signature'] || '');
	const verified = signature.length === expected.length && crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
	let json = null;
	try {
		json = JSON.parse(raw.toString('utf8'));
	} catch {
		json = null;
	}
	const delivery = { raw, signature, verified, json, requestId: json && json.requestId, webhookCounter: json && json.webhookCounter };
	receiver.received.push(delivery);
	const action = verified ? await receiver.respond(delivery) : 401;
	delivery.action = action;
	if (action === 'hang') return;
	if (action === 'reset') {
		req.socket.destroy();
		return;
	}
	const { status, delayMs = 0 } = typeof action === 'number' ? { status: action } : action;
	if (delayMs > 0) await delay(delayMs);
	if (res.destroyed) return;
	res.writeHead(status, { 'content-type': 'application/json' });
	res.end(JSON.stringify({ verified }));
}

/** A URL on which nothing listens (a port just released), for "connection refused". */
async function closedPortUrl() {
	const server = http.createServer();
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address();
	await new Promise((resolve) => server.close(resolve));
	return `http://127.0.0.1:${port}/webhook`;
}

function envWithout(names, extra) {
	const env = { ...process.env, ...extra };
	for (const n of names) if (!(extra && n in extra)) delete env[n];
	return env;
}

/** Runs a sandbox script (e.g. "send-event.js") with node; resolves { code, stdout, stderr }. */
function runScript(script, args = [], env = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [path.join(SANDBOX_DIR, script), ...args], {
			env: envWithout(['TARTAN_WEBHOOK_URL', 'TARTAN_APP_KEY', 'SANDBOX_PORT'], env),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, stdout, stderr }));
	});
}

/** Starts `node cli.js [args]` on a random port (TARTAN_WEBHOOK_URL unset unless in env); resolves once it printed its URL. */
function startCli(args = [], env = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [path.join(SANDBOX_DIR, 'cli.js'), ...args], {
			env: envWithout(['TARTAN_WEBHOOK_URL'], { SANDBOX_PORT: '0', ...env }),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		let started = false;
		const onData = (d) => {
			output += d;
			const m = /listening on (http:\/\/\S+)/.exec(output);
			if (m && !started) {
				started = true;
				resolve({
					url: m[1],
					output: () => output,
					stop: () =>
						new Promise((done) => {
							child.once('close', (code, signal) => done({ code, signal, output }));
							child.kill('SIGINT');
						}),
				});
			}
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.on('error', reject);
		child.on('close', (code) => {
			if (!started) reject(new Error(`cli.js exited with ${code} before listening:\n${output}`));
		});
	});
}

/** A temp copy of test/sandbox/openapi with `mutate(file, text)` applied; returns { dir, cleanup }. */
function tamperedOpenapiCopy(mutate) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tartan-openapi-'));
	for (const file of ['resend.yaml', 'sync-callback.yaml']) {
		const text = fs.readFileSync(path.join(SANDBOX_DIR, 'openapi', file), 'utf8');
		fs.writeFileSync(path.join(dir, file), mutate(file, text));
	}
	return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function seedsDirExists(dir) {
	return fs.existsSync(dir);
}

module.exports = {
	delay,
	pythonHmacHex,
	startHmacReceiver,
	startScriptedReceiver,
	closedPortUrl,
	runScript,
	startCli,
	tamperedOpenapiCopy,
	seedsDirExists,
	PYTHON_SNIPPET,
};

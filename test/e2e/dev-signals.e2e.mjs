// `npm run dev` stopped by a signal sent to the npm process alone, as an IDE or
// a supervisor sends it (npm forwards SIGINT and SIGTERM to its child only):
// SIGINT in one run, SIGTERM in another. Each run starts the real dev launcher
// (build, n8n, the sandbox, tsc --watch) on free ports with a temp data folder,
// waits for its banner, notes every process below npm, signals npm, and then
// checks that all of them are gone and that no port is held.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';

import { cleanNpmEnv, ensureN8n } from '../../scripts/lib/n8n-install.mjs';
import { PACKAGE_ROOT, freePort, packageBuildState } from '../../scripts/lib/n8n.mjs';

const skip = packageBuildState().reason;
const BANNER_TIMEOUT_MS = 240_000;
const STOP_TIMEOUT_MS = 60_000;
const folders = [];
const stragglers = new Set();

/** pid -> parent pid of every process, from /proc. */
function processTable() {
	const table = new Map();
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			// pid (comm) state ppid ...: comm may hold spaces and parentheses
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			table.set(Number(entry), ppid);
		} catch {
			/* gone meanwhile */
		}
	}
	return table;
}

/** Every process below `root` (children, grandchildren...). */
function descendants(root) {
	const table = processTable();
	const found = new Set();
	let grew = true;
	while (grew) {
		grew = false;
		for (const [pid, ppid] of table) {
			if (!found.has(pid) && (ppid === root || found.has(ppid))) {
				found.add(pid);
				grew = true;
			}
		}
	}
	return [...found];
}

const alive = (pid) => {
	try {
		const state = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		return !/^\d+ \(.*\) Z /.test(state); // a zombie has exited
	} catch {
		return false;
	}
};

function portFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

async function waitUntil(check, timeoutMs, message) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (await check()) return;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	assert.fail(`${message} (after ${timeoutMs} ms)`);
}

/** Starts `npm run dev`; resolves once its banner is out, with the child and its output so far. */
async function startDev({ folder, args = [] } = {}) {
	if (!folder) {
		folder = fs.mkdtempSync(path.join(os.tmpdir(), 'tartan-dev-signals-'));
		folders.push(folder);
	}
	const ports = { n8n: await freePort(), sandbox: await freePort() };
	const npm = spawn('npm', ['run', 'dev', ...(args.length > 0 ? ['--', ...args] : [])], {
		cwd: PACKAGE_ROOT,
		env: { ...cleanNpmEnv(), N8N_DEV_FOLDER: folder, N8N_PORT: String(ports.n8n), SANDBOX_PORT: String(ports.sandbox) },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	npm.stdout.on('data', (chunk) => (output += chunk));
	npm.stderr.on('data', (chunk) => (output += chunk));
	const exited = new Promise((resolve) => npm.on('exit', (code, signal) => resolve({ code, signal })));
	await waitUntil(() => /Ctrl-C .*stops n8n, the sandbox and the watchers/.test(output) || npm.exitCode !== null, BANNER_TIMEOUT_MS, 'no banner from npm run dev');
	assert.equal(npm.exitCode, null, `npm run dev exited before its banner:\n${output.slice(-3000)}`);
	return { npm, exited, ports, folder, output: () => output };
}

/** A forged delivery to the dev trigger's production URL shows up as a [refused] line in the dev terminal. */
async function refusalIsEchoed(dev) {
	const url = /(http:\/\/localhost:\d+\/webhook\/[0-9a-f-]+\/webhook)\b/.exec(dev.output())?.[1];
	assert.ok(url, `no production URL in the banner:\n${dev.output().slice(-3000)}`);
	const res = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'tartan-signature': '0'.repeat(64) },
		body: JSON.stringify({ event: 'sync.events.employee.add', body: [] }),
	});
	assert.equal(res.status, 401);
	await waitUntil(() => /\[refused\] Tartan Trigger refused a delivery: reason=signature_mismatch status=401/.test(dev.output()), 10_000, 'no [refused] line in the dev terminal');
}

let firstFolder;

async function stopsEverything(signal, { checkRefusal = false, restore = false } = {}) {
	// The second run reuses the first one's data folder, with --restore-examples
	const dev = await startDev(restore ? { folder: firstFolder, args: ['--restore-examples'] } : {});
	firstFolder ??= dev.folder;
	if (checkRefusal) await refusalIsEchoed(dev);
	if (restore) {
		// Every example was there already, and is imported again as shipped
		const block = /\n Workflows:\n([\s\S]*?)\n Try it:/.exec(dev.output())?.[1] ?? '';
		const lines = block.split('\n').filter((line) => line.trim() !== '');
		assert.ok(lines.length >= 4, `examples listed:\n${block}`);
		for (const line of lines) assert.match(line, /\(imported now\)$/, 'each example imported again');
	}
	const below = descendants(dev.npm.pid);
	for (const pid of below) stragglers.add(pid);
	// dev.mjs, n8n (own process group) and its task runner, tsc --watch at least
	assert.ok(below.length >= 4, `processes below npm: ${below.join(', ')}`);
	assert.equal(await portFree(dev.ports.n8n), false, 'n8n listens');
	assert.equal(await portFree(dev.ports.sandbox), false, 'the sandbox listens');

	process.kill(dev.npm.pid, signal);
	const result = await Promise.race([dev.exited, new Promise((resolve) => setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS))]);
	assert.notEqual(result, 'timeout', `npm did not exit within ${STOP_TIMEOUT_MS} ms of ${signal}:\n${dev.output().slice(-2000)}`);
	await waitUntil(() => below.every((pid) => !alive(pid)), 15_000, `processes left after ${signal}: ${below.filter(alive).join(', ')}`);
	for (const [name, port] of Object.entries(dev.ports)) assert.ok(await portFree(port), `${name} port ${port} still held after ${signal}`);
	assert.match(dev.output(), new RegExp(`${signal}: stopping n8n, the sandbox and the watchers`));
	assert.match(dev.output(), /\[dev\] stopped/);
}

describe('npm run dev stops everything on a signal to the npm process alone', { skip, timeout: 900_000 }, () => {
	after(() => {
		for (const pid of stragglers) {
			try {
				if (alive(pid)) process.kill(pid, 'SIGKILL');
			} catch {
				/* gone */
			}
		}
		for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
	});

	test('n8n is installed (first run: a few minutes)', async () => {
		await ensureN8n();
	});

	test("a forged delivery shows as a [refused] line; SIGINT to npm: n8n, the sandbox and the watchers stop, no port held", async () => {
		await stopsEverything('SIGINT', { checkRefusal: true });
	});

	test('--restore-examples imports the examples again into the same data folder; SIGTERM to npm: the same', async () => {
		await stopsEverything('SIGTERM', { restore: true });
	});
});

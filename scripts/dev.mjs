#!/usr/bin/env node
// npm run dev: this package in a real n8n, with the local Tartan sandbox, for
// trying and developing the nodes by hand.
//
//  - builds the package, then keeps rebuilding it (tsc --watch, and the gulp
//    icon task when an SVG changes); when dist/ changes, n8n is restarted with
//    the new build (n8n loads node code once, at start)
//  - n8n (the pinned version the e2e tests use, installed on first use) on
//    http://localhost:5678 (N8N_PORT), with a persistent user folder .n8n-dev/
//    in the repository, so workflows and executions survive restarts
//  - the Tartan sandbox on http://127.0.0.1:5680 (SANDBOX_PORT), logging one
//    line per request
//  - first run: an owner account (DEV_LOGIN below); every run: the four
//    sandbox credentials (by name, created once) and the example workflows in
//    docs/workflows/*.json (by name, imported once; the one with the Tartan
//    Trigger is activated). n8n saves edits to them: --restore-examples
//    deletes them and imports them again as shipped.
//
// `npm run dev -- --queue` runs the same in n8n's queue mode instead: PostgreSQL
// and Redis (Debian's packages, installed if missing), a main process on
// :5678, a webhook processor on :5688 that takes the production webhooks, and
// two workers, each process with the package installed in its own user
// folder under .n8n-dev-queue/ (PostgreSQL's data too).
//
// Ctrl-C stops everything it started, and so does SIGINT or SIGTERM sent to
// the `npm` process alone (as an IDE or a supervisor does): the npm script
// `exec`s node, so npm's forwarded signal reaches this process, and if the
// parent goes away anyway this process notices and stops too. Delete
// .n8n-dev/ (or .n8n-dev-queue/) to start from scratch; N8N_DEV_FOLDER puts
// it elsewhere.
//
// The Tartan Trigger's lines about refused or ignored deliveries (written to
// n8n's log) are echoed here as [refused] lines.
//
// First run: n8n is installed into ~/.cache/n8n-nodes-tartan (~4-8 minutes,
// ~2.3 GB; 2.8.4 took 247 s on 2 cores with npm's download cache empty). With
// npm's cache and the clone's node_modules it is about 3.5 GB in all.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';

import { N8nApi, substitute } from './lib/api.mjs';
import { ensureN8n, n8nVersion } from './lib/n8n-install.mjs';
import { PACKAGE_ROOT, packageBuildState, startN8n } from './lib/n8n.mjs';
import { startQueueStack } from './lib/queue.mjs';
import { TEMPLATES_DIR, readTemplate, withHrSystemAt } from './lib/templates.mjs';

const require = createRequire(import.meta.url);
const { startSandbox, SANDBOX_CREDENTIALS } = require(path.join(PACKAGE_ROOT, 'test', 'sandbox', 'server.js'));
const { logLine } = require(path.join(PACKAGE_ROOT, 'test', 'sandbox', 'cli.js'));

/** The owner account of the dev n8n (a local, throw-away instance: documented in the README). */
export const DEV_LOGIN = Object.freeze({
	email: 'dev@tartan.local',
	firstName: 'Tartan',
	lastName: 'Developer',
	password: 'Tartan-Dev-1234',
});

const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== '--queue' && arg !== '--restore-examples');
if (unknown.length > 0) {
	process.stderr.write(`[dev] unknown argument ${unknown.join(' ')}; usage: npm run dev [-- --queue] [--restore-examples]\n`);
	process.exit(2);
}
const QUEUE = args.includes('--queue');
// The example workflows as shipped: n8n saves edits, and they are imported only when missing
const RESTORE_EXAMPLES = args.includes('--restore-examples');
const DEV_FOLDER = process.env.N8N_DEV_FOLDER
	? path.resolve(process.env.N8N_DEV_FOLDER)
	: path.join(PACKAGE_ROOT, QUEUE ? '.n8n-dev-queue' : '.n8n-dev');
const DIST = path.join(PACKAGE_ROOT, 'dist');
const WORKFLOWS_DIR = TEMPLATES_DIR;
const FALLBACK_TRIGGER_WORKFLOW = path.join(PACKAGE_ROOT, 'test', 'e2e', 'workflows', 'tartan-trigger.json');
const API_KEY_LABEL = 'n8n-nodes-tartan dev launcher';
const PACKAGE = 'n8n-nodes-tartan';

const n8nPort = parsePort('N8N_PORT', 5678);
const sandboxPort = parsePort('SANDBOX_PORT', 5680);
// Queue mode: fixed ports for the other processes and services
const QUEUE_PORTS = {
	main: n8nPort,
	webhook: parsePort('N8N_WEBHOOK_PORT', 5688),
	postgres: parsePort('POSTGRES_PORT', 5689),
	redis: parsePort('REDIS_PORT', 5690),
	workers: [parsePort('N8N_WORKER1_PORT', 5691), parsePort('N8N_WORKER2_PORT', 5692)],
};
const publicUrl = `http://localhost:${n8nPort}`;

function parsePort(name, fallback) {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return fallback;
	const port = Number(raw);
	if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`${name} must be a port number (got "${raw}")`);
	return port;
}

function log(message) {
	process.stdout.write(`[dev] ${message}\n`);
}

function fail(message) {
	process.stderr.write(`[dev] ${message}\n`);
	process.exit(1);
}

function portFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/** Runs a command to completion with its output shown; resolves to the exit code. */
function run(command, args, label) {
	return new Promise((resolve) => {
		const child = spawn(command, args, { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
		const forward = (stream) => prefixLines(stream, label);
		forward(child.stdout);
		forward(child.stderr);
		child.on('error', (error) => {
			log(`${label}: ${error.message}`);
			resolve(1);
		});
		child.on('exit', (code) => resolve(code ?? 1));
	});
}

function prefixLines(stream, label) {
	let buffered = '';
	stream.setEncoding('utf8');
	stream.on('data', (chunk) => {
		buffered += chunk;
		const lines = buffered.split('\n');
		buffered = lines.pop();
		for (const line of lines) if (line.trim() !== '') process.stdout.write(`[${label}] ${line.replace(/\x1bc|\x1b\[[0-9;]*[A-Za-z]/g, '')}\n`);
	});
}

/** The JavaScript file behind node_modules/.bin/<name> (run with this node, no shell). */
function binScript(name) {
	const link = path.join(PACKAGE_ROOT, 'node_modules', '.bin', name);
	if (!fs.existsSync(link)) fail(`${link} is missing: run npm ci first`);
	return fs.realpathSync(link);
}
const tscBin = binScript('tsc');
const gulpBin = binScript('gulp');

/** A content hash of dist/ (what n8n loads), without tsc's incremental state. */
function distHash() {
	const hash = createHash('sha256');
	const walk = (dir) => {
		let entries;
		try {
			entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
		} catch {
			return;
		}
		for (const entry of entries) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) walk(full);
			else if (entry.isFile() && !entry.name.endsWith('.tsbuildinfo')) {
				hash.update(path.relative(DIST, full));
				try {
					hash.update(fs.readFileSync(full));
				} catch {
					hash.update('unreadable');
				}
			}
		}
	};
	walk(DIST);
	return hash.digest('hex');
}

// ---------------------------------------------------------------- n8n setup

/** The four sandbox credentials, as n8n stores them (names are how they are found again). */
function credentialDefinitions(sandbox) {
	const suffix = sandboxPort === 5680 ? 'sandbox' : `sandbox :${sandboxPort}`;
	const connection = { environment: 'dev', baseUrl: sandbox.url };
	// n8n 2.8 adds "Allowed HTTP Request Domains" to credential types with an
	// `authenticate` block; the public API wants its mode given.
	const domains = { allowedHttpRequestDomains: 'all' };
	const c = SANDBOX_CREDENTIALS;
	return [
		{ type: 'tartanApi', name: `Tartan API (${suffix})`, data: { ...connection, apiKey: c.apiKey, ...domains } },
		{ type: 'tartanBearerApi', name: `Tartan Bearer Token (${suffix})`, data: { ...connection, token: c.bearerToken, ...domains } },
		{
			type: 'tartanUsernamePasswordApi',
			name: `Tartan Username & Password (${suffix})`,
			data: { ...connection, username: c.username, password: c.password, ...domains },
		},
		{ type: 'tartanWebhookSigningApi', name: `Tartan Webhook Signing Key (${suffix})`, data: { appSecretKey: c.appSecretKey } },
	];
}

/** The credential type a Tartan node needs, for templates that leave a node's credentials out. */
function credentialTypeForNode(node) {
	switch (node.type) {
		case `${PACKAGE}.tartanTrigger`:
			return 'tartanWebhookSigningApi';
		case `${PACKAGE}.tartanResend`:
			return 'tartanApi';
		case `${PACKAGE}.tartanSyncCallback`:
			return node.parameters?.authentication === 'usernamePassword' ? 'tartanUsernamePasswordApi' : 'tartanBearerApi';
		default:
			return undefined;
	}
}

/** A template with every credential reference pointed at the dev credential of that type. */
function withCredentials(workflow, byType) {
	const nodes = workflow.nodes.map((node) => {
		const credentials = { ...(node.credentials ?? {}) };
		const needed = credentialTypeForNode(node);
		if (needed && Object.keys(credentials).length === 0) credentials[needed] = {};
		for (const type of Object.keys(credentials)) {
			// A credential the launcher has none of (the AI template's chat model) is left for the user to pick
			if (byType[type]) credentials[type] = { id: byType[type].id, name: byType[type].name };
			else delete credentials[type];
		}
		return Object.keys(credentials).length > 0 ? { ...node, credentials } : node;
	});
	return { ...workflow, nodes };
}

async function listAll(api, resource, query = '') {
	const all = [];
	let cursor;
	do {
		const params = new URLSearchParams(query);
		params.set('limit', '250');
		if (cursor) params.set('cursor', cursor);
		const page = await api.api('GET', `/${resource}?${params}`);
		all.push(...(page.data ?? []));
		cursor = page.nextCursor;
	} while (cursor);
	return all;
}

const triggerNodeOf = (workflow) => workflow.nodes?.find((node) => node.type === `${PACKAGE}.tartanTrigger`);

/**
 * Owner (first run) or login, a fresh API key for this launcher, the sandbox
 * credentials and the example workflows. Returns what the banner shows.
 */
async function setUp(runtime, sandbox) {
	const { editor, webhooks } = runtime;
	const api = new N8nApi(editor.url);
	const info = { ownerCreated: false, loggedIn: true, credentials: [], imported: [], existing: [], trigger: undefined };
	const settings = await api.rest('GET', '/settings');
	if (settings?.userManagement?.showSetupOnFirstLoad) {
		await api.setupOwner(DEV_LOGIN);
		info.ownerCreated = true;
	} else {
		try {
			await api.login(DEV_LOGIN);
		} catch (error) {
			info.loggedIn = false;
			log(`could not log in as ${DEV_LOGIN.email} (${error.status ?? error.message}): the owner of .n8n-dev has another login.`);
			log('Credentials and workflows were not set up; log in with your own account, or delete .n8n-dev/ to start over.');
			return info;
		}
	}

	// One API key for this launcher: the previous run's is replaced.
	for (const key of (await api.rest('GET', '/api-keys')) ?? []) {
		if (key.label === API_KEY_LABEL) await api.rest('DELETE', `/api-keys/${key.id}`);
	}
	await api.createApiKey(API_KEY_LABEL);

	const existingCredentials = await listAll(api, 'credentials');
	const byType = {};
	for (const definition of credentialDefinitions(sandbox)) {
		let credential = existingCredentials.find((c) => c.name === definition.name && c.type === definition.type);
		const created = !credential;
		if (created) credential = await api.createCredential(definition);
		byType[definition.type] = credential;
		info.credentials.push({ ...definition, id: credential.id, created });
	}

	const templates = fs.existsSync(WORKFLOWS_DIR)
		? fs
				.readdirSync(WORKFLOWS_DIR)
				.filter((file) => file.endsWith('.json'))
				.sort()
				.map((file) => ({ file: path.join(WORKFLOWS_DIR, file), json: readTemplate(file) }))
				// "Your HR system" is the sandbox's sink here: the records it applies are counted at /sink/records
				.map((t) => ({ ...t, json: withHrSystemAt(t.json, `${sandbox.url}/sink/records`) }))
		: [];
	if (!templates.some((t) => triggerNodeOf(t.json))) {
		// No example with a Tartan Trigger (yet): a minimal one, so that send-event has somewhere to go.
		const json = JSON.parse(fs.readFileSync(FALLBACK_TRIGGER_WORKFLOW, 'utf8'));
		const vars = { NAME: 'Tartan: dev trigger', WEBHOOK_ID: 'b3f1c2d4-0d0e-4c5a-9e7f-7a27a0de0001', EVENTS: ['*'], CUSTOM_EVENTS: '', OUTPUT: 'perWebhook', RESPOND: 'immediately', OPTIONS: {}, CRED_ID: '', CRED_NAME: '' };
		templates.push({ file: FALLBACK_TRIGGER_WORKFLOW, json: substitute(json, vars) });
	}

	const existingWorkflows = await listAll(api, 'workflows');
	for (const template of templates) {
		const name = template.json.name;
		let workflow = existingWorkflows.find((w) => w.name === name);
		if (workflow && RESTORE_EXAMPLES) {
			// Deleted and imported again below (same webhook path; its executions go with it)
			await api.api('DELETE', `/workflows/${workflow.id}`);
			workflow = undefined;
		}
		if (workflow) {
			info.existing.push(name);
		} else {
			const ready = withCredentials(template.json, byType);
			const body = { name, nodes: ready.nodes, connections: ready.connections ?? {}, settings: ready.settings ?? { executionOrder: 'v1' } };
			workflow = await api.api('POST', '/workflows', body);
			info.imported.push(name);
			if (triggerNodeOf(workflow)) {
				try {
					await api.activateWorkflow(workflow.id);
					workflow = await api.getWorkflow(workflow.id);
				} catch (error) {
					log(`could not activate "${name}": ${error.message}`);
				}
			}
		}
		const trigger = triggerNodeOf(workflow);
		if (trigger && !info.trigger) {
			const webhookPath = `${trigger.webhookId}/webhook`;
			info.trigger = {
				workflow: name,
				id: workflow.id,
				active: workflow.active === true,
				webhookPath,
				productionUrl: `${webhooks.publicUrl}/webhook/${webhookPath}`,
				testUrl: `${editor.publicUrl}/webhook-test/${webhookPath}`,
			};
		}
	}
	if (info.trigger?.active) await webhooks.waitForWebhook(info.trigger.webhookPath).catch(() => {});
	// The sandbox delivers its sync sessions, end-of-day and resends to the trigger's Production URL
	if (info.trigger) sandbox.sender.url = info.trigger.productionUrl;
	return info;
}

function banner(runtime, sandbox, info) {
	const n8n = runtime.editor;
	const lines = [
		'',
		'==================================================================',
		` n8n-nodes-tartan dev: n8n ${n8nVersion()}${QUEUE ? ' in queue mode' : ''} with this package and the Tartan sandbox`,
		'==================================================================',
		'',
		` Editor      ${n8n.publicUrl}`,
		`   login     ${DEV_LOGIN.email} / ${DEV_LOGIN.password}${info.ownerCreated ? '   (owner created now)' : ''}`,
		` Sandbox     ${sandbox.url}   (a local stand-in for Tartan; requests are logged below)`,
		` Data        ${path.relative(process.cwd(), DEV_FOLDER) || DEV_FOLDER}/ (workflows survive restarts; delete it to start over)`,
	];
	if (QUEUE) {
		lines.push(
			` Queue mode  main ${n8n.publicUrl} (editor, API; no production webhooks)`,
			`             webhook processor ${runtime.webhooks.publicUrl} (production webhooks)`,
			`             workers ${runtime.workers.map((w) => `${w.name} (health ${w.url}/healthz)`).join(', ')}`,
			`             PostgreSQL 127.0.0.1:${runtime.postgres.port} (database ${runtime.postgres.database}, user postgres), Redis 127.0.0.1:${runtime.redis.port}`,
		);
	}
	lines.push(` Logs        ${runtime.processes.map((p) => path.relative(process.cwd(), p.logFile)).join(', ')}`, '');
	if (info.loggedIn) {
		lines.push(' Credentials (already in n8n, pointing at the sandbox):');
		for (const c of info.credentials) lines.push(`   ${c.name.padEnd(42)} ${c.type}${c.created ? '   (created now)' : ''}`);
		lines.push('', ' Workflows:');
		for (const name of info.imported) lines.push(`   ${name}   (imported now)`);
		for (const name of info.existing) lines.push(`   ${name}`);
		lines.push('');
	}
	lines.push(' Try it:');
	lines.push(`   1. Open ${n8n.publicUrl} and log in. In "Overview", open a workflow; search the node panel (+) for "Tartan".`);
	if (info.trigger) {
		lines.push(`   2. "${info.trigger.workflow}" is ${info.trigger.active ? 'active' : 'NOT active (open it and switch it on / Publish)'}; its Tartan Trigger's Production URL:`);
		lines.push(`        ${info.trigger.productionUrl}`);
		lines.push('      Fire a signed test event at it, then open the workflow\'s "Executions" tab:');
		lines.push(`        TARTAN_WEBHOOK_URL=${info.trigger.productionUrl} npm run send-event -- sync.events.employee.add`);
		lines.push(`      (To watch it in the canvas: click "Execute workflow", then send to the Test URL ${info.trigger.testUrl})`);
		lines.push('      The whole loop, as Tartan runs it (the sandbox sends to that URL; "your HR system" is its sink):');
		lines.push(`        curl -X POST ${sandbox.url}/sandbox/sessions -d '{"adds":25,"updates":5}'   # a sync session, signed deliveries`);
		lines.push(`        curl ${sandbox.url}/sink/records                                       # records applied, missing, duplicated`);
		lines.push(`        curl ${sandbox.url}/sandbox/deliveries                                 # Tartan's delivery log (success / fail)`);
		lines.push(`        curl -X POST ${sandbox.url}/sandbox/end-of-day                         # Tartan re-sends what failed`);
		lines.push('      Stop the workflow or make a step fail to see failures; "nightly webhook reconciliation" (Execute workflow) re-sends them too.');
	}
	lines.push('   3. Open a workflow with Tartan Resend or Tartan Sync Callback and click "Execute workflow":');
	lines.push('      the sandbox logs each request below; the node shows Tartan\'s answer.');
	lines.push('');
	lines.push(' Editing nodes/ or credentials/ rebuilds (tsc --watch) and restarts n8n with the new build; reload the editor then.');
	lines.push(' The Tartan Trigger\'s refused or ignored deliveries show here as [refused] / [ignored] lines.');
	lines.push(' n8n saves your edits to the example workflows: `npm run dev -- --restore-examples` imports them again as shipped.');
	lines.push(' Ctrl-C (or SIGINT / SIGTERM to npm) stops n8n, the sandbox and the watchers.');
	lines.push('==================================================================', '');
	process.stdout.write(lines.join('\n') + '\n');
}

// ---------------------------------------------------------------- n8n runtime

/** The Tartan Trigger's log line about a refused or ignored delivery (see nodes/TartanTrigger/rejectionLog.ts). */
const REFUSAL_LINE = /Tartan Trigger (refused|ignored) a delivery: .*/;

/**
 * Echoes the Tartan Trigger's refusal lines from n8n's log files (those of
 * `processes()`, which changes when n8n restarts) as [refused] lines: only
 * lines written from now on. Returns a function that stops it.
 */
function followRefusals(processes) {
	const offsets = new Map();
	const sizeOf = (file) => {
		try {
			return fs.statSync(file).size;
		} catch {
			return 0;
		}
	};
	for (const p of processes()) offsets.set(p.logFile, sizeOf(p.logFile));
	const timer = setInterval(() => {
		for (const { logFile } of processes()) {
			const size = sizeOf(logFile);
			let offset = offsets.get(logFile) ?? size;
			if (size < offset) offset = 0; // a new log file
			if (size > offset) {
				const text = readRange(logFile, offset, size);
				offset += Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1));
				for (const line of text.slice(0, text.lastIndexOf('\n') + 1).split('\n')) {
					const match = REFUSAL_LINE.exec(line.replace(/\x1b\[[0-9;]*m/g, ''));
					if (match) process.stdout.write(`[${match[1]}] ${match[0]}\n`);
				}
			}
			offsets.set(logFile, offset);
		}
	}, 500);
	return () => clearInterval(timer);
}

function readRange(file, start, end) {
	const fd = fs.openSync(file, 'r');
	try {
		const buffer = Buffer.alloc(end - start);
		fs.readSync(fd, buffer, 0, buffer.length, start);
		return buffer.toString('utf8');
	} finally {
		fs.closeSync(fd);
	}
}

/**
 * Calls `onGone` once the process that started this one has gone (this one
 * was re-parented): e.g. a shell between npm and node that a signal killed.
 */
function watchParent(onGone) {
	const parent = process.ppid;
	const timer = setInterval(() => {
		if (process.ppid !== parent) {
			clearInterval(timer);
			onGone();
		}
	}, 500);
	return () => clearInterval(timer);
}

/**
 * One n8n (default) or the queue-mode stack (--queue), as one object:
 * { editor, webhooks, processes, stop(), killNow() } (+ workers, postgres,
 * redis in queue mode).
 */
async function startRuntime() {
	if (!QUEUE) {
		const n8n = await startN8n({ userFolder: DEV_FOLDER, port: n8nPort, publicUrl, signalHandlers: false });
		return { editor: n8n, webhooks: n8n, processes: [n8n], stop: () => n8n.stop(), killNow: () => n8n.killNow() };
	}
	const stack = await startQueueStack({
		workers: 2,
		ports: QUEUE_PORTS,
		publicHost: 'localhost',
		folders: {
			main: path.join(DEV_FOLDER, 'main'),
			webhook: path.join(DEV_FOLDER, 'webhook'),
			workers: [path.join(DEV_FOLDER, 'worker-1'), path.join(DEV_FOLDER, 'worker-2')],
			postgres: path.join(DEV_FOLDER, 'postgres'),
		},
		signalHandlers: false,
		log,
	});
	return {
		editor: stack.main,
		webhooks: stack.webhook,
		workers: stack.workers,
		postgres: stack.postgres,
		redis: stack.redis,
		processes: stack.processes,
		stop: () => stack.stop(),
		killNow: () => {
			for (const p of stack.processes) p.killNow();
			stack.postgres.killNow();
			stack.redis.killNow();
		},
	};
}

// ---------------------------------------------------------------- main

async function main() {
	// Once npm (our parent) is gone, writing to its pipe fails: that must not stop the clean-up
	for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
	if (!(await portFree(n8nPort))) fail(`port ${n8nPort} is in use (another n8n?); stop it or set N8N_PORT`);
	if (QUEUE) {
		for (const [name, port] of [['N8N_WEBHOOK_PORT', QUEUE_PORTS.webhook], ['POSTGRES_PORT', QUEUE_PORTS.postgres], ['REDIS_PORT', QUEUE_PORTS.redis], ['N8N_WORKER1_PORT', QUEUE_PORTS.workers[0]], ['N8N_WORKER2_PORT', QUEUE_PORTS.workers[1]]]) {
			if (!(await portFree(port))) fail(`port ${port} is in use; stop what uses it or set ${name}`);
		}
	}
	if (!(await portFree(sandboxPort))) fail(`port ${sandboxPort} is in use (npm run sandbox?); stop it or set SANDBOX_PORT`);

	log('building the package (tsc, gulp build:icons)...');
	const built = await run(process.execPath, [tscBin], 'tsc');
	const icons = await run(process.execPath, [gulpBin, 'build:icons'], 'gulp');
	const state = packageBuildState();
	if (!state.built) fail(`build incomplete: ${state.reason}`);
	if (built !== 0 || icons !== 0) log('the build reported errors (above); starting with what was emitted, fix them and the watcher rebuilds');

	log(`n8n ${n8nVersion()}: checking the install (a first install takes ~4-8 minutes and ~2.3 GB in ~/.cache/n8n-nodes-tartan; progress every 30 s)...`);
	await ensureN8n();

	const sandbox = await startSandbox({ port: sandboxPort, host: '127.0.0.1', onResponse: (record) => process.stdout.write(`[sandbox] ${logLine(record)}\n`) });

	let deployedHash = distHash();
	log(QUEUE ? `starting n8n in queue mode (data in ${DEV_FOLDER})...` : `starting n8n on ${publicUrl} (user folder ${DEV_FOLDER})...`);
	let n8n;
	try {
		n8n = await startRuntime();
	} catch (error) {
		await sandbox.close();
		fail(`n8n did not start: ${error.message}`);
	}
	let info;
	try {
		info = await setUp(n8n, sandbox);
	} catch (error) {
		log(`setting up n8n failed: ${error.message}`);
		info = { loggedIn: false, credentials: [], imported: [], existing: [] };
	}
	banner(n8n, sandbox, info);
	const stopFollowing = followRefusals(() => n8n?.processes ?? []);

	// Watchers: tsc --watch for the TypeScript, gulp for SVGs, and dist/ polled
	// (robust to dist/ being deleted and rebuilt) for n8n restarts.
	const tsc = spawn(process.execPath, [tscBin, '--watch', '--preserveWatchOutput'], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
	prefixLines(tsc.stdout, 'tsc');
	prefixLines(tsc.stderr, 'tsc');

	let iconTimer;
	const svgWatchers = ['nodes', 'credentials', 'icons']
		.filter((dir) => fs.existsSync(path.join(PACKAGE_ROOT, dir)))
		.map((dir) =>
			fs.watch(path.join(PACKAGE_ROOT, dir), { recursive: true }, (_event, file) => {
				if (!String(file ?? '').endsWith('.svg')) return;
				clearTimeout(iconTimer);
				iconTimer = setTimeout(() => void run(process.execPath, [gulpBin, 'build:icons'], 'gulp'), 300);
			}),
		);

	let restarting = false;
	let stopping = false;
	let lastSeen = deployedHash;
	const restart = async () => {
		restarting = true;
		try {
			log('dist/ changed: restarting n8n with the new build...');
			await n8n?.stop();
			deployedHash = distHash();
			n8n = await startRuntime();
			log(`n8n restarted with the new build: reload ${publicUrl} in the browser`);
		} catch (error) {
			n8n = undefined;
			log(`n8n did not start with this build: ${error.message.split('\n')[0]}`);
			log(`see the n8n.log files under ${DEV_FOLDER}; it is started again on the next change`);
		} finally {
			restarting = false;
		}
	};
	// Debounced: a restart once dist/ has been the same for one more poll (tsc writes many files).
	const poller = setInterval(() => {
		if (restarting || stopping) return;
		const now = distHash();
		if (now !== lastSeen) {
			lastSeen = now;
			return;
		}
		if (now !== deployedHash && packageBuildState().built) void restart();
	}, 1000);

	const shutdown = async (signal) => {
		if (stopping) {
			log('stopping now');
			n8n?.killNow();
			process.exit(1);
		}
		stopping = true;
		log(`${signal}: stopping n8n, the sandbox and the watchers...`);
		stopFollowing();
		stopWatchingParent();
		clearInterval(poller);
		clearTimeout(iconTimer);
		for (const watcher of svgWatchers) watcher.close();
		tsc.kill('SIGTERM');
		while (restarting) await new Promise((resolve) => setTimeout(resolve, 100));
		await n8n?.stop();
		await sandbox.close();
		log('stopped');
		process.exit(0);
	};
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void shutdown(signal));
	const stopWatchingParent = watchParent(() => void shutdown('parent process gone'));
	process.on('exit', () => {
		try {
			tsc.kill('SIGKILL');
		} catch {
			/* gone */
		}
	});
	tsc.on('exit', (code) => {
		if (!stopping) log(`tsc --watch exited (${code}); changes are no longer rebuilt`);
	});
}

main().catch((error) => fail(error.stack ?? String(error)));

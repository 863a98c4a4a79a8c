// Starts a real n8n (installed by n8n-install.mjs) on a free loopback port,
// with a fresh user folder and SQLite, and this package loaded into it. The
// same function starts the processes of n8n's queue mode (`command`: 'start'
// for the main, 'webhook' for a webhook processor, 'worker'; see queue.mjs).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { forget, installExitCleanup, killOnExit } from './exit-cleanup.mjs';
import { ensureN8n } from './n8n-install.mjs';

export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/**
 * Whether every file the package's "n8n" attribute lists is built. n8n loads a
 * package all or nothing, so tests that need it skip with `reason` otherwise.
 */
export function packageBuildState(packageRoot = PACKAGE_ROOT) {
	const pkg = readPackageJson(packageRoot);
	const listed = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])];
	const missing = listed.filter((file) => !fs.existsSync(path.join(packageRoot, file)));
	const built = listed.length > 0 && missing.length === 0;
	return {
		pkg,
		built,
		missing,
		reason: built ? false : `${pkg.name} is not built (missing: ${missing.join(', ') || 'no "n8n" attribute'}); run \`npm run build\``,
	};
}

/** Sends `signal` to a child started with `detached: true` and its whole process group (or to the child alone if that fails). */
export function killProcessGroup(child, signal) {
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			/* gone */
		}
	}
}

function readPackageJson(root) {
	return JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
}

/**
 * Puts the package where n8n looks for installed community packages
 * (<N8N_USER_FOLDER>/.n8n/nodes/node_modules/<name>), as `npm install` of the
 * published tarball would: package.json plus the files it lists (dist/). No
 * node_modules: `n8n-workflow` then resolves to n8n's own copy, as in
 * production. Nodes load as `<package name>.<node name>`.
 */
function installAsCommunityPackage(packageRoot, userFolder) {
	const pkg = readPackageJson(packageRoot);
	if (!pkg.n8n) throw new Error(`${packageRoot}/package.json has no "n8n" attribute`);
	const target = path.join(userFolder, '.n8n', 'nodes', 'node_modules', ...pkg.name.split('/'));
	// A fresh copy each start: files deleted from dist/ must not linger (dev launcher restarts)
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(target, { recursive: true });
	fs.copyFileSync(path.join(packageRoot, 'package.json'), path.join(target, 'package.json'));
	for (const entry of pkg.files ?? ['dist']) {
		const from = path.join(packageRoot, entry);
		if (fs.existsSync(from)) fs.cpSync(from, path.join(target, entry), { recursive: true });
	}
	for (const file of [...(pkg.n8n.nodes ?? []), ...(pkg.n8n.credentials ?? [])]) {
		if (!fs.existsSync(path.join(target, file))) {
			throw new Error(`${pkg.name}: ${file} (listed in package.json "n8n") is missing; run \`npm run build\``);
		}
	}
	return { name: pkg.name, dir: target };
}

function baseEnv() {
	const env = {};
	for (const [key, value] of Object.entries(process.env)) {
		// Nothing from the caller's n8n, database, npm or proxy setup leaks in.
		if (/^(N8N_|DB_|EXECUTIONS_|WEBHOOK_URL$|GENERIC_TIMEZONE$|NODES_|QUEUE_|CREDENTIALS_|npm_|INIT_CWD$)/i.test(key)) continue;
		if (/^NODE_OPTIONS$|^NODE_TEST_CONTEXT$|^NODE_PATH$/.test(key)) continue;
		env[key] = value;
	}
	return env;
}

/**
 * Starts n8n. Options:
 *  - packageRoot: the package to load (default: this repository)
 *  - load: 'package' (default) installs it as a community package, so node
 *    types are `<name>.<node>`; 'custom' points N8N_CUSTOM_EXTENSIONS at
 *    `extensionsDir` instead (types become `CUSTOM.<node>`); false copies
 *    nothing (n8n still loads whatever is installed in `userFolder`'s
 *    .n8n/nodes, e.g. by npm from a registry: registry-install.e2e.mjs).
 *  - extensionsDir: for load 'custom' (default: `<packageRoot>/dist`)
 *  - env: extra environment for n8n, applied last
 *  - startTimeoutMs: how long to wait for n8n to be ready (default 180 s)
 *  - userFolder: a persistent user folder to use (created if missing, never
 *    deleted; its n8n.log is appended to) instead of a fresh temp folder
 *  - port: the port to listen on (default: a free one)
 *  - publicUrl: the base URL n8n shows for the editor and webhooks (default
 *    `url`, http://127.0.0.1:<port>)
 *  - signalHandlers: false leaves SIGINT/SIGTERM/SIGHUP to the caller (default true)
 *  - command: 'start' (default, the main process with the editor), 'webhook'
 *    (a webhook processor: production webhooks only) or 'worker' (runs queued
 *    executions; `port` is then its health-check port). Readiness differs:
 *    the main's REST API and editor; a webhook processor's /healthz/readiness;
 *    a worker's health-check server (QUEUE_HEALTH_CHECK_*, set here).
 *  - name: a label for logs and errors (default: the command)
 *  - nodeArgs: options for Node itself, before n8n's script (e.g. --cpu-prof)
 * n8n is the version N8N_VERSION names (see n8n-install.mjs), run by the Node
 * binary that version needs (not necessarily this process's).
 * Resolves to { url, publicUrl, port, version, nodeVersion, userFolder, logFile, process, packageName, stop(), logText(), waitForWebhook() }.
 */
export async function startN8n({
	packageRoot = PACKAGE_ROOT,
	load = 'package',
	extensionsDir,
	env: extraEnv = {},
	startTimeoutMs = 180_000,
	userFolder: persistentFolder,
	port: fixedPort,
	publicUrl: fixedPublicUrl,
	signalHandlers = true,
	command = 'start',
	name = command,
	nodeArgs = [],
} = {}) {
	if (!['start', 'webhook', 'worker'].includes(command)) throw new Error(`startN8n: unknown command ${command}`);
	// N8N_VERSION (an exact version or a release line such as 1.x) and the Node it runs on
	const { bin, version, node } = await ensureN8n();
	installExitCleanup({ signals: signalHandlers });
	const [freeA, brokerPort] = await distinctFreePorts(2, fixedPort);
	const port = fixedPort ?? freeA;
	const persistent = persistentFolder !== undefined;
	const userFolder = persistent ? path.resolve(persistentFolder) : fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-'));
	if (persistent) fs.mkdirSync(userFolder, { recursive: true });
	const logFile = path.join(userFolder, 'n8n.log');
	// A persistent folder's log is appended to: readiness looks only at this start's part
	const logOffset = fs.existsSync(logFile) ? fs.statSync(logFile).size : 0;
	const url = `http://127.0.0.1:${port}`;
	const publicUrl = (fixedPublicUrl ?? url).replace(/\/+$/, '');

	let packageName;
	const env = {
		...baseEnv(),
		// That version's Node first on PATH, for anything n8n starts by name
		PATH: [node.binDir, process.env.PATH].filter(Boolean).join(path.delimiter),
		HOME: userFolder,
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_HOST: new URL(publicUrl).hostname,
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		WEBHOOK_URL: `${publicUrl}/`,
		N8N_EDITOR_BASE_URL: `${publicUrl}/`,
		N8N_ENCRYPTION_KEY: 'n8n-nodes-tartan-e2e-encryption-key',
		N8N_USER_MANAGEMENT_JWT_SECRET: 'n8n-nodes-tartan-e2e-jwt-secret',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		// SQLite in the user folder, a small pool, no vacuum
		DB_TYPE: 'sqlite',
		DB_SQLITE_POOL_SIZE: '4',
		DB_SQLITE_VACUUM_ON_STARTUP: 'false',
		// Keep every execution with its data, never prune during a run
		EXECUTIONS_MODE: 'regular',
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
		EXECUTIONS_DATA_PRUNE: 'false',
		// Nothing calls out: telemetry, version checks, templates, banners,
		// personalization survey, community node registry, AI, license renewal
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'false',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		N8N_AI_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_LICENSE_DETACH_FLOATING_ON_SHUTDOWN: 'false',
		N8N_SENTRY_DSN: '',
		N8N_FRONTEND_SENTRY_DSN: '',
		N8N_WORKFLOWS_INDEXING_ENABLED: 'false',
		// Task runner (Code node) in internal mode, on its own free port; no Python
		N8N_RUNNERS_MODE: 'internal',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_PYTHON_ENABLED: 'false',
		// Public API on (it is by default; made explicit), no Swagger UI
		N8N_PUBLIC_API_DISABLED: 'false',
		N8N_PUBLIC_API_SWAGGERUI_DISABLED: 'true',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		NO_COLOR: '1',
		NODE_ENV: 'production',
	};
	if (load === 'package') {
		packageName = installAsCommunityPackage(packageRoot, userFolder).name;
	} else if (load === 'custom') {
		env.N8N_CUSTOM_EXTENSIONS = extensionsDir ?? path.join(packageRoot, 'dist');
		packageName = 'CUSTOM';
	} else if (load !== false) {
		throw new Error(`startN8n: unknown load option ${load}`);
	}
	if (command === 'worker') {
		// A worker has no HTTP server of its own but this one, for readiness
		Object.assign(env, {
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(port),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		});
	}
	Object.assign(env, extraEnv);

	const out = fs.openSync(logFile, 'a');
	const child = spawn(node.bin, [...nodeArgs, bin, command], {
		cwd: userFolder,
		env,
		detached: true, // own process group, so that stop() reaches the task runner too
		stdio: ['ignore', out, out],
	});
	fs.closeSync(out);
	let exited = null;
	const exitPromise = new Promise((resolve) => {
		child.on('exit', (code, signal) => {
			exited = { code, signal };
			forget(instance);
			resolve(exited);
		});
	});

	const logText = () => {
		try {
			const bytes = fs.readFileSync(logFile);
			return bytes.subarray(Math.min(logOffset, bytes.length)).toString('utf8');
		} catch {
			return '';
		}
	};

	const killGroup = (signal) => killProcessGroup(child, signal);

	let stopping;
	const instance = {
		url,
		publicUrl,
		port,
		version,
		nodeVersion: node.version,
		command,
		name,
		userFolder,
		logFile,
		process: child,
		packageName,
		logText,
		/** Sends `signal` to n8n's process group (n8n and its task runner) and resolves when n8n has exited; the folder stays. */
		kill: async (signal = 'SIGKILL') => {
			if (exited === null) killGroup(signal);
			return await exitPromise;
		},
		exited: () => exited,
		/** Synchronous last resort (process exit): SIGKILL the group, drop the folder. */
		killNow: () => {
			if (exited === null) killGroup('SIGKILL');
			if (!persistent && process.env.N8N_E2E_KEEP !== '1') fs.rmSync(userFolder, { recursive: true, force: true });
		},
		/**
		 * Stops n8n: SIGTERM to its process group, SIGKILL after `timeoutMs`.
		 * `quiet`: no "kept" message (a caller that keeps the folder to inspect it
		 * and removes it itself).
		 */
		stop: ({ timeoutMs = 15_000, keepFolder = process.env.N8N_E2E_KEEP === '1', quiet = false } = {}) => {
			stopping ??= (async () => {
				if (exited === null) {
					killGroup('SIGTERM');
					const abort = new AbortController();
					const timer = sleep(timeoutMs, 'timeout', { signal: abort.signal }).catch(() => 'aborted');
					const outcome = await Promise.race([exitPromise, timer]);
					abort.abort();
					if (outcome === 'timeout') {
						killGroup('SIGKILL');
						await exitPromise;
					}
				}
				// The task runner may outlive n8n by a moment
				killGroup('SIGKILL');
				forget(instance);
				if (persistent) return;
				if (!keepFolder) fs.rmSync(userFolder, { recursive: true, force: true });
				else if (!quiet) process.stderr.write(`[n8n] kept ${userFolder}\n`);
			})();
			return stopping;
		},
		/**
		 * Waits until a production webhook is registered for `method` (default
		 * POST), without running its workflow: a CORS preflight (OPTIONS with
		 * Origin and Access-Control-Request-Method), which n8n answers with 204
		 * and `Access-Control-Allow-Methods: OPTIONS, <method>` for a registered
		 * path, and with 500 and `OPTIONS` alone for an unknown one (1.123.x,
		 * 2.8.4, 2.41.1 alike). A plain OPTIONS is no test: n8n answers it with
		 * 204 for any path. In n8n 2.41 (not 2.8.4 or 1.123), publishing
		 * (activate) registers the webhooks a moment after the API call returns
		 * (a publication outbox), so the wait matters there.
		 */
		waitForWebhook: async (webhookPath, { timeoutMs = 30_000, method = 'POST' } = {}) => {
			const target = `${url}/webhook/${webhookPath.replace(/^\/+/, '')}`;
			const deadline = Date.now() + timeoutMs;
			let last;
			while (Date.now() < deadline) {
				if (exited) throw new Error(`n8n exited (${JSON.stringify(exited)}) while waiting for ${target}\n${tail(logText())}`);
				try {
					const res = await fetch(target, {
						method: 'OPTIONS',
						headers: { origin: 'http://127.0.0.1', 'access-control-request-method': method },
					});
					const allowed = (res.headers.get('access-control-allow-methods') ?? '').split(/\s*,\s*/);
					await res.arrayBuffer();
					last = `${res.status}, allows ${allowed.join(', ') || 'nothing'}`;
					if (res.ok && allowed.includes(method)) return res.status;
				} catch (error) {
					last = String(error);
				}
				await sleep(250);
			}
			throw new Error(`webhook ${target} not registered after ${timeoutMs} ms (last: ${last})`);
		},
	};
	killOnExit(instance);

	try {
		await waitReady(instance, () => exited, startTimeoutMs);
	} catch (error) {
		await instance.stop({ keepFolder: true });
		throw error;
	}
	return instance;
}

async function distinctFreePorts(count, taken) {
	const ports = new Set();
	if (taken !== undefined) ports.add(taken);
	count += ports.size;
	while (ports.size < count) ports.add(await freePort());
	return [...ports].filter((port) => port !== taken);
}

export function tail(text, lines = 60) {
	return text.split('\n').slice(-lines).join('\n');
}

/**
 * /healthz answers as soon as the HTTP server listens, before n8n has loaded
 * nodes and registered its REST API; /healthz/readiness once the database is
 * migrated. Ready here means, for the main: readiness is 200 and an
 * unauthenticated REST endpoint (/rest/settings) answers 200, and the log says
 * the editor is up; for a webhook processor or a worker: readiness is 200
 * (their servers start only after nodes are loaded and the database and
 * Redis connected).
 */
async function waitReady(instance, exited, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	let last = 'no answer';
	while (Date.now() < deadline) {
		const gone = exited();
		if (gone) throw new Error(`n8n ${instance.name} exited during start (${JSON.stringify(gone)}); log ${instance.logFile}:\n${tail(instance.logText())}`);
		try {
			const ready = await fetch(`${instance.url}/healthz/readiness`);
			last = `readiness ${ready.status}`;
			if (ready.ok && instance.command !== 'start') return;
			if (ready.ok) {
				const settings = await fetch(`${instance.url}/rest/settings`);
				last = `settings ${settings.status}`;
				if (settings.ok && /Editor is now accessible/.test(instance.logText())) return;
			}
		} catch (error) {
			last = String(error.cause?.code ?? error);
		}
		await sleep(250);
	}
	throw new Error(`n8n ${instance.name} not ready after ${timeoutMs} ms (last: ${last}); log ${instance.logFile}:\n${tail(instance.logText())}`);
}

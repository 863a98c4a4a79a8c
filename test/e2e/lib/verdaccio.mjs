// A throwaway local npm registry (Verdaccio) for the registry-install test.
//
// Verdaccio is installed once into a cache folder outside the package, like
// n8n: ${N8N_CACHE_DIR:-~/.cache/n8n-nodes-tartan}/verdaccio-6.8.0 (~330
// packages, ~60 MB, ~20 s; no install scripts). It is not a devDependency: it
// would add those packages to every `npm ci`, and it installs on Node 20 only
// with an `overrides` of node-fetch to 2.7.0, which in the package's own
// lockfile would also pin the node-fetch of @n8n/node-cli and n8n-core.
//
// startVerdaccio() runs it on a free loopback port with its config, storage
// and user list in a temp folder, and no uplink: it serves only what is
// published to it. Run this file directly to pre-install it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { forget, installExitCleanup, killOnExit } from '../../../scripts/lib/exit-cleanup.mjs';
import { cacheRoot, cleanNpmEnv, runNpm, withLock } from '../../../scripts/lib/n8n-install.mjs';
import { freePort, killProcessGroup, tail } from '../../../scripts/lib/n8n.mjs';
import { spawnServer } from '../../../scripts/lib/services.mjs';

export const VERDACCIO_VERSION = '6.8.0';
const MARKER = '.verdaccio-installed';

function readJson(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

function installed(dir) {
	const bin = path.join(dir, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
	const pkg = readJson(path.join(dir, 'node_modules', 'verdaccio', 'package.json'));
	const marker = readJson(path.join(dir, MARKER));
	if (pkg?.version !== VERDACCIO_VERSION || marker?.version !== VERDACCIO_VERSION || !fs.existsSync(bin)) return undefined;
	return { dir, bin, version: VERDACCIO_VERSION };
}

/** Makes sure Verdaccio is installed in the cache; returns { dir, bin, version }. */
export async function ensureVerdaccio() {
	const dir = path.join(cacheRoot(), `verdaccio-${VERDACCIO_VERSION}`);
	const ready = installed(dir);
	if (ready) return ready;
	fs.mkdirSync(path.dirname(dir), { recursive: true });
	return await withLock(`verdaccio-${VERDACCIO_VERSION}`, async () => {
		const again = installed(dir);
		if (again) return again;
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		const pkg = {
			name: 'verdaccio-e2e-cache',
			private: true,
			dependencies: { verdaccio: VERDACCIO_VERSION },
			// Without it Verdaccio 6.8 pulls a node-fetch that does not install on Node 20
			overrides: { 'node-fetch': '2.7.0' },
		};
		fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
		process.stderr.write(`[verdaccio] installing verdaccio@${VERDACCIO_VERSION} into ${dir}...\n`);
		const started = Date.now();
		// None of its packages has an install script
		await runNpm(['install', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: dir, logFile: path.join(dir, 'install.log'), label: 'verdaccio install' });
		fs.writeFileSync(path.join(dir, MARKER), JSON.stringify({ version: VERDACCIO_VERSION, node: process.version }) + '\n');
		process.stderr.write(`[verdaccio] installed in ${Math.round((Date.now() - started) / 1000)} s\n`);
		const done = installed(dir);
		if (!done) throw new Error(`verdaccio@${VERDACCIO_VERSION} install in ${dir} looks incomplete`);
		return done;
	});
}

/**
 * Starts Verdaccio on 127.0.0.1:<free port> with everything in a temp folder,
 * anyone may read, an authenticated user may publish, no uplink. Creates one
 * throwaway user and writes its token to `<folder>/publisher.npmrc`.
 * Resolves to { url, folder, userconfig, stop(), logText() }.
 */
export async function startVerdaccio({ startTimeoutMs = 60_000 } = {}) {
	const { bin } = await ensureVerdaccio();
	installExitCleanup();
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'verdaccio-e2e-'));
	const port = await freePort();
	const url = `http://127.0.0.1:${port}/`;
	const config = path.join(folder, 'config.yaml');
	fs.writeFileSync(
		config,
		[
			`storage: ${JSON.stringify(path.join(folder, 'storage'))}`,
			'auth:',
			'  htpasswd:',
			`    file: ${JSON.stringify(path.join(folder, 'htpasswd'))}`,
			'    max_users: 1',
			'packages:',
			"  '**':",
			'    access: $all',
			'    publish: $authenticated',
			'    unpublish: $authenticated',
			`listen: 127.0.0.1:${port}`,
			'web:',
			'  enable: false',
			'log: { type: stdout, format: pretty, level: http }',
			'',
		].join('\n'),
	);
	const logFile = path.join(folder, 'verdaccio.log');
	const { child, exited, exitPromise } = spawnServer(process.execPath, [bin, '--config', config], {
		cwd: folder,
		env: { ...cleanNpmEnv(), HOME: folder },
		logFile,
	});
	const logText = () => {
		try {
			return fs.readFileSync(logFile, 'utf8');
		} catch {
			return '';
		}
	};
	let stopping;
	const registry = {
		url,
		port,
		folder,
		logFile,
		logText,
		userconfig: path.join(folder, 'publisher.npmrc'),
		killNow: () => {
			if (exited() === null) killProcessGroup(child, 'SIGKILL');
			if (process.env.N8N_E2E_KEEP !== '1') fs.rmSync(folder, { recursive: true, force: true });
		},
		/** SIGTERM (SIGKILL after 5 s), then the temp folder goes (kept with N8N_E2E_KEEP=1). */
		stop: () => {
			stopping ??= (async () => {
				if (exited() === null) {
					killProcessGroup(child, 'SIGTERM');
					const outcome = await Promise.race([exitPromise, sleep(5000, 'timeout')]);
					if (outcome === 'timeout') {
						killProcessGroup(child, 'SIGKILL');
						await exitPromise;
					}
				}
				forget(registry);
				if (process.env.N8N_E2E_KEEP === '1') process.stderr.write(`[verdaccio] kept ${folder}\n`);
				else fs.rmSync(folder, { recursive: true, force: true });
			})();
			return stopping;
		},
	};
	killOnExit(registry);

	try {
		const deadline = Date.now() + startTimeoutMs;
		let last = 'no answer';
		for (;;) {
			if (exited()) throw new Error(`verdaccio exited during start (${JSON.stringify(exited())}):\n${tail(logText())}`);
			try {
				const res = await fetch(`${url}-/ping`);
				last = `ping ${res.status}`;
				if (res.ok) break;
			} catch (error) {
				last = String(error.cause?.code ?? error);
			}
			if (Date.now() > deadline) throw new Error(`verdaccio not ready after ${startTimeoutMs} ms (last: ${last}):\n${tail(logText())}`);
			await sleep(200);
		}
		// A throwaway user (htpasswd in the temp folder); Verdaccio answers with a token
		const user = { name: 'e2e-publisher', password: `e2e-${Date.now()}-not-a-secret` };
		const res = await fetch(`${url}-/user/org.couchdb.user:${user.name}`, {
			method: 'PUT',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ ...user, type: 'user', roles: [], date: new Date().toISOString() }),
		});
		const body = await res.json().catch(() => ({}));
		if (!res.ok || typeof body.token !== 'string') throw new Error(`verdaccio user creation -> ${res.status} ${JSON.stringify(body)}`);
		const hostPath = url.replace(/^https?:/, '');
		fs.writeFileSync(registry.userconfig, `registry=${url}\n${hostPath}:_authToken=${body.token}\n`, { mode: 0o600 });
	} catch (error) {
		await registry.stop();
		throw error;
	}
	return registry;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	ensureVerdaccio().then(
		(result) => process.stderr.write(`[verdaccio] ${result.version} ready: ${result.bin}\n`),
		(error) => {
			process.stderr.write(`${error.stack ?? error}\n`);
			process.exit(1);
		},
	);
}

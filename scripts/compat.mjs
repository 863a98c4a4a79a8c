// The version matrix: installs each n8n named (default: the release lines 1.x
// and 2.x, i.e. the newest 1.x and the newest 2.x that install, each with the
// Node it needs), then runs the compatibility suite (test/e2e/compat.e2e.mjs)
// on each, one after the other, and prints a summary.
//
//   node scripts/compat.mjs                 # 1.x and 2.x (npm run test:compat)
//   node scripts/compat.mjs 1.123.81 2.x    # exact versions and lines mixed
//   N8N_COMPAT_VERSIONS="1.x 2.x" node scripts/compat.mjs
//
// A newer version skipped for a registry gap is reported (in the install
// output, the suite's skipped tests and the summary), not failed. Any other
// install failure, or a failing test, fails the run.
import { spawn } from 'node:child_process';
import path from 'node:path';

import { ensureN8n } from './lib/n8n-install.mjs';
import { PACKAGE_ROOT } from './lib/n8n.mjs';

const specs = process.argv.slice(2).length
	? process.argv.slice(2)
	: (process.env.N8N_COMPAT_VERSIONS || '1.x 2.x').split(/[\s,]+/).filter(Boolean);
const SUITE = path.join(PACKAGE_ROOT, 'test', 'e2e', 'compat.e2e.mjs');

function log(message) {
	process.stderr.write(`[compat] ${message}\n`);
}

function runSuite(spec) {
	return new Promise((resolve) => {
		const env = { ...process.env, N8N_VERSION: spec };
		delete env.N8N_NODE; // the Node each version needs, as the install chose it
		const child = spawn(process.execPath, ['--test', '--test-concurrency=1', SUITE], { cwd: PACKAGE_ROOT, env, stdio: 'inherit' });
		child.on('exit', (code, signal) => resolve(code === 0 ? 'pass' : `fail (${signal ?? `exit ${code}`})`));
	});
}

// Installs first, all at once (mostly network and disk: two first installs
// together take about as long as one), then the suites one after the other.
const rows = specs.map((spec) => ({ spec }));
await Promise.all(
	rows.map(async (row) => {
		const installStarted = Date.now();
		try {
			const installed = await ensureN8n({ version: row.spec });
			Object.assign(row, { version: installed.version, node: installed.node.version, skipped: installed.skipped });
		} catch (error) {
			log(`${row.spec}: install failed: ${error.stack ?? error}`);
			row.result = 'install failed';
		}
		row.installSeconds = Math.round((Date.now() - installStarted) / 1000);
	}),
);
for (const row of rows) {
	if (row.result) continue;
	const { spec } = row;
	log(`${spec}: running the compatibility suite on n8n ${row.version} (Node ${row.node})`);
	const started = Date.now();
	row.result = await runSuite(spec);
	row.testSeconds = Math.round((Date.now() - started) / 1000);
}

log('summary:');
for (const row of rows) {
	const skipped = row.skipped?.length ? `; not installable, so not tested: ${row.skipped.map((s) => `${s.version} (${s.reason})`).join(', ')}` : '';
	log(
		`  ${row.spec.padEnd(9)} -> n8n ${row.version ?? '?'} on Node ${row.node ?? '?'}: ${row.result}` +
			`${row.testSeconds !== undefined ? ` in ${row.testSeconds}s` : ''}${row.installSeconds ? ` (install/check ${row.installSeconds}s)` : ''}${skipped}`,
	);
}
process.exit(rows.every((row) => row.result === 'pass') ? 0 : 1);

#!/usr/bin/env node
// npm run fuzz -- [--count N] [--seed S] [--concurrency C]
// The Tartan Trigger fuzz run outside the test suite, at any size: starts a
// real n8n (loopback only) with a Tartan Trigger and n8n's Webhook node as the
// control, sends N generated requests (default 10,000; at most 100,000), and
// prints the answers by class, n8n's own 5xx, any violation, the executions
// and n8n's memory before and after. Exit code 1 when anything is wrong.
// Needs `npm run build` first. The cases are in test/e2e/lib/fuzz.mjs.
import { randomBytes } from 'node:crypto';

import { packageBuildState } from './lib/n8n.mjs';
import { writeEvidence } from '../test/e2e/lib/evidence.mjs';
import { runFuzzSession, startFuzzTarget } from '../test/e2e/lib/fuzz.mjs';

function parseArgs(argv) {
	const options = { count: 10_000, seed: 20261201, concurrency: 8 };
	for (let i = 0; i < argv.length; i++) {
		const [flag, value] = [argv[i], argv[i + 1]];
		const number = Number(value);
		if (!['--count', '--seed', '--concurrency'].includes(flag) || !Number.isInteger(number) || number < 1) {
			process.stderr.write('usage: npm run fuzz -- [--count N (1..100000)] [--seed S] [--concurrency C (1..32)]\n');
			process.exit(2);
		}
		options[flag.slice(2)] = number;
		i++;
	}
	if (options.count > 100_000 || options.concurrency > 32) {
		process.stderr.write('fuzz: --count is at most 100000 and --concurrency at most 32 (bounded load on loopback)\n');
		process.exit(2);
	}
	return options;
}

/**
 * Rows that look alarming but are right, by class prefix: printed under the
 * table for the classes in the run (see docs/development.md, "Fuzz suite").
 */
const NOTES = [
	['random:digit-changed', 'one hex digit of the correct signature replaced by a random one: 1 time in 16 it is the same digit, so the signature is still right and 200 is correct (the case expects it)'],
	['header:', 'upper- or mixed-case hex and spaces or tabs around the signature are accepted (200): they do not change the digest'],
	['transport:', 'a correctly signed body is accepted (200) whatever its Content-Type; multipart gets 415 (n8n parses it before the node, 400 on 2.41); a wrong Content-Length or HEAD gets a 4xx from n8n itself'],
	['body:', 'a changed body signed over the original is refused: 401 from the trigger, or 422 from n8n\'s own JSON parser when the change broke the JSON (before the node runs)'],
	['random:truncated', 'a cut body: 401, or 422 from n8n\'s JSON parser, or 401 missing_body for an empty one'],
	['signed:deeply-nested', 'signed but unusual JSON: 200, or n8n\'s own 4xx/500 where its parser gives up (its Webhook node answers the same)'],
];

function notesFor(classes) {
	return NOTES.filter(([prefix]) => classes.some((cls) => cls.startsWith(prefix))).map(([prefix, note]) => `  ${prefix.padEnd(22)} ${note}`);
}

const options = parseArgs(process.argv.slice(2));
const build = packageBuildState();
if (!build.built) {
	process.stderr.write(`fuzz: ${build.reason}\n`);
	process.exit(2);
}
const appSecretKey = `fuzz-app-key-${randomBytes(18).toString('base64url')}`;
const previousKey = `fuzz-previous-key-${randomBytes(18).toString('base64url')}`;
process.stdout.write(`fuzz: starting n8n (count ${options.count}, seed ${options.seed}, concurrency ${options.concurrency})...\n`);
const target = await startFuzzTarget({ appSecretKey, previousKey });
let failed = true;
try {
	const report = await runFuzzSession(target, options);
	const log = target.n8n.logText();
	const refusalLines = log.split('\n').filter((line) => line.includes('Tartan Trigger refused a delivery')).length;
	const leaked = log.includes(appSecretKey) || log.includes(previousKey);
	const file = writeEvidence(`fuzz-report-${options.count}`, { options, ...report, refusalLines });
	const rows = Object.entries(report.byClass)
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([cls, { count, statuses }]) => `  ${cls.padEnd(44)} ${String(count).padStart(6)}  ${Object.entries(statuses).map(([s, n]) => `${s}×${n}`).join(' ')}`);
	const lines = [
		'',
		`requests ${report.total} in ${report.seconds} s; answers ${JSON.stringify(report.byStatus)}`,
		...rows,
		'rows that look wrong but are right:',
		...notesFor(Object.keys(report.byClass)),
		`accepted (2xx) ${report.accepted}; executions +${report.executions.growth} (expected +${report.expectedGrowth})`,
		`forged executions (2xx where the request did not deserve it, or executions beyond the accepted): ${report.violations.filter((v) => v.status >= 200 && v.status < 300).length + Math.max(0, report.executions.growth - report.expectedGrowth)}`,
		`answers that do not fit their request: ${report.violations.length}`,
		`5xx caused by the trigger: ${report.triggerCaused5xx.length}; n8n's own 5xx (its Webhook node answers the same): ${report.n8nOwn5xx.length} ${JSON.stringify(report.n8nOwn5xx.map((x) => x.kind))}`,
		`hangs: ${report.hangs.length}; n8n alive: ${report.n8nAlive}; /healthz: ${report.healthz}`,
		`key rotation: previous key during the rotation ${report.rotation.duringRotation}, right after it was cleared ${report.rotation.afterClear}`,
		`n8n memory (RSS): ${report.memory.beforeMiB} MiB before, ${report.memory.afterMiB} MiB after`,
		`refusal lines in n8n's log: ${refusalLines} (rate-limited); a signing key in the log: ${leaked ? 'YES' : 'no'}`,
		`report: ${file}`,
		'',
	];
	process.stdout.write(lines.join('\n'));
	failed =
		report.violations.length > 0 ||
		report.triggerCaused5xx.length > 0 ||
		report.hangs.length > 0 ||
		report.executions.growth !== report.expectedGrowth ||
		!report.n8nAlive ||
		report.healthz !== 200 ||
		leaked;
	if (report.violations.length > 0) process.stdout.write(`first violations: ${JSON.stringify(report.violations.slice(0, 10), null, 2)}\n`);
} finally {
	await target.n8n.stop();
}
process.exit(failed ? 1 : 0);

// `npm run bench`: every Tartan node side by side with the n8n built-in a user
// would otherwise wire up for the same job, in one real n8n (the e2e
// harness's pinned version) against the local sandbox, on loopback only.
//
// Each figure is a ratio measured in this run: A and B alternate in adjacent
// rounds (A B, then B A, ...), each pair gives a ratio, and the figure is the
// median of the per-pair ratios. A round is marked disturbed when processes
// other than this script, its sandbox and n8n used more than
// DISTURBED_CORES of the machine meanwhile.
//
//   T1  signed deliveries/s, 10 connections, 10-record payload: Tartan Trigger ÷ Webhook node  (goal >= 1.00)
//   T2  wrongly signed (rejected) deliveries/s ÷ signed (accepted) deliveries/s, Tartan Trigger (goal >= 4)
//   T2n the same refusals ÷ refusals that never read the key (no signature header): what reading
//       the key and the HMAC cost over n8n's own work for any webhook request       (goal >= 0.95)
//   P1  signed deliveries/s, 10 connections, 10 records with realistic personal values: Tartan
//       Trigger with its personal-data preset (the default) ÷ the same trigger with Personal Data: Off (goal >= 0.95)
//   T3  p50 latency of a 2 MB delivery (1,000 records): Tartan Trigger ÷ Webhook node            (goal <= 1.05)
//   O1  node time for 1,000 items, sandbox answering at once: Tartan Resend ÷ HTTP Request       (goal <= 1.00)
//   O2  node time for 1,000 items, sandbox answering after 50 ms, concurrency 10: Tartan Sync
//       Callback ÷ the ideal 1,000 × 50 ms ÷ 10                                                     (goal <= 1.15)
//   O3  peak resident memory of n8n, 10,000 items: Tartan Sync Callback ÷ HTTP Request           (goal <= 1.10)
//
// Usage: npm run build && npm run bench [-- --pairs 5] [--only T1,O1] [--out dir] [--update-docs] [--no-write] [--profile dir]
// Writes <out>/results.json (every round, raw), results.md and chart.svg; <out>
// is test-results/bench/ (not tracked) unless given. --update-docs writes to
// docs/benchmarks/ instead: the committed figures docs/performance.md shows.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { N8nApi } from './lib/api.mjs';
import { chartSvg } from './lib/bench/chart.mjs';
import { loadMeter, median, peakMemory, quantile, summarisePairs } from './lib/bench/measure.mjs';
import * as workflows from './lib/bench/workflows.mjs';
import { n8nVersion } from './lib/n8n-install.mjs';
import { PACKAGE_ROOT, packageBuildState, startN8n } from './lib/n8n.mjs';
import { makePeople, signedDelivery } from '../test/e2e/lib/employee-values.mjs';
import { makeDelivery, sendAll, sign } from '../test/e2e/lib/load.mjs';
import { triggerWorkflowVars } from '../test/e2e/lib/trigger-workflow.mjs';

const require = createRequire(import.meta.url);
const { startSandbox, SANDBOX_CREDENTIALS } = require('../test/sandbox/server.js');

const { values: args } = parseArgs({
	options: {
		pairs: { type: 'string', default: '5' },
		only: { type: 'string', default: 'T1,P1,T2,T2n,T3,O1,O2,O3' },
		out: { type: 'string' },
		'update-docs': { type: 'boolean', default: false },
		'no-write': { type: 'boolean', default: false },
		profile: { type: 'string' },
	},
});
const PAIRS = Math.max(1, Number(args.pairs) || 5);
if (args.out && args['update-docs']) {
	process.stderr.write('[bench] --out and --update-docs both name where to write: give one\n');
	process.exit(2);
}
const OUT = args.out
	? path.resolve(args.out)
	: path.join(PACKAGE_ROOT, args['update-docs'] ? path.join('docs', 'benchmarks') : path.join('test-results', 'bench'));
const ONLY = new Set(args.only.split(',').map((s) => s.trim().toUpperCase()));
const DISTURBED_CORES = 0.3;

// Workload sizes (fixed, so runs compare)
const T1_DELIVERIES = 500;
const T2_REJECTED = 900;
const T2_ACCEPTED = 300;
const T3_DELIVERIES = 15;
const T3_BYTES = 2 * 1024 * 1024;
const O1_ITEMS = 1000;
const O2_ITEMS = 1000;
const O2_LATENCY_MS = 50;
const O2_CONCURRENCY = 10;
const O3_ITEMS = 10_000;

const log = (line) => process.stderr.write(`[bench] ${line}\n`);

const build = packageBuildState();
if (!build.built) {
	log(build.reason);
	process.exit(2);
}

/** A 2 MB Tartan delivery of 1,000 employee records (the documented record, padded with a notes field). */
function bigDelivery(index) {
	const base = makeDelivery(index, { records: 1000 });
	const payload = JSON.parse(base.bytes.toString('utf8'));
	const pad = Math.ceil((T3_BYTES - base.bytes.length) / payload.body.length) - 12;
	const line = 'Joined the payroll team; moved to Pune; salary revised. ';
	payload.body = payload.body.map((record, i) => ({ ...record, notes: `${i}: ${line.repeat(Math.ceil(pad / line.length))}`.slice(0, pad) }));
	return { requestId: base.requestId, bytes: Buffer.from(JSON.stringify(payload), 'utf8') };
}

function ownProcessGroup() {
	const stat = fs.readFileSync('/proc/self/stat', 'utf8');
	return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

async function main() {
	const started = Date.now();
	const secrets = { appKey: SANDBOX_CREDENTIALS.appSecretKey, apiKey: SANDBOX_CREDENTIALS.apiKey, bearerToken: SANDBOX_CREDENTIALS.bearerToken };
	const sandbox = await startSandbox();
	// --profile <dir>: n8n writes a V8 CPU profile there when it stops (for "where does the time go")
	const n8n = await startN8n(args.profile ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${path.resolve(args.profile)}`] } : {});
	const cleanup = async () => {
		await n8n.stop();
		await sandbox.close();
	};
	try {
		const api = new N8nApi(n8n.url);
		await api.bootstrap();
		const domains = { allowedHttpRequestDomains: 'all' };
		const creds = {
			signing: await api.createCredential({ name: 'bench signing key', type: 'tartanWebhookSigningApi', data: { appSecretKey: secrets.appKey } }),
			api: await api.createCredential({
				name: 'bench Tartan API',
				type: 'tartanApi',
				data: { environment: 'dev', baseUrl: sandbox.url, apiKey: secrets.apiKey, ...domains },
			}),
			bearer: await api.createCredential({
				name: 'bench Tartan Bearer',
				type: 'tartanBearerApi',
				data: { environment: 'dev', baseUrl: sandbox.url, token: secrets.bearerToken, ...domains },
			}),
		};
		const meter = loadMeter({ bench: ownProcessGroup(), n8n: n8n.process.pid });
		const memory = peakMemory(n8n.process.pid);

		/** Runs fn() as one round: { value, load, ...details }. */
		const round = async (fn) => {
			meter.start();
			const result = await fn();
			const load = meter.stop();
			return { ...result, load, disturbed: load.otherCores > DISTURBED_CORES };
		};

		/** Alternating A/B pairs (after one warm-up round each): the per-pair ratios. */
		async function paired(id, a, b, ratioOf = (x, y) => x / y) {
			log(`${id}: warm-up`);
			await a();
			if (b) await b();
			const pairs = [];
			for (let i = 0; i < PAIRS; i++) {
				let ra;
				let rb;
				if (!b) ra = await round(a);
				else if (i % 2 === 0) {
					ra = await round(a);
					rb = await round(b);
				} else {
					rb = await round(b);
					ra = await round(a);
				}
				const ratio = ratioOf(ra.value, rb?.value);
				pairs.push({ a: ra, b: rb, ratio, disturbed: ra.disturbed || Boolean(rb?.disturbed) });
				log(
					`${id} pair ${i + 1}/${PAIRS}: A ${ra.value.toFixed(2)}${rb ? `  B ${rb.value.toFixed(2)}` : ''}  ratio ${ratio.toFixed(3)}  n8n CPU ${ra.load.cpuMs.n8n}${rb ? `/${rb.load.cpuMs.n8n}` : ''} ms  other load ${ra.load.otherCores}${rb ? `/${rb.load.otherCores}` : ''} cores${ra.disturbed || rb?.disturbed ? '  (disturbed)' : ''}`,
				);
			}
			return pairs;
		}

		// The e2e suite's webhook workflows (Tartan Trigger or Webhook node -> No Op), published once
		const publish = async (template, vars, webhookPath) => {
			const wf = await api.importWorkflow(path.join(PACKAGE_ROOT, 'test', 'e2e', 'workflows', template), vars);
			await api.activateWorkflow(wf.id);
			await n8n.waitForWebhook(webhookPath);
			return `${n8n.url}/webhook/${webhookPath}`;
		};

		const figures = [];
		const figure = (id, title, a, b, goal, pairs, extra = {}) => {
			const summary = summarisePairs(pairs);
			const met = goal.op === '>=' ? summary.ratio >= goal.value : summary.ratio <= goal.value;
			figures.push({ id, title, a, b, goal, met, ...summary, ...extra, rounds: pairs });
			log(`${id}: ${summary.ratio.toFixed(3)} (spread ${summary.min.toFixed(3)}–${summary.max.toFixed(3)}), goal ${goal.op} ${goal.value}: ${met ? 'met' : 'NOT met'}`);
		};

		/** Sends deliveries at a concurrency; all must get `status`; the value is deliveries per second. */
		const rate = async (url, requests, status, concurrency = 10) => {
			const results = await sendAll(url, requests, { concurrency, timeoutMs: 30_000 });
			const wrong = results.filter((r) => r.status !== status);
			if (wrong.length) throw new Error(`${wrong.length} of ${results.length} deliveries to ${url} did not get ${status}: ${JSON.stringify(wrong.slice(0, 3).map((r) => [r.status, r.error, r.body]))}`);
			const first = Math.min(...results.map((r) => r.sentAt));
			const last = Math.max(...results.map((r) => r.sentAt + r.ms));
			return { value: results.length / ((last - first) / 1000), count: results.length, seconds: (last - first) / 1000 };
		};
		const signedRequests = (count, records = 10) =>
			Array.from({ length: count }, (_, i) => {
				const delivery = makeDelivery(i, { records });
				return { bytes: delivery.bytes, headers: { 'content-type': 'application/json', 'tartan-signature': sign(secrets.appKey, delivery.bytes) } };
			});
		const wrongRequests = (count) =>
			signedRequests(count).map((r) => ({ ...r, headers: { ...r.headers, 'tartan-signature': sign(`${secrets.appKey}-wrong`, r.bytes) } }));

		let tartanUrl;
		let webhookUrl;
		if (['T1', 'T2', 'T2N', 'T3'].some((id) => ONLY.has(id))) {
			const tartanId = randomUUID();
			tartanUrl = await publish(
				'tartan-trigger.json',
				triggerWorkflowVars({ name: 'bench Tartan Trigger', webhookId: tartanId, credential: creds.signing, respond: 'whenFinished' }),
				`${tartanId}/webhook`,
			);
			const webhookId = randomUUID();
			webhookUrl = await publish('webhook-node-noop.json', { NAME: 'bench Webhook node', WEBHOOK_ID: webhookId, PATH: webhookId }, webhookId);
		}

		if (ONLY.has('T1')) {
			const requests = signedRequests(T1_DELIVERIES);
			const pairs = await paired('T1', () => rate(tartanUrl, requests, 200), () => rate(webhookUrl, requests, 200));
			figure('T1', 'Signed deliveries/s, 10 connections, 10 records', 'Tartan Trigger → No Op', 'Webhook node → No Op', { op: '>=', value: 1 }, pairs, {
				unit: 'deliveries/s',
			});
		}

		if (ONLY.has('P1')) {
			// The same trigger twice, the preset (masks, drops, detection) against Off
			const urls = {};
			for (const personalData of ['protect', 'off']) {
				const id = randomUUID();
				const vars = triggerWorkflowVars({ name: `bench Tartan Trigger, Personal Data ${personalData}`, webhookId: id, credential: creds.signing, respond: 'whenFinished', personalData });
				urls[personalData] = await publish('tartan-trigger.json', vars, `${id}/webhook`);
			}
			const requests = Array.from({ length: T1_DELIVERIES }, (_, i) => {
				const delivery = signedDelivery(makePeople(10).map((p) => p.record), secrets.appKey, { session: 'bench-pd', counter: i + 1 });
				return { bytes: delivery.bytes, headers: { 'content-type': 'application/json', 'tartan-signature': delivery.signature } };
			});
			const pairs = await paired('P1', () => rate(urls.protect, requests, 200), () => rate(urls.off, requests, 200));
			figure('P1', 'Signed deliveries/s, personal-data preset ÷ Off', 'Tartan Trigger, Protect (preset)', 'Tartan Trigger, Off', { op: '>=', value: 0.95 }, pairs, {
				unit: 'deliveries/s',
			});
		}

		if (ONLY.has('T2')) {
			const rejected = wrongRequests(T2_REJECTED);
			const accepted = signedRequests(T2_ACCEPTED);
			const pairs = await paired('T2', () => rate(tartanUrl, rejected, 401), () => rate(tartanUrl, accepted, 200));
			figure('T2', 'Rejected ÷ accepted deliveries/s (wrong key vs right key)', 'Tartan Trigger, wrong key', 'Tartan Trigger, right key', { op: '>=', value: 4 }, pairs, {
				unit: 'deliveries/s',
			});
		}

		if (ONLY.has('T2N')) {
			const rejected = wrongRequests(T2_REJECTED);
			const unsigned = rejected.map((r) => ({ ...r, headers: { 'content-type': 'application/json' } }));
			const pairs = await paired('T2n', () => rate(tartanUrl, rejected, 401), () => rate(tartanUrl, unsigned, 401));
			figure('T2n', 'Wrong-key refusals/s ÷ refusals that never read the key', 'Tartan Trigger, wrong key', 'Tartan Trigger, no signature header', { op: '>=', value: 0.95 }, pairs, {
				unit: 'deliveries/s',
			});
		}

		if (ONLY.has('T3')) {
			const deliveries = Array.from({ length: T3_DELIVERIES }, (_, i) => {
				const delivery = bigDelivery(i);
				return { bytes: delivery.bytes, headers: { 'content-type': 'application/json', 'tartan-signature': sign(secrets.appKey, delivery.bytes) } };
			});
			const p50 = async (url) => {
				const results = await sendAll(url, deliveries, { concurrency: 1, timeoutMs: 60_000 });
				const wrong = results.filter((r) => r.status !== 200);
				if (wrong.length) throw new Error(`${wrong.length} 2 MB deliveries to ${url} did not get 200: ${JSON.stringify(wrong.slice(0, 2).map((r) => [r.status, r.error]))}`);
				const ms = results.map((r) => r.ms);
				return { value: median(ms), p90: quantile(ms, 0.9), bytes: deliveries[0].bytes.length };
			};
			const pairs = await paired('T3', () => p50(tartanUrl), () => p50(webhookUrl));
			figure('T3', 'p50 latency of a 2 MB delivery (1,000 records)', 'Tartan Trigger → No Op', 'Webhook node → No Op', { op: '<=', value: 1.05 }, pairs, {
				unit: 'ms',
				bytes: deliveries[0].bytes.length,
			});
		}

		/** Imports a manual workflow; run() executes it and gives the node's own time and n8n's peak memory. */
		const manualWorkflow = async (definition, nodeName, { expectedRequests, route }) => {
			const wf = await api.importWorkflow(definition);
			return async ({ latencyMs = 0 } = {}) => {
				sandbox.reset();
				sandbox.setLatency(route, latencyMs);
				const before = memory.reset();
				const startedRun = await api.runManually(wf.id);
				if (!startedRun?.executionId) throw new Error(`manual run of ${definition.name} did not start: ${JSON.stringify(startedRun)}`);
				const execution = await waitForExecution(api, startedRun.executionId);
				const peak = memory.peakMiB();
				if (execution.status !== 'success') throw new Error(`${definition.name}: execution ${execution.id} ${execution.status}: ${JSON.stringify(execution.data?.resultData?.error ?? {}).slice(0, 400)}`);
				const run = execution.data.resultData.runData[nodeName][0];
				const output = run.data.main[0];
				const sent = sandbox.requestsFor(route).length;
				if (output.length !== expectedRequests || sent !== expectedRequests) {
					throw new Error(`${definition.name}: ${output.length} items out, ${sent} requests, wanted ${expectedRequests}`);
				}
				sandbox.reset();
				return { value: run.executionTime, nodeMs: run.executionTime, peakMiB: peak, rssBeforeMiB: before, executionId: execution.id };
			};
		};

		if (ONLY.has('O1')) {
			const a = await manualWorkflow(workflows.resendWorkflow({ count: O1_ITEMS, api: creds.api }), 'Tartan Resend', { expectedRequests: O1_ITEMS, route: 'resend' });
			const b = await manualWorkflow(workflows.httpResendWorkflow({ count: O1_ITEMS, api: creds.api, baseUrl: sandbox.url }), 'HTTP Request', {
				expectedRequests: O1_ITEMS,
				route: 'resend',
			});
			const pairs = await paired('O1', () => a(), () => b());
			figure('O1', 'Node time, 1,000 items, sandbox answering at once', 'Tartan Resend', 'HTTP Request node, same POST and credential type', { op: '<=', value: 1 }, pairs, {
				unit: 'ms',
			});
		}

		if (ONLY.has('O2')) {
			const ideal = (O2_ITEMS * O2_LATENCY_MS) / O2_CONCURRENCY;
			const a = await manualWorkflow(workflows.syncCallbackWorkflow({ count: O2_ITEMS, bearer: creds.bearer, concurrency: O2_CONCURRENCY }), 'Tartan Sync Callback', {
				expectedRequests: O2_ITEMS,
				route: 'callback',
			});
			const pairs = await paired('O2', () => a({ latencyMs: O2_LATENCY_MS }), undefined, (x) => x / ideal);
			figure('O2', 'Node time, 1,000 items, 50 ms answers, concurrency 10', 'Tartan Sync Callback', `ideal ${O2_ITEMS} × ${O2_LATENCY_MS} ms ÷ ${O2_CONCURRENCY} = ${ideal} ms`, { op: '<=', value: 1.15 }, pairs, {
				unit: 'ms',
			});
		}

		if (ONLY.has('O3')) {
			const a = await manualWorkflow(workflows.syncCallbackWorkflow({ count: O3_ITEMS, bearer: creds.bearer, concurrency: 10 }), 'Tartan Sync Callback', {
				expectedRequests: O3_ITEMS,
				route: 'callback',
			});
			const b = await manualWorkflow(workflows.httpSyncCallbackWorkflow({ count: O3_ITEMS, bearer: creds.bearer, baseUrl: sandbox.url }), 'HTTP Request', {
				expectedRequests: O3_ITEMS,
				route: 'callback',
			});
			const asPeak = (r) => ({ ...r, value: r.peakMiB });
			const pairs = await paired('O3', async () => asPeak(await a()), async () => asPeak(await b()));
			figure('O3', 'Peak memory of n8n, 10,000 items', 'Tartan Sync Callback (concurrency 10)', 'HTTP Request node, same items', { op: '<=', value: 1.1 }, pairs, {
				unit: 'MiB',
			});
		}

		const seconds = Math.round((Date.now() - started) / 1000);
		const report = {
			date: new Date().toISOString(),
			n8n: n8nVersion(),
			node: process.version,
			machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30) },
			pairs: PAIRS,
			disturbedAbove: DISTURBED_CORES,
			seconds,
			figures,
		};
		printTable(report);
		if (!args['no-write']) {
			fs.mkdirSync(OUT, { recursive: true });
			fs.writeFileSync(path.join(OUT, 'results.json'), JSON.stringify(report, null, 2) + '\n');
			fs.writeFileSync(path.join(OUT, 'results.md'), markdownTable(report));
			fs.writeFileSync(
				path.join(OUT, 'chart.svg'),
				chartSvg(figures, {
					title: 'n8n-nodes-tartan benchmarks: each figure a ratio A ÷ B, named under its row',
					subtitle: `n8n ${report.n8n}, Node ${report.node}, ${report.machine.cpus} cores, ${report.date.slice(0, 10)}, median of ${PAIRS} alternating pairs`,
				}),
			);
			log(`wrote ${path.relative(PACKAGE_ROOT, OUT) || OUT}/results.json, results.md and chart.svg${args['update-docs'] ? '' : ' (docs/benchmarks/ is refreshed only with --update-docs)'}`);
		}
	} finally {
		await cleanup();
	}
}

async function waitForExecution(api, id, timeoutMs = 300_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const execution = await api.getExecution(id, { includeData: false }).catch(() => undefined);
		if (execution && (execution.finished || ['success', 'error', 'crashed', 'canceled'].includes(execution.status))) {
			return await api.getExecution(id, { includeData: true });
		}
		if (Date.now() > deadline) throw new Error(`execution ${id} did not finish in ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

/** The figures as the README's Markdown table, with each side's median value. */
function markdownTable(report) {
	const value = (f, side) => {
		const values = f.rounds.map((pair) => pair[side]?.value).filter((v) => v !== undefined);
		return values.length ? `${Math.round(median(values) * 10) / 10} ${f.unit}` : f[side];
	};
	const lines = [
		`| | figure | A | B | A ÷ B (median) | spread | goal | disturbed pairs |`,
		`| --- | --- | --- | --- | --- | --- | --- | --- |`,
		...report.figures.map(
			(f) =>
				`| ${f.id} | ${f.title} | ${f.a}: ${value(f, 'a')} | ${f.b}${f.id === 'O2' ? '' : `: ${value(f, 'b')}`} | **${f.ratio.toFixed(2)}** ${f.met ? '✓' : '✗'} | ${f.min.toFixed(2)}–${f.max.toFixed(2)} | ${f.goal.op} ${f.goal.value.toFixed(2)} | ${f.disturbedPairs} of ${f.pairs} |`,
		),
		'',
		`n8n ${report.n8n}, Node ${report.node}, ${report.machine.cpus} × ${report.machine.model}, ${report.machine.memoryGiB} GiB; ${report.date.slice(0, 16).replace('T', ' ')} UTC; ${report.pairs} alternating pairs per figure; ${report.seconds} s in all. A round is disturbed when other processes used more than ${report.disturbedAbove} cores meanwhile.`,
	];
	return lines.join('\n') + '\n';
}

function printTable(report) {
	const rows = report.figures.map((f) => [
		f.id,
		f.title,
		f.ratio.toFixed(2),
		`${f.min.toFixed(2)}–${f.max.toFixed(2)}`,
		`${f.goal.op} ${f.goal.value.toFixed(2)}`,
		f.met ? 'met' : 'NOT met',
		`${f.disturbedPairs}/${f.pairs}`,
	]);
	const head = ['', 'figure', 'ratio', 'spread', 'goal', '', 'disturbed'];
	const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
	console.log(`\nn8n ${report.n8n} · Node ${report.node} · ${report.machine.cpus} × ${report.machine.model} · ${report.seconds} s\n`);
	console.log(line(head));
	for (const row of rows) console.log(line(row));
	console.log(`\n${report.figures.filter((f) => f.met).length} of ${report.figures.length} goals met.`);
}

main().catch((error) => {
	log(error.stack ?? String(error));
	process.exitCode = 1;
});

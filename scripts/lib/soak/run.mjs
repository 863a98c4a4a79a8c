// One soak run, for `npm run soak` and test/e2e/soak.e2e.mjs: the two sides
// started (targets.mjs), the same scheduled traffic to both at once
// (traffic.mjs), memory sampled from both (sampler.mjs) and the figures
// (figures.mjs).
import { execFileSync } from 'node:child_process';
import os from 'node:os';

import { soakFigures } from './figures.mjs';
import { attachInspector, memorySource, startSampling } from './sampler.mjs';
import { startPair, startQueuePair, NODES_PER_WORKFLOW, WORKFLOWS } from './targets.mjs';
import { BLOCK, Gate, KINDS, schedule, sendPairs, summariseTraffic } from './traffic.mjs';
import { n8nVersion } from '../n8n-install.mjs';
import { PACKAGE_ROOT } from '../n8n.mjs';
import { randomSecret } from '../../../test/e2e/lib/secrets.mjs';

export const MAX_REQUESTS = 200_000;
const STARTING = { single: 'two n8n processes', queue: 'two queue-mode stacks', 'queue-shared': 'a queue-mode stack with two webhook processors' };

/** The commit the tree is at, and whether the nodes' or credentials' sources differ from it (what dist/ was built from may). */
function gitState() {
	const git = (...args) => execFileSync('git', args, { cwd: PACKAGE_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
	try {
		return { commit: git('rev-parse', '--short', 'HEAD'), sourcesChanged: git('status', '--porcelain', '--', 'nodes', 'credentials') !== '' };
	} catch {
		return null;
	}
}

function runMeta(target, { requests, concurrency, intervalMs, packageLabel, source, sendSeconds, started }) {
	return {
		date: new Date().toISOString(),
		mode: target.mode,
		respond: target.respond,
		n8n: n8nVersion(),
		git: gitState(),
		package: packageLabel,
		node: process.version,
		machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30) },
		requests,
		concurrency,
		intervalMs,
		memorySource: source,
		webhooksPerSide: target.tartan.urls.length,
		mix: Object.fromEntries(KINDS.map((k) => [k.kind, `${k.perBlock}/${BLOCK}`])),
		sendSeconds,
		seconds: Math.round((Date.now() - started) / 1000),
	};
}

/** Sends the schedule to both sides through `gate`, logging every tenth; `onDone(count)` as pairs finish. */
async function sendSchedule(target, entries, { key, concurrency, gate, onDone, log }) {
	const started = Date.now();
	let reported = 0;
	log(`sending ${entries.length} requests to each side...`);
	return await sendPairs(entries, {
		key,
		concurrency,
		gate,
		urlsOf: (entry) => ({ tartan: target.tartan.urls[entry.node], webhook: target.webhook.urls[entry.node] }),
		onDone: (count) => {
			onDone(count);
			if (count - reported < entries.length / 10) return;
			reported = count;
			log(`${count} / ${entries.length} (${Math.round((Date.now() - started) / 1000)} s)`);
		},
	});
}

/**
 * Options: requests, mode ('single': two n8n processes; 'queue': a
 * queue-mode stack per side; 'queue-shared': one stack, two webhook
 * processors; see targets.mjs), packageRoot and packageLabel (another build
 * to load, and what it is; single mode), concurrency (request pairs in
 * flight), intervalMs (between samples), warmupFraction, log. Resolves to
 * { meta, traffic, figures, samples }.
 */
export async function runSoak({ requests, mode = 'single', packageRoot, packageLabel = "this repository's dist/", concurrency = 8, intervalMs = 3000, warmupFraction = 0.2, log = () => {} }) {
	if (!Number.isInteger(requests) || requests < 100 || requests > MAX_REQUESTS) throw new Error(`soak: requests must be 100..${MAX_REQUESTS}`);
	if (!STARTING[mode]) throw new Error(`soak: unknown mode ${mode}`);
	const key = randomSecret('soak-app-key');
	const started = Date.now();
	log(`starting ${STARTING[mode]} (${WORKFLOWS} workflows × ${NODES_PER_WORKFLOW} webhooks each side)...`);
	const target = mode === 'single' ? await startPair({ appSecretKey: key, packageRoot }) : await startQueuePair({ appSecretKey: key, shared: mode === 'queue-shared', log });
	const sides = {};
	try {
		for (const side of ['tartan', 'webhook']) sides[side] = { n8n: target[side].n8n, inspector: await attachInspector(target[side].n8n) };
		const entries = schedule(requests, target.tartan.urls.length);
		let done = 0;
		const gate = new Gate();
		const source = await memorySource(sides);
		const sampler = startSampling(sides, { intervalMs, busyPids: target.busyPids, gate, source, progress: () => done });
		const sendStarted = Date.now();
		const results = await sendSchedule(target, entries, { key, concurrency, gate, onDone: (count) => (done = count), log });
		const sendSeconds = Math.round((Date.now() - sendStarted) / 1000);
		const samples = await sampler.stop();
		return {
			meta: runMeta(target, { requests, concurrency, intervalMs, packageLabel, source, sendSeconds, started }),
			traffic: summariseTraffic(entries, results),
			figures: soakFigures(samples, { warmupRequests: Math.round(requests * warmupFraction), requests }),
			samples,
		};
	} finally {
		for (const { inspector } of Object.values(sides)) inspector?.close();
		await target.stop();
	}
}

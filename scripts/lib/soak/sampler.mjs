// Memory of the two n8n processes under soak, sampled together every few
// seconds: a full GC forced through each one's inspector first (so the heap
// figure is what is still referenced, not garbage not yet collected), then
// from n8n's own metrics endpoint (N8N_METRICS=true) V8's heap in use and
// its external memory (nodejs_heap_size_used_bytes,
// nodejs_external_memory_bytes: Buffers such as request bodies live outside
// V8's heap, so "heap" here is the sum of the two), and the resident size
// of the n8n process itself from /proc (not its task runner).
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

import { collectAndMeasure, connectInspector, inspectorUrl } from './inspector.mjs';

const MiB = 1024 * 1024;

/** VmRSS of a process in MiB (one decimal), or null. */
export function procRssMiB(pid) {
	try {
		const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Math.round((Number(match[1]) / 1024) * 10) / 10 : null;
	} catch {
		return null;
	}
}

/** CPU time (clock ticks) a process has used so far, or null when it is gone. */
function cpuTicks(pid) {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return Number(fields[11]) + Number(fields[12]); // utime, stime
	} catch {
		return null;
	}
}

/**
 * Waits until none of `pids` uses more than `maxTicks` clock ticks (10 ms
 * each) in a `windowMs` window, at most `timeoutMs`: the work n8n still does
 * after the last answer (saving an execution; in queue mode the queued runs
 * a worker has not done yet) is over. Resolves to the milliseconds waited.
 */
export async function waitIdle(pids, { windowMs = 300, maxTicks = 2, timeoutMs = 30_000 } = {}) {
	const started = Date.now();
	let before = pids.map(cpuTicks);
	while (Date.now() - started < timeoutMs) {
		await sleep(windowMs);
		const now = pids.map(cpuTicks);
		if (now.every((ticks, i) => ticks === null || before[i] === null || ticks - before[i] <= maxTicks)) break;
		before = now;
	}
	return Date.now() - started;
}

/** The values of some Prometheus metrics (unlabelled lines) from n8n's /metrics, in bytes; null where n8n serves none. */
export async function scrapeMetrics(baseUrl, names = ['nodejs_heap_size_used_bytes', 'nodejs_external_memory_bytes', 'process_resident_memory_bytes']) {
	const res = await fetch(`${baseUrl}/metrics`);
	const text = await res.text();
	if (res.status === 404) return null;
	if (!res.ok) throw new Error(`${baseUrl}/metrics answered ${res.status}`);
	const out = {};
	for (const name of names) {
		// n8n prefixes its metrics (N8N_METRICS_PREFIX, default "n8n_")
		const match = new RegExp(`^(?:\\w+_)?${name}\\s+([0-9.e+]+)`, 'm').exec(text);
		out[name] = match ? Number(match[1]) : null;
	}
	return out;
}

/**
 * The same three figures from process.memoryUsage() inside the process,
 * through its inspector: for an n8n process that serves no /metrics (n8n
 * 2.8.4's webhook processor: only the main mounts it). prom-client reads its
 * figures from process.memoryUsage() too.
 */
async function memoryUsageThroughInspector(inspector) {
	const { result } = await inspector.call('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true });
	const usage = JSON.parse(result.value);
	return { nodejs_heap_size_used_bytes: usage.heapUsed, nodejs_external_memory_bytes: usage.external, process_resident_memory_bytes: usage.rss };
}

/**
 * Where both sides' figures come from: n8n's /metrics when both serve it,
 * else process.memoryUsage() through the inspector for both (the same
 * source on both sides, so they compare).
 */
export async function memorySource(sides) {
	const served = await Promise.all(Object.values(sides).map(async ({ n8n }) => (await scrapeMetrics(n8n.url)) !== null));
	return served.every(Boolean) ? 'metrics' : 'inspector';
}

/**
 * Connects to the inspector of a started n8n (NODE_OPTIONS had
 * --inspect=127.0.0.1:0) and checks it is that process and not its task
 * runner, which may inherit the option.
 */
export async function attachInspector(n8n, { timeoutMs = 30_000 } = {}) {
	const deadline = Date.now() + timeoutMs;
	let url;
	while (!(url = inspectorUrl(n8n.logText()))) {
		if (Date.now() > deadline) throw new Error(`${n8n.name}: no "Debugger listening" line in ${n8n.logFile}`);
		await sleep(200);
	}
	const inspector = await connectInspector(url);
	const { result } = await inspector.call('Runtime.evaluate', { expression: 'process.pid', returnByValue: true });
	if (result.value !== n8n.process.pid) {
		inspector.close();
		throw new Error(`${n8n.name}: the inspector at ${url} is process ${result.value}, not n8n (${n8n.process.pid})`);
	}
	return inspector;
}

/**
 * One sample of one side: { rssMiB, heapMiB (heap used + external),
 * heapUsedMiB, externalMiB, v8HeapMiB (the inspector's own figure of the
 * heap used, a cross-check), metricsRssMiB }.
 */
async function sampleSide(side, source) {
	const v8 = await collectAndMeasure(side.inspector).catch((error) => {
		throw new Error(`${side.n8n.name} (pid ${side.n8n.process.pid}, ${side.n8n.exited() ? `exited ${JSON.stringify(side.n8n.exited())}` : 'running'}): ${error.message}`);
	});
	const metrics = source === 'metrics' ? await scrapeMetrics(side.n8n.url) : await memoryUsageThroughInspector(side.inspector);
	const mib = (bytes) => (bytes === null ? null : Math.round((bytes / MiB) * 10) / 10);
	const used = metrics.nodejs_heap_size_used_bytes;
	const external = metrics.nodejs_external_memory_bytes;
	return {
		rssMiB: procRssMiB(side.n8n.process.pid),
		heapMiB: used === null || external === null ? null : mib(used + external),
		heapUsedMiB: mib(used),
		externalMiB: mib(external),
		v8HeapMiB: mib(v8.usedBytes),
		metricsRssMiB: mib(metrics.process_resident_memory_bytes),
	};
}

/**
 * Samples both sides ({ tartan, webhook }: { n8n, inspector }) every
 * `intervalMs` until stop(), each time with the traffic paused through
 * `gate` (traffic.mjs) until the processes `busyPids` (the sampled n8n
 * processes, and in queue mode the workers) are idle (waitIdle); `progress()`
 * gives the requests done so far; `source` is
 * memorySource()'s. A failed sample stops the traffic (gate.fail). stop()
 * takes a last sample and resolves to the samples:
 * [{ seconds, requests, idleWaitMs, tartan: {...}, webhook: {...} }].
 */
export function startSampling(sides, { intervalMs = 3000, busyPids = [], gate, source, progress }) {
	const samples = [];
	const started = Date.now();
	let running = true;
	const takeSample = async () => {
		await gate?.pause();
		try {
			const idleWaitMs = await waitIdle(busyPids);
			const requests = progress();
			const [tartan, webhook] = await Promise.all([sampleSide(sides.tartan, source), sampleSide(sides.webhook, source)]);
			samples.push({ seconds: Math.round((Date.now() - started) / 100) / 10, requests, idleWaitMs, tartan, webhook });
		} finally {
			gate?.resume();
		}
	};
	const loop = (async () => {
		while (running) {
			const next = Date.now() + intervalMs;
			await takeSample();
			while (running && Date.now() < next) await sleep(Math.min(250, next - Date.now()));
		}
	})();
	loop.catch((error) => gate?.fail(error));
	return {
		samples,
		async stop() {
			running = false;
			await loop;
			await takeSample();
			return samples;
		},
	};
}

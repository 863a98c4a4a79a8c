// Faults for the exactly-once run, at seeded points of its progress:
// SIGKILL and restart a worker or the webhook processor (as a supervisor
// would), or make the target system (the sandbox's sink) fail for a while
// (5xx, or requests held and then dropped: time-outs from the caller's side).
// Bounded: a fixed list of faults, each at most a few seconds, all on loopback.
import { setTimeout as sleep } from 'node:timers/promises';

/** A small deterministic PRNG (mulberry32): the same seed, the same plan. */
export function prng(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const FAULTS = [
	{ kind: 'restart', process: 'worker-1' },
	{ kind: 'sink', fault: { status: 503 } },
	{ kind: 'restart', process: 'webhook' },
	{ kind: 'sink', fault: { hangMs: 3000 } },
	{ kind: 'restart', process: 'worker-2' },
];

/**
 * The plan: each fault at a seeded point between 10 % and 85 % of the run's
 * progress (in order, at least 8 % apart), sink faults lasting 3-6 s.
 */
export function chaosPlan(seed, faults = FAULTS) {
	const random = prng(seed);
	const span = 0.75 - 0.08 * (faults.length - 1);
	const points = faults.map(() => random() * span).sort((x, y) => x - y);
	return faults.map((fault, index) => ({
		...fault,
		atProgress: Math.round((0.1 + points[index] + 0.08 * index) * 1000) / 1000,
		...(fault.kind === 'sink' ? { forMs: 3000 + Math.floor(random() * 3000) } : {}),
	}));
}

/**
 * Runs the plan while the run goes on: `progress()` says how far it is (0-1,
 * e.g. the share of the records the target has received). A fault whose point
 * is not reached because progress has stalled for `stallMs` (everything left
 * failed, say) happens anyway. Resolves to the log of what was done, when.
 */
export async function runChaos(plan, { stack, sandbox, progress, log = () => {}, stallMs = 20_000 }) {
	const started = Date.now();
	const done = [];
	for (const step of plan) {
		const reached = await waitForProgress(progress, step.atProgress, stallMs);
		const at = Date.now();
		const entry = { ...step, startedAtMs: at - started, progress: Math.round(progress() * 1000) / 1000, ...(reached ? {} : { stalled: true }) };
		if (step.kind === 'restart') {
			log(`SIGKILL ${step.process} at ${pct(entry.progress)} of the records, then restart it`);
			await stack.restart(step.process);
		} else {
			log(`target system fails (${JSON.stringify(step.fault)}) for ${step.forMs} ms at ${pct(entry.progress)} of the records`);
			await sinkFaultFor(sandbox, step.fault, step.forMs);
		}
		done.push({ ...entry, tookMs: Date.now() - at });
	}
	return done;
}

/** Makes every request to the target system fail with `fault` for `ms`. */
export async function sinkFaultFor(sandbox, fault, ms) {
	sandbox.sinkFault(fault);
	try {
		await sleep(ms);
	} finally {
		sandbox.sinkFault(null);
	}
}

const pct = (fraction) => `${Math.round(fraction * 100)} %`;

/** True once progress() reaches `point`; false when it has not moved for `stallMs`. */
async function waitForProgress(progress, point, stallMs) {
	let last = progress();
	let lastMoved = Date.now();
	while (last < point) {
		await sleep(100);
		const now = progress();
		if (now !== last) [last, lastMoved] = [now, Date.now()];
		else if (Date.now() - lastMoved > stallMs) return false;
	}
	return true;
}

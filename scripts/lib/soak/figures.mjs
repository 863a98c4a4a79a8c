// The soak's figures from its samples: for each process and each measure
// (RSS; heap: V8's heap in use plus its external memory, after a forced GC), the growth after warm-up and least-squares
// slopes in MiB per 10,000 requests; the Tartan ÷ Webhook-node ratio of the
// slopes against the goal; and the gross-leak rule the e2e soak applies.
import { median } from '../bench/measure.mjs';

export const PER = 10_000; // slopes are MiB per this many requests
export const GOAL_RATIO = 1.1;
/** Two slopes closer than this (MiB per 10,000 requests) are "the same" whatever their ratio: both near zero. */
export const SAME_SLOPE_MIB = 1;
/** The gross-leak rule: the trigger's heap slope over LEAK_FACTOR × the Webhook node's, or over LEAK_FLOOR_MIB if that is larger. */
export const LEAK_FACTOR = 3;
export const LEAK_FLOOR_MIB = 10;
export const SIDES = ['tartan', 'webhook'];
export const MEASURES = { rss: 'rssMiB', heap: 'heapMiB' };

/** Least-squares slope of y over x, or null with fewer than 3 points. */
export function leastSquares(points) {
	if (points.length < 3) return null;
	const mx = points.reduce((s, p) => s + p.x, 0) / points.length;
	const my = points.reduce((s, p) => s + p.y, 0) / points.length;
	const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
	const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
	return sxx === 0 ? null : sxy / sxx;
}

const round = (value, digits = 2) => (value === null || !Number.isFinite(value) ? null : Math.round(value * 10 ** digits) / 10 ** digits);

/** The figures of one series of points { x: requests, y: MiB } after warm-up. */
function seriesFigures(points, warmup, total) {
	const after = points.filter((p) => p.x >= warmup);
	const secondHalf = points.filter((p) => p.x >= total / 2);
	const head = after.slice(0, 3).map((p) => p.y);
	const tail = after.slice(-3).map((p) => p.y);
	return {
		atWarmupMiB: round(median(head), 1),
		atEndMiB: round(median(tail), 1),
		// End of run over end of warm-up (each the median of 3 samples), and over the first sample (n8n just started)
		growthMiB: round(median(tail) - median(head), 1),
		growthFromStartMiB: round(median(tail) - points[0].y, 1),
		slopeAfterWarmup: round((leastSquares(after) ?? NaN) * PER),
		slopeSecondHalf: round((leastSquares(secondHalf) ?? NaN) * PER),
		peakMiB: round(Math.max(...points.map((p) => p.y)), 1),
	};
}

/** Tartan ÷ Webhook node for one slope, and whether it meets the goal (ratio <= 1.1, or the two within SAME_SLOPE_MIB). */
function compare(tartan, webhook) {
	const ratio = webhook > 0 ? round(tartan / webhook) : null;
	const difference = round(tartan - webhook);
	const met = difference <= SAME_SLOPE_MIB || (ratio !== null && ratio <= GOAL_RATIO);
	return { ratio, difference, met };
}

/**
 * All figures of a run: { warmupRequests, requests, tartan: { rss, heap },
 * webhook: { rss, heap }, ratios: { rss, heap } (second-half slopes),
 * grossLeak }.
 */
export function soakFigures(samples, { warmupRequests, requests }) {
	const out = { warmupRequests, requests, samples: samples.length, per: PER };
	for (const side of SIDES) {
		out[side] = {};
		for (const [measure, field] of Object.entries(MEASURES)) {
			const points = samples.filter((s) => s[side][field] !== null).map((s) => ({ x: s.requests, y: s[side][field] }));
			out[side][measure] = seriesFigures(points, warmupRequests, requests);
		}
	}
	out.ratios = {};
	for (const measure of Object.keys(MEASURES)) out.ratios[measure] = compare(out.tartan[measure].slopeSecondHalf, out.webhook[measure].slopeSecondHalf);
	out.grossLeak = grossLeak(out);
	return out;
}

/**
 * The e2e soak's rule, relative to the control of the same run: the
 * trigger's heap slope after warm-up (MiB per 10,000 requests) over
 * LEAK_FACTOR × the Webhook node's, with LEAK_FLOOR_MIB as the least
 * allowance so that two slopes near zero never fail on noise.
 */
export function grossLeak(figures) {
	const tartan = figures.tartan.heap.slopeAfterWarmup;
	const webhook = figures.webhook.heap.slopeAfterWarmup;
	const allowed = round(Math.max(LEAK_FACTOR * webhook, LEAK_FLOOR_MIB));
	return { tartan, webhook, allowed, leak: !(typeof tartan === 'number' && tartan <= allowed), rule: `Tartan heap slope after warm-up <= max(${LEAK_FACTOR} × Webhook node's, ${LEAK_FLOOR_MIB}) MiB per ${PER} requests` };
}

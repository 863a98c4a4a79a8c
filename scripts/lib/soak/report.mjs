// What a soak run leaves behind: <name>.json (meta, traffic, figures, every
// sample) and <name>.svg in the output folder, the console summary, and the
// table of docs/soak.md (between its soak-table markers) built from every
// run kept in docs/soak/.
import fs from 'node:fs';
import path from 'node:path';

import { soakChartSvg, LABELS } from './chart.mjs';
import { GOAL_RATIO, SAME_SLOPE_MIB } from './figures.mjs';

export const RUN_TITLES = {
	single: 'Two n8n processes side by side',
	queue: 'Queue mode: the webhook processors of two stacks',
	'queue-shared': 'Queue mode: two webhook processors of one stack',
	'leak-check': 'Leak check: a build that keeps every body (must fail)',
};
const START = '<!-- soak-table:start -->';
const END = '<!-- soak-table:end -->';

/** Writes <dir>/<name>.json and <name>.svg; returns their paths. */
export function writeRun(dir, name, report) {
	fs.mkdirSync(dir, { recursive: true });
	const json = path.join(dir, `${name}.json`);
	const svg = path.join(dir, `${name}.svg`);
	fs.writeFileSync(json, JSON.stringify({ name, ...report }, null, 2) + '\n');
	fs.writeFileSync(svg, soakChartSvg(report, { title: `Soak: ${RUN_TITLES[name] ?? name}, ${report.meta.requests.toLocaleString('en')} requests each` }));
	return { json, svg };
}

const pair = (f, measure, key) => `${f.tartan[measure][key]} / ${f.webhook[measure][key]}`;
const verdict = (c) => `**${c.ratio ?? 'n/a'}** (Δ ${c.difference}) ${c.met ? '✓' : '✗'}`;

/** The console lines of one run. */
export function summaryLines(name, report) {
	const { figures: f, traffic: t, meta } = report;
	return [
		`${RUN_TITLES[name] ?? name}: ${meta.requests} requests to each side in ${meta.sendSeconds} s (n8n ${meta.n8n}, ${meta.webhooksPerSide} webhooks per side)`,
		`  trigger answers that do not fit their request: ${t.unexpected.length}; no answer: Tartan ${t.noAnswer.tartan}, Webhook node ${t.noAnswer.webhook}; refusal-log keys touched: ${t.refusalKeys}`,
		`  warm-up: the first ${f.warmupRequests} requests; ${f.samples} samples; MiB, ${LABELS.tartan} / ${LABELS.webhook}:`,
		`  heap (after GC): growth ${pair(f, 'heap', 'growthMiB')} (from the start ${pair(f, 'heap', 'growthFromStartMiB')}); slope per 10,000 requests, second half ${pair(f, 'heap', 'slopeSecondHalf')}, after warm-up ${pair(f, 'heap', 'slopeAfterWarmup')}`,
		`  RSS:             growth ${pair(f, 'rss', 'growthMiB')} (from the start ${pair(f, 'rss', 'growthFromStartMiB')}); slope per 10,000 requests, second half ${pair(f, 'rss', 'slopeSecondHalf')}, after warm-up ${pair(f, 'rss', 'slopeAfterWarmup')}`,
		`  slope ratio Tartan ÷ Webhook node (goal <= ${GOAL_RATIO}, or within ${SAME_SLOPE_MIB} MiB): heap ${f.ratios.heap.ratio ?? 'n/a'} ${f.ratios.heap.met ? 'met' : 'NOT met'}, RSS ${f.ratios.rss.ratio ?? 'n/a'} ${f.ratios.rss.met ? 'met' : 'NOT met'}`,
		`  gross leak (${f.grossLeak.rule}): ${f.grossLeak.tartan} against ${f.grossLeak.allowed} allowed: ${f.grossLeak.leak ? 'LEAK' : 'none'}`,
	];
}

/** The Markdown table of the runs kept in `dir` (single, queue, leak-check, then any other). */
export function markdownTable(dir) {
	const names = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)) : [];
	const order = Object.keys(RUN_TITLES);
	names.sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b));
	const rows = names.map((name) => {
		const { meta, figures: f } = JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8'));
		return `| ${RUN_TITLES[name] ?? name} ([chart](soak/${name}.svg)) | ${meta.requests.toLocaleString('en')} | ${pair(f, 'heap', 'growthMiB')} | ${pair(f, 'heap', 'slopeSecondHalf')} | ${verdict(f.ratios.heap)} | ${pair(f, 'rss', 'growthMiB')} | ${pair(f, 'rss', 'slopeSecondHalf')} | ${verdict(f.ratios.rss)} | ${f.grossLeak.leak ? `**leak**: ${f.grossLeak.tartan} > ${f.grossLeak.allowed}` : `none: ${f.grossLeak.tartan} <= ${f.grossLeak.allowed}`} | ${meta.date.slice(0, 10)}, ${meta.sendSeconds} s |`;
	});
	return [
		'| run | requests per side | heap growth after warm-up, MiB (Tartan / Webhook node) | heap slope, MiB per 10,000 requests, second half (Tartan / Webhook node) | heap slope ratio (goal ≤ 1.1) | RSS growth after warm-up, MiB | RSS slope, second half | RSS slope ratio | gross-leak rule (heap slope after warm-up) | date, sending time |',
		'| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
		...rows,
	].join('\n');
}

/** Replaces the table between the markers of a docs page with the runs kept in `dir`. */
export function updateDocsTable(page, dir) {
	const text = fs.readFileSync(page, 'utf8');
	const start = text.indexOf(START);
	const end = text.indexOf(END);
	if (start === -1 || end < start) throw new Error(`${page} has no ${START} … ${END} markers`);
	fs.writeFileSync(page, `${text.slice(0, start + START.length)}\n${markdownTable(dir)}\n${text.slice(end)}`);
}

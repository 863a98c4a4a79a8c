// The soak chart, plain SVG (no plotting dependency): memory over requests
// for both processes, one panel for RSS and one for the heap after a forced
// GC; the warm-up shaded, each second-half least-squares line dashed.
import { PER, SIDES } from './figures.mjs';

const escape = (text) => String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const COLOURS = { tartan: '#d97706', webhook: '#2563eb' };
const MODES = { single: 'two processes side by side', queue: 'queue mode, a stack per side', 'queue-shared': 'queue mode, one stack' };
export const LABELS = { tartan: 'Tartan Trigger', webhook: "n8n's Webhook node" };
const PANELS = [
	{ measure: 'rss', field: 'rssMiB', title: 'Resident memory of the n8n process (MiB)' },
	{ measure: 'heap', field: 'heapMiB', title: 'V8 heap in use + external memory (Buffers), after a forced GC (MiB)' },
];

/** Round axis bounds with a little room. */
function yRange(values) {
	const low = Math.min(...values);
	const high = Math.max(...values);
	const pad = Math.max(2, (high - low) * 0.1);
	return [Math.floor((low - pad) / 5) * 5, Math.ceil((high + pad) / 5) * 5];
}

function panel(report, { measure, field, title }, box) {
	const { samples, figures } = report;
	const values = samples.flatMap((s) => SIDES.map((side) => s[side][field])).filter((v) => v !== null);
	const [y0, y1] = yRange(values);
	const x1 = Math.max(1, report.meta.requests);
	const X = (x) => box.left + (x / x1) * box.width;
	const Y = (y) => box.top + box.height - ((y - y0) / (y1 - y0)) * box.height;
	const out = [
		`<text x="${box.left}" y="${box.top - 8}" font-weight="bold" fill="#111827">${escape(title)}</text>`,
		`<rect x="${X(0)}" y="${box.top}" width="${X(figures.warmupRequests) - X(0)}" height="${box.height}" fill="#f3f4f6"/>`,
		`<text x="${X(0) + 4}" y="${box.top + 14}" fill="#9ca3af" font-size="11">warm-up</text>`,
		`<rect x="${box.left}" y="${box.top}" width="${box.width}" height="${box.height}" fill="none" stroke="#d1d5db"/>`,
	];
	for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
		const y = y0 + (y1 - y0) * tick;
		out.push(`<text x="${box.left - 6}" y="${Y(y) + 4}" text-anchor="end" fill="#6b7280" font-size="11">${Math.round(y)}</text>`);
		out.push(`<text x="${X(x1 * tick)}" y="${box.top + box.height + 16}" text-anchor="middle" fill="#6b7280" font-size="11">${Math.round(x1 * tick).toLocaleString('en')}</text>`);
	}
	for (const side of SIDES) {
		const points = samples.filter((s) => s[side][field] !== null).map((s) => `${X(s.requests).toFixed(1)},${Y(s[side][field]).toFixed(1)}`);
		out.push(`<polyline points="${points.join(' ')}" fill="none" stroke="${COLOURS[side]}" stroke-width="1.6"/>`);
		const half = samples.filter((s) => s.requests >= x1 / 2 && s[side][field] !== null);
		const slope = figures[side][measure].slopeSecondHalf;
		if (half.length >= 3 && slope !== null) {
			const mx = half.reduce((a, s) => a + s.requests, 0) / half.length;
			const my = half.reduce((a, s) => a + s[side][field], 0) / half.length;
			const at = (x) => my + (slope / PER) * (x - mx);
			out.push(`<line x1="${X(x1 / 2)}" y1="${Y(at(x1 / 2))}" x2="${X(x1)}" y2="${Y(at(x1))}" stroke="#111827" stroke-width="1.2" stroke-dasharray="5 3"/>`);
		}
	}
	const legend = SIDES.map((side, i) => {
		const f = figures[side][measure];
		const y = box.top + box.height + 34 + i * 16;
		return `<rect x="${box.left}" y="${y - 9}" width="12" height="3" fill="${COLOURS[side]}"/><text x="${box.left + 18}" y="${y}" fill="#374151" font-size="12">${escape(LABELS[side])}: growth after warm-up ${f.growthMiB} MiB, second-half slope ${f.slopeSecondHalf} MiB per 10,000 requests</text>`;
	});
	return [...out, ...legend].join('\n');
}

/** report: { meta, figures, samples } as runSoak gives it; title. */
export function soakChartSvg(report, { title }) {
	const width = 900;
	const panelHeight = 200;
	const gap = 110;
	const top = 84;
	const height = top + PANELS.length * (panelHeight + gap);
	const r = report.figures.ratios;
	const subtitle = `n8n ${report.meta.n8n} (${MODES[report.meta.mode] ?? report.meta.mode}), Node ${report.meta.node}, ${report.meta.machine.cpus} cores, ${report.meta.date.slice(0, 10)}`;
	const note = `Second-half slope ratio Tartan ÷ Webhook node: heap ${r.heap.ratio ?? 'n/a'}, RSS ${r.rss.ratio ?? 'n/a'}. x: requests sent to each process. Dashed: least-squares line over the second half.`;
	const out = [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="13">`,
		`<rect width="100%" height="100%" fill="#ffffff"/>`,
		`<text x="16" y="26" font-size="17" font-weight="bold" fill="#1f2937">${escape(title)}</text>`,
		`<text x="16" y="46" fill="#4b5563">${escape(subtitle)}</text>`,
		`<text x="16" y="64" fill="#6b7280" font-size="11">${escape(note)}</text>`,
	];
	PANELS.forEach((spec, i) => out.push(panel(report, spec, { left: 60, top: top + 20 + i * (panelHeight + gap), width: width - 90, height: panelHeight })));
	out.push('</svg>');
	return out.join('\n') + '\n';
}

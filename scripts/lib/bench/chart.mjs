// The benchmark chart, drawn as plain SVG (no plotting dependency): one row
// per figure, the median ratio as a bar, the spread of the per-pair ratios
// as a whisker, and the goal as a tick. Every row shares one scale (0 to a
// little past the largest goal, ratio or spread of all rows), drawn as an
// axis with a line at 1, so equal bars mean equal ratios. Each row says what
// its ratio divides (A ÷ B): not every figure compares with an n8n built-in.

const escape = (text) =>
	String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

const fmt = (x) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');

/**
 * figures: [{ id, title, a, b, ratio, min, max, goal: { op: '>=' | '<=', value }, met }]
 * meta: { title, subtitle }
 */
export function chartSvg(figures, meta) {
	const width = 860;
	const rowHeight = 82;
	const top = 64;
	const left = 330;
	const barWidth = 420;
	const height = top + figures.length * rowHeight + 64;
	const scaleMax = Math.max(1, ...figures.flatMap((f) => [f.goal.value, f.ratio, f.max].filter(Number.isFinite))) * 1.1;
	const x = (value) => left + (Math.min(Math.max(0, value), scaleMax) / scaleMax) * barWidth;
	const ticks = [];
	const step = scaleMax > 4 ? 1 : 0.5;
	for (let t = 0; t <= scaleMax; t += step) ticks.push(t);
	const out = [];
	out.push(
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="13">`,
		`<rect width="100%" height="100%" fill="#ffffff"/>`,
		`<text x="16" y="26" font-size="17" font-weight="bold" fill="#1f2937">${escape(meta.title)}</text>`,
		`<text x="16" y="46" fill="#4b5563">${escape(meta.subtitle)}</text>`,
	);
	// The shared scale: light grid lines, and a darker one at 1 (A as good as B)
	const bottom = top + figures.length * rowHeight;
	for (const t of ticks) {
		out.push(
			`<line x1="${x(t)}" y1="${top}" x2="${x(t)}" y2="${bottom}" stroke="${t === 1 ? '#6b7280' : '#e5e7eb'}"/>`,
			`<text x="${x(t)}" y="${bottom + 16}" text-anchor="middle" fill="#6b7280" font-size="11">${t}</text>`,
		);
	}
	figures.forEach((figure, index) => {
		const y = top + index * rowHeight;
		const colour = figure.met ? '#16a34a' : '#dc2626';
		out.push(
			`<text x="16" y="${y + 16}" font-weight="bold" fill="#111827">${escape(figure.id)}</text>`,
			`<text x="52" y="${y + 16}" fill="#111827">${escape(figure.title)}</text>`,
			`<text x="52" y="${y + 34}" fill="#374151" font-size="11">${escape(figure.a ?? 'A')} ÷ ${escape(figure.b ?? 'B')}</text>`,
			`<text x="52" y="${y + 50}" fill="#6b7280" font-size="11">goal ${escape(figure.goal.op)} ${fmt(figure.goal.value)} · spread ${fmt(figure.min)}–${fmt(figure.max)}</text>`,
			`<line x1="${left}" y1="${y + 22}" x2="${left}" y2="${y + 48}" stroke="#9ca3af"/>`,
			`<rect x="${left}" y="${y + 26}" width="${x(figure.ratio) - left}" height="18" fill="${colour}" fill-opacity="0.8"/>`,
			`<line x1="${x(figure.min)}" y1="${y + 35}" x2="${x(figure.max)}" y2="${y + 35}" stroke="#111827" stroke-width="1.5"/>`,
			`<line x1="${x(figure.min)}" y1="${y + 29}" x2="${x(figure.min)}" y2="${y + 41}" stroke="#111827" stroke-width="1.5"/>`,
			`<line x1="${x(figure.max)}" y1="${y + 29}" x2="${x(figure.max)}" y2="${y + 41}" stroke="#111827" stroke-width="1.5"/>`,
			`<line x1="${x(figure.goal.value)}" y1="${y + 22}" x2="${x(figure.goal.value)}" y2="${y + 50}" stroke="#2563eb" stroke-width="2" stroke-dasharray="4 2"/>`,
			`<text x="${x(figure.goal.value) + 4}" y="${y + 60}" fill="#2563eb" font-size="11">goal ${fmt(figure.goal.value)}</text>`,
			`<text x="${left + barWidth + 24}" y="${y + 40}" font-weight="bold" fill="${colour}">${fmt(figure.ratio)} ${figure.met ? '✓' : '✗'}</text>`,
		);
	});
	out.push(
		`<text x="16" y="${height - 14}" fill="#6b7280" font-size="11">Bar: median of the per-pair ratios (A ÷ B, named under each row). Whisker: lowest to highest pair. Dashed line: the goal. One scale for all rows.</text>`,
		'</svg>',
	);
	return out.join('\n') + '\n';
}

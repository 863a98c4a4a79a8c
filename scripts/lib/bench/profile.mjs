// Where n8n's time went in a V8 CPU profile (`npm run bench -- --profile dir`
// makes one): self time by package and by function, biggest first.
//
// Usage: node scripts/lib/bench/profile.mjs <file.cpuprofile> [top=25]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package (or "node:", "(program)", ...) a profile node's script belongs to. */
function packageOf(url) {
	if (!url) return '(native/idle)';
	if (url.startsWith('node:')) return 'node:internal';
	const at = url.lastIndexOf('node_modules/');
	if (at === -1) return url.includes('/dist/nodes/') || url.includes('/dist/credentials/') ? 'n8n-nodes-tartan' : path.basename(url);
	const rest = url.slice(at + 'node_modules/'.length).split('/');
	return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
}

export function summariseProfile(profile, top = 25) {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const self = new Map();
	const intervals = profile.timeDeltas ?? [];
	profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (intervals[i] ?? 0)));
	const total = [...self.values()].reduce((a, b) => a + b, 0);
	const byPackage = new Map();
	const byFunction = new Map();
	for (const [id, micros] of self) {
		const frame = byId.get(id).callFrame;
		const pkg = frame.functionName === '(idle)' ? '(idle)' : packageOf(frame.url);
		byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + micros);
		const fn = `${frame.functionName || '(anonymous)'} ${frame.url ? `${pkg}:${path.basename(frame.url)}:${frame.lineNumber + 1}` : ''}`;
		byFunction.set(fn, (byFunction.get(fn) ?? 0) + micros);
	}
	const rank = (map) =>
		[...map.entries()]
			.sort((a, b) => b[1] - a[1])
			.slice(0, top)
			.map(([name, micros]) => ({ name, ms: Math.round(micros / 1000), share: Math.round((micros / total) * 1000) / 10 }));
	return { totalMs: Math.round(total / 1000), byPackage: rank(byPackage), byFunction: rank(byFunction) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const [file, top = '25'] = process.argv.slice(2);
	const summary = summariseProfile(JSON.parse(fs.readFileSync(file, 'utf8')), Number(top));
	console.log(`total ${summary.totalMs} ms\n\nby package:`);
	for (const row of summary.byPackage) console.log(`${String(row.ms).padStart(8)} ms ${String(row.share).padStart(5)} %  ${row.name}`);
	console.log('\nby function (self time):');
	for (const row of summary.byFunction) console.log(`${String(row.ms).padStart(8)} ms ${String(row.share).padStart(5)} %  ${row.name}`);
}

// The soak's own logic without n8n (scripts/lib/soak/; the real run is
// test/e2e/soak.e2e.mjs): its figures, the gross-leak rule, the traffic
// schedule and source addresses, the senders' gate, and the leak-check patch.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { PACKAGE_ROOT, packageBuildState } from '../../scripts/lib/n8n.mjs';
import { LEAK_FLOOR_MIB, grossLeak, leastSquares, soakFigures } from '../../scripts/lib/soak/figures.mjs';
import { makeLeakyPackage } from '../../scripts/lib/soak/leaky-package.mjs';
import { Gate, KINDS, schedule, sourceAddress } from '../../scripts/lib/soak/traffic.mjs';

/** Samples every 100 requests up to `requests`; each side's heap and RSS as functions of the requests done. */
function samples(requests, tartan, webhook) {
	return Array.from({ length: requests / 100 + 1 }, (_, i) => {
		const x = i * 100;
		return { requests: x, tartan: { heapMiB: tartan(x), rssMiB: 300 + tartan(x) }, webhook: { heapMiB: webhook(x), rssMiB: 300 + webhook(x) } };
	});
}

test('least squares: the slope of a line, none for fewer than 3 points', () => {
	assert.equal(leastSquares([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }]), 2);
	assert.equal(leastSquares([{ x: 0, y: 1 }, { x: 1, y: 3 }]), null);
});

test('figures: growth after warm-up, slopes per 10,000 requests, the ratio and its goal', () => {
	// Both grow 2 MiB per 10,000 requests after a warm-up jump; the trigger 1 MiB more
	const figures = soakFigures(
		samples(6000, (x) => 150 + (x < 1200 ? x / 100 : 12) + (3 * x) / 10_000, (x) => 150 + (x < 1200 ? x / 100 : 12) + (2 * x) / 10_000),
		{ warmupRequests: 1200, requests: 6000 },
	);
	assert.equal(figures.tartan.heap.slopeSecondHalf, 3);
	assert.equal(figures.webhook.heap.slopeSecondHalf, 2);
	assert.equal(figures.tartan.heap.growthMiB, 1.4); // medians of the first and last 3 samples after warm-up
	assert.deepEqual(figures.ratios.heap, { ratio: 1.5, difference: 1, met: true }); // within 1 MiB: the same
	assert.equal(figures.grossLeak.leak, false);
});

test('gross leak: over 3 × the control, with a floor for two slopes near zero', () => {
	const at = (tartan, webhook) => grossLeak({ tartan: { heap: { slopeAfterWarmup: tartan } }, webhook: { heap: { slopeAfterWarmup: webhook } } });
	assert.equal(at(LEAK_FLOOR_MIB - 0.5, -2).leak, false);
	assert.equal(at(LEAK_FLOOR_MIB + 0.5, 0).leak, true);
	assert.equal(at(50, 20).leak, false);
	assert.equal(at(61, 20).leak, true);
	assert.equal(at(null, 0).leak, true); // no figure is no pass
});

test('schedule: each block has its mix, each refusal reason goes to every webhook in turn (past the refusal log’s 1,000 keys)', () => {
	const entries = schedule(2000, 160);
	const block = entries.slice(0, KINDS.reduce((sum, k) => sum + k.perBlock, 0));
	for (const kind of KINDS) assert.equal(block.filter((e) => e.kind === kind).length, kind.perBlock, kind.kind);
	const keys = new Set(entries.filter((e) => e.kind.reason).map((e) => `${e.node} ${e.kind.reason}`));
	assert.ok(keys.size > 1000, `${keys.size} keys`);
	assert.deepEqual(schedule(2000, 160).map((e) => [e.kind.kind, e.node]), entries.map((e) => [e.kind.kind, e.node]), 'the same every run');
});

test('source addresses: loopback only, no .0 or .255, 15 million before one repeats', () => {
	const seen = new Set();
	for (const index of [0, 1, 249, 250, 62_499, 62_500, 15_624_999]) {
		const address = sourceAddress(index);
		assert.match(address, /^127\.(\d+)\.(\d+)\.(\d+)$/);
		for (const part of address.split('.').slice(1).map(Number)) assert.ok(part >= 1 && part <= 250, address);
		seen.add(address);
	}
	assert.equal(seen.size, 7);
	assert.equal(sourceAddress(15_625_000), sourceAddress(0));
});

test('gate: pause() waits for the requests in flight and holds new ones until resume(); fail() stops them', async () => {
	const gate = new Gate();
	await gate.enter();
	let paused = false;
	const pausing = gate.pause().then(() => (paused = true));
	await new Promise((resolve) => setImmediate(resolve));
	assert.equal(paused, false, 'one request still in flight');
	gate.done();
	await pausing;
	let entered = false;
	const entering = gate.enter().then(() => (entered = true));
	await new Promise((resolve) => setImmediate(resolve));
	assert.equal(entered, false, 'held while paused');
	gate.resume();
	await entering;
	gate.done();
	gate.fail(new Error('sampling failed'));
	await assert.rejects(gate.enter(), /sampling failed/);
});

test('leak check: the copy of the build keeps every body in a module-level array; the build itself is untouched', { skip: packageBuildState().reason }, () => {
	const leaky = makeLeakyPackage();
	try {
		const file = path.join('dist', 'nodes', 'TartanTrigger', 'TartanTrigger.node.js');
		const patched = fs.readFileSync(path.join(leaky.root, file), 'utf8');
		assert.match(patched, /^const SOAK_KEPT_BODIES = \[\];$/m);
		assert.match(patched, /SOAK_KEPT_BODIES\.push\(req\.rawBody\);\n\s*const signature = /);
		assert.doesNotMatch(fs.readFileSync(path.join(PACKAGE_ROOT, file), 'utf8'), /SOAK_KEPT_BODIES/);
	} finally {
		leaky.remove();
	}
	assert.equal(fs.existsSync(leaky.root), false);
});

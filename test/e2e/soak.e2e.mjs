// A short soak (scripts/lib/soak/, `npm run soak` for the long one): two n8n
// processes of the same version and settings, one with Tartan Trigger
// workflows and one with the same workflows on n8n's Webhook node, get the
// same requests at the same time (signed, wrongly signed and malformed ones,
// a churn of source addresses and of refusal-log keys, the odd 1.5 MB body);
// their memory is sampled after a forced GC. It fails on a gross leak only,
// relative to the control in the same run, never on time.
// SOAK_LEAK_CHECK=1 runs it against a copy of the build that keeps every
// request body (scripts/lib/soak/leaky-package.mjs): then it must fail.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { packageBuildState } from '../../scripts/lib/n8n.mjs';
import { LEAK_FACTOR, LEAK_FLOOR_MIB } from '../../scripts/lib/soak/figures.mjs';
import { makeLeakyPackage } from '../../scripts/lib/soak/leaky-package.mjs';
import { summaryLines, writeRun } from '../../scripts/lib/soak/report.mjs';
import { runSoak } from '../../scripts/lib/soak/run.mjs';
import { EVIDENCE_DIR } from './lib/evidence.mjs';

const build = packageBuildState();
const skip = build.built ? false : build.reason;
const REQUESTS = Math.max(1000, Number(process.env.SOAK_REQUESTS || 2000));
const LEAK_CHECK = process.env.SOAK_LEAK_CHECK === '1';
const NAME = LEAK_CHECK ? 'soak-leak-check' : 'soak';

describe(`soak: ${REQUESTS} requests to a Tartan Trigger and to n8n's Webhook node side by side (real n8n)`, { skip, timeout: 600_000 }, () => {
	let leaky;
	let report;

	before(async () => {
		leaky = LEAK_CHECK ? makeLeakyPackage() : undefined;
		report = await runSoak({ requests: REQUESTS, packageRoot: leaky?.root, packageLabel: leaky?.label, intervalMs: 3000, log: (line) => process.stderr.write(`[soak] ${line}\n`) });
		writeRun(EVIDENCE_DIR, NAME, report);
		process.stderr.write(`${summaryLines(NAME, report).join('\n')}\n`);
	});

	after(() => leaky?.remove());

	test('the trigger answered every request as it deserves, both processes answered all, and the refusal log went past its 1,000 keys', () => {
		assert.deepEqual(report.traffic.unexpected.slice(0, 10), []);
		assert.deepEqual(report.traffic.noAnswer, { tartan: 0, webhook: 0 });
		assert.ok(report.traffic.refusalKeys > 1000, `refusal-log keys touched: ${report.traffic.refusalKeys}`);
		assert.ok(report.figures.samples >= 10, `only ${report.figures.samples} memory samples`);
	});

	test(`no gross leak: the trigger's heap slope after warm-up is at most ${LEAK_FACTOR} × the Webhook node's (at least ${LEAK_FLOOR_MIB} MiB per 10,000 requests)`, () => {
		const { grossLeak } = report.figures;
		assert.equal(grossLeak.leak, false, `Tartan ${grossLeak.tartan} MiB per 10,000 requests, Webhook node ${grossLeak.webhook}, allowed ${grossLeak.allowed}`);
	});
});

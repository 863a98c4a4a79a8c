// The Tartan Trigger under hostile and malformed traffic in a real n8n: at
// least 2,000 requests made from real signed deliveries and mutated (body,
// header, transport, size, types; see lib/fuzz.mjs), each answer checked
// against what the request deserves, every 5xx sent again to n8n's own
// Webhook node to tell n8n's answers from the trigger's, executions counted,
// and the refusal lines in n8n's log checked (rate-limited, nothing secret).
// `npm run fuzz -- --count 10000` runs a larger set outside the suite.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { packageBuildState } from '../../scripts/lib/n8n.mjs';
import { writeEvidence } from './lib/evidence.mjs';
import { fuzzCases, runFuzzSession, startFuzzTarget } from './lib/fuzz.mjs';
import { randomSecret } from './lib/secrets.mjs';

const build = packageBuildState();
const skip = build.built ? false : build.reason;
const COUNT = Math.max(2000, Number(process.env.FUZZ_COUNT || 2000));

describe('Tartan Trigger under hostile and malformed traffic (real n8n)', { skip, timeout: 900_000 }, () => {
	const appSecretKey = randomSecret('tartan-fuzz-app-key');
	const previousKey = randomSecret('tartan-fuzz-previous-key');
	let target;
	let report;
	let started;

	before(async () => {
		target = await startFuzzTarget({ appSecretKey, previousKey });
		started = Date.now();
		report = await runFuzzSession(target, { count: COUNT });
		writeEvidence('fuzz-report', { ...report, violations: report.violations.slice(0, 50) });
		process.stderr.write(
			`[fuzz] ${report.total} requests in ${report.seconds} s: ${JSON.stringify(report.byStatus)}; accepted ${report.accepted}; executions +${report.executions.growth}; n8n's own 5xx ${report.n8nOwn5xx.length}; memory ${JSON.stringify(report.memory)}\n`,
		);
	});

	after(async () => {
		await target?.n8n.stop();
	});

	test(`${COUNT} requests: 2xx only for byte-exact signed bodies, 401 for signature failures, otherwise 4xx`, () => {
		assert.equal(report.total, COUNT);
		assert.deepEqual(report.violations, [], 'answers that do not fit their request');
	});

	test('no 5xx caused by the trigger (each 5xx is sent again to n8n\'s Webhook node; only where that also fails is it n8n\'s own)', () => {
		assert.deepEqual(report.triggerCaused5xx, []);
	});

	test('never a hang: every request was answered (or, for a body shorter than its Content-Length, closed) within 10 s', () => {
		assert.deepEqual(report.hangs, []);
	});

	test('executions grow by exactly the number of accepted signed deliveries; n8n is up and answers /healthz', () => {
		assert.equal(report.executions.growth, report.expectedGrowth, JSON.stringify(report.executions));
		assert.ok(report.accepted >= fuzzCases({ appSecretKey, previousKey, count: COUNT }).filter((c) => c.expect === 'accept').length);
		assert.equal(report.n8nAlive, true);
		assert.equal(report.healthz, 200);
	});

	test('a key rotation ends at once: the previous key is accepted while set, refused (401) right after it is cleared', () => {
		assert.deepEqual(report.rotation, { duringRotation: 200, afterClear: 401 });
	});

	test('refusals are logged at warn with their reason, rate-limited, and without any secret, signature or body content', () => {
		const log = target.n8n.logText();
		const lines = log.split('\n').filter((line) => line.includes('Tartan Trigger refused a delivery'));
		const byReason = {};
		for (const line of lines) {
			const reason = /reason=(\w+)/.exec(line)?.[1];
			byReason[reason] = (byReason[reason] ?? 0) + 1;
		}
		for (const reason of ['signature_mismatch', 'missing_signature', 'malformed_signature', 'repeated_signature', 'invalid_payload']) {
			assert.ok(byReason[reason] >= 1, `no line for ${reason}: ${JSON.stringify(byReason)}`);
		}
		// One line per reason per minute at most (the run is one workflow and one node)
		const minutes = Math.ceil((Date.now() - started) / 60_000);
		for (const [reason, n] of Object.entries(byReason)) assert.ok(n <= minutes + 1, `${reason}: ${n} lines in ${minutes} min`);
		const refused = report.total - report.accepted;
		assert.ok(lines.length < refused / 10, `${lines.length} lines for ${refused} refusals: not rate-limited`);
		for (const line of lines) {
			assert.match(line, /status=\d{3} workflow=\S+ .*node="Tartan Trigger" remoteAddress=\S+ bodyBytes=\d+/);
			assert.doesNotMatch(line, /[0-9a-f]{64}/i, 'a signature-like hex string in a log line');
			assert.ok(!line.includes('tartanhq.com') && !line.includes('dfsbdgvbgdvbd'), 'body content in a log line');
		}
		assert.ok(!log.includes(appSecretKey) && !log.includes(previousKey), 'a signing key in n8n\'s log');
		writeEvidence('fuzz-refusal-lines', { byReason, lines: lines.slice(0, 20) });
	});
});

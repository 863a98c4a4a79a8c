// Exactly once under chaos, in n8n's queue mode (PostgreSQL, Redis, a webhook
// processor, two workers): the route-employee-events template as shipped, its
// HR-system steps pointed at the sandbox's sink, receives Tartan-shaped sync
// sessions from the sandbox's sender (signed, concurrency 8, at most 25 a
// second: CHAOS_RATE) while workers and the webhook processor are SIGKILLed
// and restarted and the target fails for a while. Then Tartan's end-of-day
// re-send (the target down for its first 8 s), then the nightly reconciliation
// template as shipped. Counted at each step: records missing from the sink and
// records applied more than once. Goal: 0 and 0 at the end.
// The same run with "Respond: Immediately" shows what that mode loses, that
// reconciliation by status `fail` cannot see it, and that status `all` recovers it.
// Sizes: CHAOS_SESSIONS (default 125 sessions of 16 webhooks, 90 records:
// 2,000 deliveries, 11,250 records), CHAOS_SEED. Figures: test-results/e2e/exactly-once.json.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { N8nApi } from '../../scripts/lib/api.mjs';
import { PACKAGE_ROOT, packageBuildState } from '../../scripts/lib/n8n.mjs';
import { FAST_FAILOVER_ENV, startQueueStack } from '../../scripts/lib/queue.mjs';
import { TEMPLATES, readTemplate, withHrSystemAt } from '../../scripts/lib/templates.mjs';
import { chaosPlan, runChaos, sinkFaultFor } from './lib/chaos.mjs';
import { writeEvidence } from './lib/evidence.mjs';
import { createSandboxCredentials } from './lib/sandbox-credentials.mjs';
import { randomSecret, suiteSecrets } from './lib/secrets.mjs';

const require = createRequire(import.meta.url);
const { startSandbox } = require(path.join(PACKAGE_ROOT, 'test', 'sandbox', 'server.js'));
const { generateSession, recordKeysOf, seededRandom } = require(path.join(PACKAGE_ROOT, 'test', 'sandbox', 'sender.js'));

const build = packageBuildState();
const skip = build.built ? false : build.reason;

const SESSIONS = Number(process.env.CHAOS_SESSIONS || 125);
const SEED = Number(process.env.CHAOS_SEED || 20261204);
const SESSION_SHAPE = { adds: 60, updates: 30, batchSize: 6 };
const RECONCILE_NODE = 'Resend failed webhooks of the last 3 days';
// The target is down this long when Tartan's end-of-day re-send starts
const EOD_OUTAGE_MS = 8000;

// Tartan sends at a steady pace, not as a flood: while n8n is down, a bounded share of the deliveries fails
const DELIVERIES_PER_SECOND = Number(process.env.CHAOS_RATE || 25);

const log = (message) => process.stderr.write(`[exactly-once] ${message}\n`);
const seconds = (ms) => Math.round(ms / 100) / 10;

/** The sync sessions of one run: the same for the same seed. */
function makeWebhooks(seed) {
	const random = seededRandom(seed);
	return Array.from({ length: SESSIONS }, () => generateSession({ ...SESSION_SHAPE, random })).flat();
}

/**
 * Delivers the webhooks at a steady rate, `perSecond`, with at most 16 started
 * and unanswered (the sender itself sends 8 at a time): a slow answer does not
 * hold the others back, and while n8n is down only the rate's share fails.
 */
async function deliverPaced(sender, webhooks, perSecond) {
	const started = Date.now();
	const inFlight = new Set();
	const outcomes = [];
	for (const [index, webhook] of webhooks.entries()) {
		const due = started + (index * 1000) / perSecond;
		while (inFlight.size >= 16 || Date.now() < due) await sleep(Math.max(5, Math.min(50, due - Date.now())));
		const delivery = sender.deliver([webhook]).finally(() => inFlight.delete(delivery));
		inFlight.add(delivery);
		outcomes.push(delivery);
	}
	const total = { attempted: 0, succeeded: 0, failed: 0 };
	for (const outcome of await Promise.all(outcomes)) for (const key of Object.keys(total)) total[key] += outcome[key];
	return total;
}

/**
 * The control: the route template with n8n's own Webhook node (Respond:
 * Immediately) in the Tartan Trigger's place, and a Code step that makes the
 * same items (one per record, the envelope under `webhook`, `deliveryKey`).
 * It checks no signature; the sender's deliveries are the same.
 */
function withWebhookNode(route, webhookId) {
	const trigger = route.nodes.find((node) => node.type.endsWith('.tartanTrigger'));
	const webhook = { id: trigger.id, name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: trigger.position, webhookId, parameters: { httpMethod: 'POST', path: `chaos-${webhookId}`, responseMode: 'onReceived', options: {} } };
	const split = {
		id: randomUUID(),
		name: 'Split records',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [trigger.position[0] + 120, trigger.position[1] + 160],
		parameters: {
			jsCode: [
				'return $input.all().flatMap((item) => {',
				'  const { body, ...webhook } = item.json.body;',
				'  const records = Array.isArray(body) ? body : [];',
				'  if (records.length === 0) return [{ json: { webhook, deliveryKey: webhook.requestId } }];',
				'  return records.map((record, i) => ({ json: { ...record, webhook, deliveryKey: `${webhook.requestId}#${i + 1}` } }));',
				'});',
			].join('\n'),
		},
	};
	route.nodes = [...route.nodes.filter((node) => node !== trigger), webhook, split];
	const next = route.connections[trigger.name];
	delete route.connections[trigger.name];
	route.connections.Webhook = { main: [[{ node: split.name, type: 'main', index: 0 }]] };
	route.connections[split.name] = next;
}

/** How the first attempts ended, as Tartan's log has them: { '200': n, '500': n, refused: n, timeout: n, ... }. */
function firstAttemptOutcomes(sender) {
	const outcomes = {};
	for (const delivery of sender.deliveries()) {
		const first = delivery.attempts[0];
		const outcome = String(first?.status ?? first?.error ?? 'none');
		outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
	}
	return outcomes;
}

/**
 * For records still missing (at most 20): their webhook's ids and Tartan's attempts, and what the
 * sink saw of them (no payload): to tell a record never sent from one sent under another key.
 */
function whereMissing(sandbox, webhooks, expected) {
	const summary = sandbox.sink.summary(expected);
	const byKey = new Map();
	for (const webhook of webhooks) recordKeysOf([webhook]).forEach((key, index) => byKey.set(key, { webhook, position: index + 1 }));
	const attempts = new Map(sandbox.sender.deliveries().map((d) => [d.requestId, d.attempts]));
	return {
		unexpectedKeys: summary.unexpected?.length ?? 0,
		records: summary.missing.slice(0, 20).map((key) => {
			const { webhook, position } = byKey.get(key);
			return { requestId: webhook.requestId, event: webhook.event, position, sink: sandbox.sink.records.get(key) ?? null, attempts: attempts.get(webhook.requestId) };
		}),
	};
}

describe('Exactly once in n8n queue mode: Tartan re-sends, the route template, crashes and a failing target', { skip, timeout: 3_600_000 }, () => {
	const secrets = suiteSecrets('chaos');
	const username = `chaos-user-${randomSecret('u').slice(-6)}`;
	const figures = { seed: SEED, sessions: SESSIONS, sessionShape: SESSION_SHAPE };
	let stack;
	let api;
	const sandboxes = [];

	before(async () => {
		const started = Date.now();
		stack = await startQueueStack({
			workers: 2,
			env: {
				// A killed worker's jobs are noticed after the lock expires: 10 s here instead of 60 s
				...FAST_FAILOVER_ENV,
			},
			log: (message) => log(message),
		});
		figures.stackStartSeconds = seconds(Date.now() - started);
		figures.n8nVersion = stack.main.version;
		api = new N8nApi(stack.main.url);
		await api.bootstrap();
	});

	after(async () => {
		await stack?.stop();
		await Promise.allSettled(sandboxes.map((s) => s.close()));
		const file = writeEvidence('exactly-once', figures);
		log(`figures (${file}): ${JSON.stringify(figures, null, 2)}`);
	});

	/** A sandbox (sender, resend API, sink) and the two templates, deployed for one respond mode. */
	async function setUp(label, respond, { webhookNode = false } = {}) {
		const sandbox = await startSandbox({
			credentials: { apiKey: secrets.apiKey, bearerToken: secrets.bearerToken, username, password: secrets.password, appSecretKey: secrets.appSecretKey },
			sender: { concurrency: 8, timeoutMs: 30_000 },
		});
		sandboxes.push(sandbox);
		const creds = await createSandboxCredentials(api, { sandboxUrl: sandbox.url, secrets, username, label });
		const route = withHrSystemAt(readTemplate(TEMPLATES.route), `${sandbox.url}/sink/records`);
		const webhookId = randomUUID();
		route.name = `${route.name} (${label})`;
		// It ships saving no successful run (employee data); saved here so that the executions can be counted
		route.settings = { ...route.settings, saveDataSuccessExecution: 'all' };
		for (const node of route.nodes) {
			if (!node.type.endsWith('.tartanTrigger')) continue;
			Object.assign(node, { webhookId, parameters: { ...node.parameters, respond } });
			node.credentials = { tartanWebhookSigningApi: { id: creds.signing.id, name: creds.signing.name } };
		}
		if (webhookNode) withWebhookNode(route, webhookId);
		const nightly = readTemplate(TEMPLATES.nightly);
		nightly.name = `${nightly.name} (${label})`;
		for (const node of nightly.nodes) if (node.credentials?.tartanApi) node.credentials.tartanApi = { id: creds.api.id, name: creds.api.name };
		const routeWf = await api.importWorkflow(route);
		await api.activateWorkflow(routeWf.id);
		const webhookPath = webhookNode ? `chaos-${webhookId}` : `${webhookId}/webhook`;
		await stack.webhook.waitForWebhook(webhookPath, { timeoutMs: 60_000 });
		sandbox.sender.url = `${stack.webhook.publicUrl}/webhook/${webhookPath}`;
		const nightlyWf = await api.importWorkflow(nightly);
		return { sandbox, routeId: routeWf.id, nightly: { ...nightly, id: nightlyWf.id } };
	}

	/** Waits until nothing runs and the sink has been quiet for 3 s (twice in a row). */
	async function settle(sandbox, workflowId, { timeoutMs = 300_000 } = {}) {
		const deadline = Date.now() + timeoutMs;
		let quiet = 0;
		let last = -1;
		while (quiet < 2 && Date.now() < deadline) {
			await sleep(3000);
			await sandbox.idle();
			const received = sandbox.sink.summary().received;
			const running = await api.listExecutions({ workflowId, status: 'running' });
			quiet = received === last && running.length === 0 ? quiet + 1 : 0;
			last = received;
		}
		assert.ok(quiet >= 2, `the run did not settle within ${timeoutMs} ms`);
	}

	/** The sink's count of the expected records: missing, applied more than once, received more than once. */
	function count(sandbox, expected) {
		const s = sandbox.sink.summary(expected);
		return { records: expected.length, missing: s.missing.length, duplicated: s.duplicated.length, redundantReceipts: s.redundantReceipts.length };
	}

	/** Runs the nightly reconciliation template from its Manual Trigger (on a worker), then waits for the re-deliveries to settle. */
	async function reconcile(setup, { status } = {}) {
		let workflowId = setup.nightly.id;
		if (status) {
			const changed = structuredClone(setup.nightly);
			delete changed.id;
			changed.name = `${changed.name}, status ${status}`;
			for (const node of changed.nodes) if (node.name === RECONCILE_NODE) node.parameters.status = status;
			workflowId = (await api.importWorkflow(changed)).id;
		}
		const resentBefore = setup.sandbox.sender.stats().attempts.resend;
		const started = await api.runManually(workflowId, { triggerNode: 'Run now (test)' });
		assert.ok(started?.executionId, `the reconciliation did not start: ${JSON.stringify(started)}`);
		const [execution] = await api.waitForExecutions(workflowId, 1, { timeoutMs: 120_000 });
		assert.equal(execution.status, 'success', 'the reconciliation workflow failed');
		const request = setup.sandbox.requestsFor('resend').at(-1);
		assert.equal(request?.response?.status, 200, 'Tartan (the sandbox) did not accept the resend request');
		// Tartan (the sandbox) re-delivers what the request selects in the background; counted once the run has settled
		await settle(setup.sandbox, setup.routeId);
		const resent = setup.sandbox.sender.stats().attempts.resend - resentBefore;
		return { searchType: request.body.search_type, status: request.body.status, windowSeconds: request.body.end_request_timestamp - request.body.request_timestamp, resent };
	}

	async function executionFigures(workflowId) {
		const all = await api.listExecutions({ workflowId });
		const byStatus = {};
		for (const execution of all) byStatus[execution.status] = (byStatus[execution.status] ?? 0) + 1;
		return { started: all.length, byStatus };
	}

	/** One whole run: deliveries under chaos, end of day (the target down at its start), reconciliation. */
	async function chaosRun(label, respond, seedOffset, options) {
		const setup = await setUp(label, respond, options);
		const { sandbox } = setup;
		const webhooks = makeWebhooks(SEED + seedOffset);
		const expected = recordKeysOf(webhooks);
		const plan = chaosPlan(SEED + seedOffset);
		const run = { respond, deliveries: webhooks.length, records: expected.length, plan };
		log(`${label}: ${webhooks.length} deliveries, ${expected.length} records, respond ${respond}`);
		const t0 = Date.now();
		// Faults at points of the records' progress to the target (the run's own pace, whatever the respond mode)
		const progress = () => sandbox.sink.records.size / expected.length;
		const chaos = runChaos(plan, { stack, sandbox, progress, log: (m) => log(`${label}: ${m}`) });
		run.delivery = await deliverPaced(sandbox.sender, webhooks, DELIVERIES_PER_SECOND);
		run.delivery.firstAttempts = firstAttemptOutcomes(sandbox.sender);
		run.chaos = await chaos;
		await settle(sandbox, setup.routeId);
		run.beforeRetry = { ...count(sandbox, expected), atSeconds: seconds(Date.now() - t0) };
		// End of day, with the target down for its first seconds (longer than the write steps' retries)
		const [endOfDay] = await Promise.all([sandbox.sender.endOfDay(), sinkFaultFor(sandbox, { status: 503 }, EOD_OUTAGE_MS)]);
		run.endOfDay = { ...endOfDay, targetDownForMs: EOD_OUTAGE_MS };
		await settle(sandbox, setup.routeId);
		run.afterRetry = { ...count(sandbox, expected), atSeconds: seconds(Date.now() - t0) };
		run.reconciliation = await reconcile(setup);
		run.afterReconciliation = { ...count(sandbox, expected), atSeconds: seconds(Date.now() - t0) };
		run.missingAfterReconciliation = whereMissing(sandbox, webhooks, expected);
		return { setup, expected, run, t0 };
	}

	test(`"When the Workflow Finishes": ${SESSIONS} sync sessions under crashes and target outages end with every record exactly once`, async () => {
		const { setup, expected, run, t0 } = await chaosRun('when finished', 'whenFinished', 0);
		// The weekly safety net of the recipe (status `all`), run here only when records are still missing
		if (run.afterReconciliation.missing > 0) {
			run.reconciliationAll = await reconcile(setup, { status: 'all' });
			run.afterReconciliationAll = { ...count(setup.sandbox, expected), atSeconds: seconds(Date.now() - t0) };
		}
		run.executions = await executionFigures(setup.routeId);
		run.tartanLog = setup.sandbox.sender.stats();
		figures.whenFinished = run;
		log(`when finished: ${JSON.stringify({ beforeRetry: run.beforeRetry, afterRetry: run.afterRetry, afterReconciliation: run.afterReconciliation, afterReconciliationAll: run.afterReconciliationAll })}`);
		assert.ok(run.records >= 10_000 || SESSIONS < 125, 'at least 10,000 records at the default size');
		assert.ok(run.chaos.length === run.plan.length, 'every planned fault happened');
		assert.ok(run.beforeRetry.missing > 0, 'the faults cost no record before the retry: the run proved nothing');
		assert.ok(run.reconciliation.resent > 0, 'the reconciliation had nothing to re-send: it proved nothing');
		assert.equal(run.afterReconciliation.duplicated, 0, 'records applied twice after reconciliation');
		// What status `fail` cannot see: a webhook n8n acknowledged (Tartan: success) although no record of it
		// ever reached the target (a run lost in a worker crash). Anything else missing is a failure of the recipe.
		const acknowledged = (r) => r.attempts.at(-1)?.status >= 200 && r.attempts.at(-1)?.status < 300;
		const unexplained = run.missingAfterReconciliation.records.filter((r) => r.sink !== null || !acknowledged(r));
		assert.deepEqual(unexplained, [], 'records missing after reconciliation other than those of webhooks acknowledged with nothing written');
		assert.ok(run.afterReconciliation.missing <= 20, `${run.afterReconciliation.missing} records missing after reconciliation`);
		const final = run.afterReconciliationAll ?? run.afterReconciliation;
		assert.deepEqual({ missing: final.missing, duplicated: final.duplicated }, { missing: 0, duplicated: 0 }, 'records missing or applied twice at the end');
	});

	test('"Respond: Immediately" under the same faults: what it loses, what status `fail` recovers, and that status `all` recovers the rest', async () => {
		const { setup, expected, run, t0 } = await chaosRun('immediately', 'immediately', 1);
		run.reconciliationAll = await reconcile(setup, { status: 'all' });
		run.afterReconciliationAll = { ...count(setup.sandbox, expected), atSeconds: seconds(Date.now() - t0) };
		run.executions = await executionFigures(setup.routeId);
		run.tartanLog = setup.sandbox.sender.stats();
		figures.immediately = run;
		log(`immediately: ${JSON.stringify({ beforeRetry: run.beforeRetry, afterRetry: run.afterRetry, afterReconciliation: run.afterReconciliation, afterReconciliationAll: run.afterReconciliationAll })}`);
		assert.equal(run.afterReconciliationAll.missing, 0, 'records missing after a reconciliation with status all');
		assert.equal(run.afterReconciliationAll.duplicated, 0, 'records applied twice after a reconciliation with status all');
	});

	test("n8n's own Webhook node (Respond: Immediately) in the trigger's place under the same faults: records are lost the same way (n8n's behaviour, not the trigger's)", async () => {
		const { setup, run } = await chaosRun("n8n's Webhook node", 'immediately', 1, { webhookNode: true });
		run.executions = await executionFigures(setup.routeId);
		run.tartanLog = setup.sandbox.sender.stats();
		figures.webhookNodeImmediately = run;
		log(`webhook node: ${JSON.stringify({ beforeRetry: run.beforeRetry, afterRetry: run.afterRetry, afterReconciliation: run.afterReconciliation })}`);
		assert.equal(run.afterReconciliation.duplicated, 0, 'records applied twice');
	});
});

// The Tartan nodes in n8n's queue mode (scale-out), as a self-hoster runs it:
// PostgreSQL and Redis (Debian's packages, throwaway instances), one main
// process (no production webhooks), one webhook processor that receives the
// deliveries, two workers that run the executions; the package installed in
// every process's user folder. Scenarios:
//   1. load: signed and wrongly signed deliveries at concurrency 20, "When the
//      Workflow Finishes", side by side with n8n's own Webhook node;
//   2. outbound on workers: Tartan Resend and Sync Callback against the sandbox;
//   3. a worker is killed while deliveries are in flight: no 2xx unless the
//      execution succeeded, and re-sends with Remove Duplicates end with
//      exactly one run of the rest of the workflow per delivery;
//   4. no secret in a dump of the database or in any process's log.
// Figures go to test-results/e2e/queue-*.json and to the test output.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { N8nApi, nodeOutput, nodesThatRan } from '../../scripts/lib/api.mjs';
import { PACKAGE_ROOT, packageBuildState } from '../../scripts/lib/n8n.mjs';
import { FAST_FAILOVER_ENV, startQueueStack } from '../../scripts/lib/queue.mjs';
import { writeEvidence } from './lib/evidence.mjs';
import { countBy, deliveryRequest, makeDelivery, sendAll, shuffle } from './lib/load.mjs';
import { CASES } from './lib/resend-cases.mjs';
import { createSandboxCredentials } from './lib/sandbox-credentials.mjs';
import { triggerWorkflowVars } from './lib/trigger-workflow.mjs';
import { randomSecret, scanForSecrets, suiteSecrets } from './lib/secrets.mjs';
import { ALL_BYTES, CSV_NAME, CSV_TEXT, describePart, expectedMultipartParts } from './lib/sync-callback-cases.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const workflows = path.join(here, 'workflows');
const build = packageBuildState();
const skip = build.built ? false : build.reason;

const TRIGGER = 'Tartan Trigger';
// Sizes (the issue's minimums); QUEUE_E2E_SIGNED / QUEUE_E2E_WRONG to change
const SIGNED = Number(process.env.QUEUE_E2E_SIGNED || 500);
const WRONG_EACH = Math.ceil(Number(process.env.QUEUE_E2E_WRONG || 120) / 3);
const CONCURRENCY = 20;
// A lost "when finished" answer is waited for this long before it counts as no answer
const ANSWER_TIMEOUT_MS = 20_000;

const FINISHED = new Set(['success', 'error', 'canceled', 'crashed']);
const is2xx = (status) => status !== null && status >= 200 && status < 300;

describe('The Tartan nodes in n8n queue mode (PostgreSQL, Redis, webhook processor, two workers)', { skip, timeout: 1_800_000 }, () => {
	const secrets = suiteSecrets('queue');
	const username = `queue-user-${randomSecret('u').slice(-6)}`;
	let sandbox;
	let stack;
	let api;
	const creds = {};
	const figures = {};
	let stackStopped = false;

	before(async () => {
		const { startSandbox } = require(path.join(PACKAGE_ROOT, 'test', 'sandbox', 'server.js'));
		sandbox = await startSandbox({
			credentials: { apiKey: secrets.apiKey, bearerToken: secrets.bearerToken, username, password: secrets.password, appSecretKey: secrets.appSecretKey },
		});
		const started = Date.now();
		stack = await startQueueStack({
			workers: 2,
			env: {
				N8N_LOG_LEVEL: 'debug',
				// A killed worker's jobs are noticed after the lock expires: 10 s here instead of 60 s
				...FAST_FAILOVER_ENV,
			},
			log: (message) => process.stderr.write(`[queue] ${message}\n`),
		});
		figures.stackStartSeconds = Math.round((Date.now() - started) / 100) / 10;
		api = new N8nApi(stack.main.url);
		await api.bootstrap();
		Object.assign(creds, await createSandboxCredentials(api, { sandboxUrl: sandbox.url, secrets, username, label: 'queue' }));
	});

	after(async () => {
		if (!stackStopped) await stack?.stop();
		await sandbox?.close();
		writeEvidence('queue-figures', figures);
		process.stderr.write(`[queue] figures: ${JSON.stringify(figures, null, 2)}\n`);
	});

	// ------------------------------------------------------------ helpers

	/** Executions each worker ran, from its log ("Worker started execution <id>"): Map id -> worker name. */
	function executionsByWorker() {
		const byExecution = new Map();
		for (const worker of stack.workers) {
			for (const match of worker.logText().matchAll(/Worker started execution (\d+)/g)) byExecution.set(match[1], worker.name);
		}
		return byExecution;
	}

	/** Imports and publishes a workflow whose trigger is a webhook; returns its id and production URL on the webhook processor. */
	async function deploy(file, vars, webhookPath) {
		const wf = await api.importWorkflow(path.join(workflows, file), vars);
		await api.activateWorkflow(wf.id);
		await stack.webhook.waitForWebhook(webhookPath, { timeoutMs: 60_000 });
		return { id: wf.id, url: `${stack.webhook.publicUrl}/webhook/${webhookPath}` };
	}

	async function deployTrigger(label, { template = 'tartan-trigger.json', respond = 'whenFinished', extra = {} } = {}) {
		const webhookId = randomUUID();
		return await deploy(
			template,
			{ ...triggerWorkflowVars({ name: `queue ${label}`, webhookId, credential: creds.signing, respond }), ...extra },
			`${webhookId}/webhook`,
		);
	}

	/**
	 * Waits until the workflow has `count` finished executions (not counting
	 * the ids in `before`) and none running, or the time is up; returns those
	 * executions with data.
	 */
	async function settledExecutions(workflowId, count, { timeoutMs = 180_000, before = new Set() } = {}) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const finished = (await api.listExecutions({ workflowId })).filter((e) => FINISHED.has(e.status) && !before.has(e.id));
			const running = await api.listExecutions({ workflowId, status: 'running' });
			if ((finished.length >= count && running.length === 0) || Date.now() > deadline) break;
			await sleep(500);
		}
		// Anything that would start late (a forged delivery, a double run) has had time to show
		await sleep(2000);
		return (await api.listExecutions({ workflowId, includeData: true })).filter((e) => !before.has(e.id));
	}

	const requestIdOf = (execution, nodeName = TRIGGER) => {
		const item = nodeOutput(execution, nodeName)?.[0]?.json;
		return nodeName === TRIGGER ? item?.requestId : item?.body?.requestId;
	};

	function executionError(execution, node) {
		const error = execution?.data?.resultData?.error ?? execution?.data?.resultData?.runData?.[node]?.[0]?.error;
		return error ? `${error.message ?? ''} | ${error.description ?? ''}` : '';
	}

	/** Runs a saved workflow as the editor's "Execute workflow" does; with the main's offloading it runs on a worker. */
	async function runOnWorker(file, vars, route) {
		const wf = await api.importWorkflow(path.join(workflows, file), vars);
		const seen = sandbox.requestsFor(route).length;
		const started = await api.runManually(wf.id);
		assert.ok(started?.executionId, `manual run did not start: ${JSON.stringify(started)}`);
		const executions = await api.waitForExecutions(wf.id, 1, { timeoutMs: 90_000 });
		assert.equal(executions.length, 1);
		const [execution] = executions;
		// Which worker ran it: the worker's own log, written by n8n's job processor
		let worker;
		for (let i = 0; i < 20 && !worker; i++) {
			worker = executionsByWorker().get(String(execution.id));
			if (!worker) await sleep(250);
		}
		return { wf, execution, worker, requests: sandbox.requestsFor(route).slice(seen) };
	}

	// ------------------------------------------------------------ the stack

	test('every process is up, and the package is installed in each one\'s user folder and loaded by the main', async () => {
		assert.equal(stack.workers.length, 2);
		for (const process_ of stack.processes) {
			const installed = path.join(process_.userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-tartan', 'package.json');
			assert.ok(fs.existsSync(installed), `${process_.name}: ${installed}`);
			assert.doesNotMatch(process_.logText(), /Unrecognized node type|Failed to load|Error loading package/i, `${process_.name} logged a load error`);
		}
		const types = (await api.nodeTypes()).map((t) => t.name);
		for (const node of ['tartanTrigger', 'tartanResend', 'tartanSyncCallback']) assert.ok(types.includes(`n8n-nodes-tartan.${node}`), node);
		// The main does not take production webhooks; the webhook processor does (below)
		assert.match(stack.main.logText(), /queue/i);
		figures.n8nVersion = stack.main.version;
	});

	// ------------------------------------------------------------ 1. load

	test(`load: ${SIGNED} signed deliveries (10 records each) and ${WRONG_EACH * 3} wrongly signed ones at concurrency ${CONCURRENCY}, "When the Workflow Finishes"; n8n's Webhook node under the same load`, async () => {
		const tartan = await deployTrigger('load: Tartan Trigger');
		const builtInPath = `queue-load-${randomUUID()}`;
		const builtIn = await deploy('webhook-node-noop.json', { NAME: "queue load: n8n's Webhook node", WEBHOOK_ID: randomUUID(), PATH: builtInPath }, builtInPath);

		const makeBatch = (seed) => {
			const deliveries = Array.from({ length: SIGNED }, (_, i) => makeDelivery(i));
			const wrong = [];
			for (const kind of ['wrong-key', 'altered-byte', 'no-header']) {
				for (let i = 0; i < WRONG_EACH; i++) wrong.push(deliveryRequest(makeDelivery(SIGNED + wrong.length), kind, secrets.appSecretKey));
			}
			return shuffle([...deliveries.map((d) => deliveryRequest(d, 'signed', secrets.appSecretKey)), ...wrong], seed);
		};

		/**
		 * Sends one batch to a workflow and reads back what ran: signed
		 * deliveries per second end to end (first send to the last execution's
		 * end; n8n's Webhook node gets the same requests and runs the wrongly
		 * signed ones too), answers, executions per requestId.
		 */
		const run = async (target, requestIdNode) => {
			const batch = makeBatch(Date.now() % 100_000);
			const before = new Set((await api.listExecutions({ workflowId: target.id })).map((e) => e.id));
			const started = Date.now();
			const results = await sendAll(target.url, batch, { concurrency: CONCURRENCY, timeoutMs: ANSWER_TIMEOUT_MS });
			const expected = requestIdNode === TRIGGER ? SIGNED : batch.length; // n8n's node checks no signature
			const executions = await settledExecutions(target.id, expected, { before });
			const lastStop = Math.max(...executions.map((e) => Date.parse(e.stoppedAt)));
			const seconds = (lastStop - started) / 1000;
			const runsById = new Map();
			for (const execution of executions) {
				const id = requestIdOf(execution, requestIdNode);
				if (!runsById.has(id)) runsById.set(id, []);
				runsById.get(id).push(execution);
			}
			const answered = results.filter((r) => r.status !== null).map((r) => r.ms).sort((x, y) => x - y);
			const latency = { p50: answered[Math.floor(answered.length / 2)], p99: answered[Math.floor(answered.length * 0.99)], max: answered.at(-1) };
			// End to end: the same request stream, from the first send to the last execution's end
			return { batch, results, executions, runsById, seconds, perSecond: SIGNED / seconds, latency };
		};

		// In the same stack, in the order A B B A (drift and warm-up cancel out): the
		// Tartan Trigger, and n8n's Webhook node given the same requests
		const a = await run(tartan, TRIGGER);
		const b = await run(builtIn, 'Webhook');
		const b2 = await run(builtIn, 'Webhook');
		const a2 = await run(tartan, TRIGGER);

		for (const run_ of [a, a2]) checkTartanRun(run_);
		for (const run_ of [b, b2]) checkControlRun(run_);

		// Both workers ran some
		const byWorker = executionsByWorker();
		const perWorker = countBy([...a.executions, ...a2.executions], (e) => byWorker.get(String(e.id)) ?? 'unknown');
		for (const worker of stack.workers) assert.ok(perWorker[worker.name] > 0, `${worker.name} ran none: ${JSON.stringify(perWorker)}`);
		assert.equal(perWorker.unknown, undefined, `executions no worker logged: ${JSON.stringify(perWorker)}`);

		const summary = (r, kind) => ({
			signedDeliveriesPerSecond: round(r.perSecond),
			requestsPerSecond: round(r.batch.length / r.seconds),
			seconds: round(r.seconds),
			executions: r.executions.length,
			answers: countBy(r.results, (x) => `${kind === 'tartan' ? `${x.kind}:` : ''}${x.status ?? 'no answer'}`),
			lostAnswers: r.results.filter((x) => x.status === null).length,
			latencyMs: r.latency,
			...(kind === 'tartan'
				? {
						lost: r.results.filter((x) => x.kind === 'signed' && !r.runsById.has(x.requestId)).length,
						duplicated: [...r.runsById.values()].filter((runs) => runs.length > 1).length,
					}
				: {}),
		});
		const ratios = [a.perSecond / b.perSecond, a2.perSecond / b2.perSecond];
		figures.load = {
			requestsPerRun: { signed: SIGNED, wronglySigned: WRONG_EACH * 3, kinds: ['wrong-key', 'altered-byte', 'no-header'] },
			concurrency: CONCURRENCY,
			order: 'A B B A',
			tartanTrigger: [summary(a, 'tartan'), summary(a2, 'tartan')],
			n8nWebhookNode: [summary(b, 'control'), summary(b2, 'control')],
			perWorker,
			ratioTartanToWebhookNode: ratios.map((x) => round(x, 3)),
			ratioMean: round((ratios[0] + ratios[1]) / 2, 3),
		};
		process.stderr.write(`[queue] load: ${JSON.stringify(figures.load)}\n`);
	});

	/** A Tartan Trigger run: every wrong one 401, every signed one 200 or (n8n's loss) no answer; one successful run per signed requestId. */
	function checkTartanRun(a) {
		const wrong = a.results.filter((r) => r.kind !== 'signed');
		const signed = a.results.filter((r) => r.kind === 'signed');
		assert.deepEqual(countBy(wrong, (r) => r.status), { 401: wrong.length }, 'every wrongly signed delivery gets 401');
		for (const r of wrong) assert.match(r.body, /"error":"invalid_signature"/);
		const unexpected = signed.filter((r) => r.status !== 200 && r.status !== null);
		assert.deepEqual(unexpected.map((r) => `${r.status} ${r.body}`), [], 'a signed delivery got an answer other than 200');
		const lost = signed.filter((r) => r.status === null);

		// Executions: exactly one successful run per signed requestId, none from the wrong ones
		assert.equal(a.executions.length, SIGNED, `executions: ${a.executions.length}, signed deliveries: ${SIGNED}`);
		for (const r of signed) {
			const runs = a.runsById.get(r.requestId) ?? [];
			assert.equal(runs.length, 1, `requestId ${r.requestId} ran ${runs.length} times`);
			assert.equal(runs[0].status, 'success', `requestId ${r.requestId}: ${runs[0].status}`);
			assert.deepEqual(nodesThatRan(runs[0]).sort(), ['Received', TRIGGER].sort());
		}
		for (const r of wrong) assert.equal(a.runsById.has(r.requestId), false, `a ${r.kind} delivery started an execution`);
		// A lost answer is n8n's: its execution ran once and succeeded (checked above for every signed one)
		for (const r of lost) assert.equal(a.runsById.get(r.requestId)?.[0]?.status, 'success');
	}

	/** n8n's Webhook node under the same requests: all 200 or no answer, one successful run each. */
	function checkControlRun(b) {
		const bLost = b.results.filter((r) => r.status === null);
		const bOther = b.results.filter((r) => r.status !== 200 && r.status !== null);
		assert.deepEqual(bOther.map((r) => `${r.status} ${r.body}`), [], "n8n's Webhook node answered other than 200");
		assert.equal(b.executions.length, b.batch.length);
		for (const r of b.batch) assert.equal((b.runsById.get(r.requestId) ?? []).filter((e) => e.status === 'success').length, 1, r.requestId);
		for (const r of bLost) assert.equal(b.runsById.get(r.requestId)?.[0]?.status, 'success', 'a lost answer of the control still ran once');
	}

	// ------------------------------------------------------------ 2. outbound on workers

	const FAMILIES = ['sync_session_counter_status', 'time_range_status_org', 'org_only', 'request_id'];
	for (const c of CASES.filter((x) => FAMILIES.includes(x.operation))) {
		test(`outbound on a worker: Tartan Resend ${c.operation} sends exactly the body the single-process suite expects`, async () => {
			const { execution, worker, requests } = await runOnWorker(
				'tartan-resend.json',
				{
					NAME: `queue resend ${c.operation}`,
					PARAMETERS: { operation: c.operation, ...c.parameters },
					TIMEZONE: c.timezone ?? 'UTC',
					CRED_ID: creds.api.id,
					CRED_NAME: creds.api.name,
				},
				'resend',
			);
			assert.equal(execution.status, 'success', executionError(execution, 'Tartan Resend'));
			assert.ok(worker, `execution ${execution.id} is in no worker's log`);
			assert.equal(requests.length, 1);
			assert.deepEqual(requests[0].body, { search_type: c.operation, ...c.body });
			assert.equal(requests[0].headers.authorization, secrets.apiKey);
			assert.deepEqual(nodeOutput(execution, 'Tartan Resend').map((i) => i.json), [requests[0].response.body]);
			(figures.outbound ??= []).push({ node: 'Tartan Resend', operation: c.operation, worker, body: requests[0].body });
		});
	}

	test('outbound on a worker: Tartan Resend retries a 503 and succeeds with the 200 (two requests)', async () => {
		sandbox.script('resend', { status: 503 });
		const c = CASES.find((x) => x.operation === 'request_id');
		const { execution, worker, requests } = await runOnWorker(
			'tartan-resend.json',
			{ NAME: 'queue resend 503 then 200', PARAMETERS: { operation: c.operation, ...c.parameters }, TIMEZONE: 'UTC', CRED_ID: creds.api.id, CRED_NAME: creds.api.name },
			'resend',
		);
		assert.equal(execution.status, 'success', executionError(execution, 'Tartan Resend'));
		assert.ok(worker);
		assert.deepEqual(requests.map((r) => r.response.status), [503, 200]);
		for (const r of requests) assert.deepEqual(r.body, { search_type: 'request_id', ...c.body });
		(figures.outbound ??= []).push({ node: 'Tartan Resend', operation: '503 then 200', worker, statuses: [503, 200] });
	});

	test('outbound on a worker: Tartan Sync Callback, JSON with the bearer token', async () => {
		const employees = [{ name: 'Zoë Fernandes', email: 'zoe@tartanhq.com', employeeId: '14' }];
		const { execution, worker, requests } = await runOnWorker(
			'tartan-sync-callback-json.json',
			{ NAME: 'queue sync callback json', EMPLOYEES_JS: JSON.stringify(employees), OPTIONS: {}, CRED_ID: creds.bearer.id, CRED_NAME: creds.bearer.name },
			'callback',
		);
		assert.equal(execution.status, 'success', executionError(execution, 'Tartan Sync Callback'));
		assert.ok(worker);
		assert.equal(requests.length, 1);
		assert.match(String(requests[0].headers['content-type']), /^application\/json/);
		assert.equal(requests[0].headers.authorization, `Bearer ${secrets.bearerToken}`);
		assert.deepEqual(requests[0].body, { ...employees[0], department: 'Engineering' });
		(figures.outbound ??= []).push({ node: 'Tartan Sync Callback', mode: 'json', worker, body: requests[0].body });
	});

	test('outbound on a worker: Tartan Sync Callback, multipart with a file made on the worker, byte for byte', async () => {
		const employee = { name: 'Zoë Fernandes', email: 'zoe@tartanhq.com', employeeId: '14' };
		const { execution, worker, requests } = await runOnWorker(
			'tartan-sync-callback-multipart.json',
			{
				NAME: 'queue sync callback multipart',
				CSV_JS: JSON.stringify(CSV_TEXT),
				CSV_NAME_JS: JSON.stringify(CSV_NAME),
				EMPLOYEE_JS: JSON.stringify(employee),
				CRED_ID: creds.usernamePassword.id,
				CRED_NAME: creds.usernamePassword.name,
			},
			'callback',
		);
		assert.equal(execution.status, 'success', executionError(execution, 'Tartan Sync Callback'));
		assert.ok(worker);
		assert.equal(requests.length, 1);
		const [request] = requests;
		assert.match(String(request.headers['content-type']), /^multipart\/form-data; boundary=\S+$/);
		assert.equal(request.headers.username, username);
		assert.equal(request.headers.password, secrets.password);
		assert.equal(request.headers.authorization, undefined);
		assert.deepEqual(request.parts.map(describePart), expectedMultipartParts(employee));
		assert.ok(request.parts[3].data.equals(Buffer.from(CSV_TEXT, 'utf8')));
		assert.ok(request.parts[4].data.equals(ALL_BYTES));
		(figures.outbound ??= []).push({ node: 'Tartan Sync Callback', mode: 'multipart', worker, parts: request.parts.map(describePart) });
	});

	// ------------------------------------------------------------ 3. a worker dies

	test('a worker is killed (SIGKILL) with deliveries in flight: no 2xx unless the execution succeeded; re-sends + Remove Duplicates end with exactly one run each', async () => {
		const slow = { SLOW_SECONDS: 1.5 };
		const finishes = await deployTrigger('worker dies: when finished', {
			template: 'tartan-trigger-slow-dedupe.json',
			respond: 'whenFinished',
			extra: { ...slow, WAIT_WEBHOOK_ID: randomUUID() },
		});
		const immediately = await deployTrigger('worker dies: immediately', {
			template: 'tartan-trigger-slow-dedupe.json',
			respond: 'immediately',
			extra: { ...slow, WAIT_WEBHOOK_ID: randomUUID() },
		});
		const PER_WORKFLOW = 40;
		const toFinishes = Array.from({ length: PER_WORKFLOW }, (_, i) => deliveryRequest(makeDelivery(10_000 + i), 'signed', secrets.appSecretKey));
		const toImmediately = Array.from({ length: PER_WORKFLOW }, (_, i) => deliveryRequest(makeDelivery(20_000 + i), 'signed', secrets.appSecretKey));

		const victim = stack.workers[0];
		const startedBefore = new Set(executionsByWorker().keys());
		const inFlightOnVictim = () => {
			const text = victim.logText();
			const started = [...text.matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]).filter((id) => !startedBefore.has(id));
			const finished = new Set([...text.matchAll(/Worker finished execution (\d+)/g)].map((m) => m[1]));
			return started.filter((id) => !finished.has(id));
		};
		let killedWith;
		const killer = (async () => {
			const deadline = Date.now() + 60_000;
			while (Date.now() < deadline) {
				const inFlight = inFlightOnVictim();
				if (inFlight.length >= 4) {
					killedWith = inFlight;
					await victim.kill('SIGKILL');
					return;
				}
				await sleep(50);
			}
		})();
		// Both workflows at once, interleaved; the "when finished" ones wait for the run (and the lock to expire)
		const sendFinishes = sendAll(finishes.url, toFinishes, { concurrency: 10, timeoutMs: 90_000 });
		const sendImmediately = sendAll(immediately.url, toImmediately, { concurrency: 10, timeoutMs: 90_000 });
		const [round1, immediateResults] = await Promise.all([sendFinishes, sendImmediately]);
		await killer;
		assert.ok(killedWith, `${victim.name} never had 4 executions in flight`);

		const firstRound = await settledExecutions(finishes.id, PER_WORKFLOW, { timeoutMs: 120_000 });
		const immediateRuns = await settledExecutions(immediately.id, PER_WORKFLOW, { timeoutMs: 120_000 });
		const succeededIds = (executions) => new Set(executions.filter((e) => e.status === 'success').map((e) => requestIdOf(e)));

		// The property: a 2xx only for a delivery whose execution succeeded
		const okFirst = succeededIds(firstRound);
		const acknowledged = round1.filter((r) => is2xx(r.status));
		const falseAcks = acknowledged.filter((r) => !okFirst.has(r.requestId));
		assert.deepEqual(falseAcks.map((r) => r.requestId), [], '"When the Workflow Finishes" acknowledged a delivery whose execution did not succeed');
		const notAcknowledged = round1.filter((r) => !is2xx(r.status));
		assert.ok(
			notAcknowledged.length + immediateRuns.filter((e) => e.status !== 'success').length > 0,
			'the kill hit no execution (nothing failed): the scenario proved nothing',
		);

		// Tartan re-sends what was not acknowledged (end of day); here at once, until every delivery has its 2xx
		const rounds = [];
		let pending = notAcknowledged;
		for (let i = 0; i < 3 && pending.length > 0; i++) {
			const again = await sendAll(finishes.url, pending, { concurrency: 10, timeoutMs: 90_000 });
			rounds.push(countBy(again, (r) => r.status ?? 'no answer'));
			pending = again.filter((r) => !is2xx(r.status));
		}
		assert.deepEqual(pending.map((r) => r.requestId), [], 'deliveries still not acknowledged after 3 re-sends');

		// Every requestId: exactly one successful execution in which the rest of the workflow ran with it
		const all = await settledExecutions(finishes.id, PER_WORKFLOW + notAcknowledged.length, { timeoutMs: 120_000 });
		const downstreamRuns = new Map(toFinishes.map((r) => [r.requestId, 0]));
		for (const execution of all) {
			if (execution.status !== 'success') continue;
			const passed = nodeOutput(execution, 'Downstream')?.length ?? 0;
			if (passed > 0) downstreamRuns.set(requestIdOf(execution), downstreamRuns.get(requestIdOf(execution)) + passed);
		}
		const notOnce = [...downstreamRuns].filter(([, n]) => n !== 1);
		assert.deepEqual(notOnce, [], 'requestIds whose rest of the workflow did not run exactly once');

		// "Respond: Immediately" in the same kill: every delivery got 200 at once, some of them lost
		assert.deepEqual(countBy(immediateResults, (r) => r.status ?? 'no answer'), { 200: PER_WORKFLOW });
		const okImmediately = succeededIds(immediateRuns);
		const ackedButFailed = immediateResults.filter((r) => !okImmediately.has(r.requestId)).length;

		figures.workerDies = {
			killed: victim.name,
			inFlightOnKilledWorker: killedWith.length,
			deliveries: PER_WORKFLOW,
			whenFinished: {
				firstRound: {
					'2xx': acknowledged.length,
					non2xx: round1.filter((r) => r.status !== null && !is2xx(r.status)).length,
					noAnswer: round1.filter((r) => r.status === null).length,
					statuses: countBy(round1, (r) => r.status ?? 'no answer'),
				},
				executionsFirstRound: countBy(firstRound, (e) => e.status),
				reSendRounds: rounds,
				acknowledgedWithoutSuccess: falseAcks.length,
				endState: { requestIds: downstreamRuns.size, restOfWorkflowRanOnce: [...downstreamRuns.values()].filter((n) => n === 1).length },
				executionsInAll: countBy(all, (e) => e.status),
			},
			immediately: {
				acknowledged: immediateResults.length,
				executions: countBy(immediateRuns, (e) => e.status),
				acknowledgedButFailed: ackedButFailed,
			},
		};
		process.stderr.write(`[queue] worker dies: ${JSON.stringify(figures.workerDies)}\n`);
	});

	// ------------------------------------------------------------ 4. secrets

	test('no secret in a dump of the PostgreSQL database, in any n8n process\'s user folder or log, or in the PostgreSQL log', async () => {
		const n8nProcesses = stack.processes;
		await Promise.all(n8nProcesses.map((p) => p.stop({ keepFolder: true, quiet: true })));
		const dumpFolder = fs.mkdtempSync(path.join(stack.main.userFolder, 'pg-dump-'));
		const dump = stack.postgres.dump();
		fs.writeFileSync(path.join(dumpFolder, 'n8n.sql'), dump);
		fs.copyFileSync(stack.postgres.logFile, path.join(dumpFolder, 'postgres.log'));
		try {
			const report = [];
			for (const p of n8nProcesses) {
				const scan = scanForSecrets(p.userFolder, secrets);
				report.push({ process: p.name, files: scan.files.length, logs: scan.files.filter((f) => f.endsWith('.log')).length, hits: scan.hits });
				assert.deepEqual(scan.hits, [], `${p.name}: a secret in ${JSON.stringify(scan.hits)}`);
				assert.ok(scan.files.includes('n8n.log'), `${p.name}: its log was scanned`);
			}
			// Positive control: the dump holds the credentials (encrypted) and execution data in clear
			// (assert.ok, not match: a failure must not print the dump)
			assert.ok(dump.includes('CREATE TABLE public.credentials_entity'), 'the dump has the credentials table');
			assert.ok(dump.includes('Tartan signing key (queue)'), 'the dump has the credentials');
			assert.ok(dump.includes('"employee1@tartanhq.com"'), 'the dump has execution data (a record of a delivery)');
			assert.ok(stack.main.logText().length > 0 && stack.workers.every((w) => w.logText().length > 0));
			figures.secrets = { scanned: report, databaseDumpBytes: dump.length };
		} finally {
			stackStopped = true;
			await stack.stop();
			if (process.env.N8N_E2E_KEEP !== '1') for (const p of n8nProcesses) fs.rmSync(p.userFolder, { recursive: true, force: true });
		}
	});
});

function round(value, digits = 2) {
	const f = 10 ** digits;
	return Math.round(value * f) / f;
}

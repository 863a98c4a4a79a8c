// Tartan Resend in a real n8n, against the local Tartan sandbox: one manually
// run workflow per search type, what the sandbox recorded (body, epoch seconds,
// Authorization) and what the execution output, validation failures that send
// nothing, retries on 503, error redaction, and no secret left in clear in
// n8n's database or logs.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { N8nApi, nodeOutput } from '../../scripts/lib/api.mjs';
import { writeEvidence } from './lib/evidence.mjs';
import { PACKAGE_ROOT, packageBuildState, startN8n, tail } from '../../scripts/lib/n8n.mjs';
import { CASES, FROM, ORG, REQUEST, SYNC_SESSION, TO } from './lib/resend-cases.mjs';
import { maskHeaders, randomSecret, stopAndScanForSecrets } from './lib/secrets.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const WORKFLOW = path.join(here, 'workflows', 'tartan-resend.json');
const build = packageBuildState();
const skip = build.built ? false : build.reason;

const NODE = 'Tartan Resend';
// n8n 2.8 adds "Allowed HTTP Request Domains" to every credential type with an
// `authenticate` block; its public API then requires `allowedDomains` unless
// the mode is given (the editor fills in the default, 'all').
const HTTP_DOMAINS = { allowedHttpRequestDomains: 'all' };
const OK_ANSWER = { success: true, message: 'Webhook resend triggered successfully.' };

/** Invalid parameters: the execution fails naming the field, and nothing reaches Tartan. */
const INVALID = [
	{
		label: 'webhookCounter "0"',
		parameters: { operation: 'sync_session_counter', syncSessionId: SYNC_SESSION, webhookCounter: '0' },
		message: /"Webhook Counters" \(webhookCounter\) must be whole numbers of 1 or more.* in item 1/,
	},
	{
		label: 'a sync session ID that is not a UUID (Tartan example style)',
		parameters: { operation: 'sync_session', syncSessionId: 'dsfdbgklvboknbsx' },
		message: /"Sync Session ID" \(syncSessionId\) must be a UUID.*Allow Non-UUID IDs/,
	},
	{
		label: 'epoch milliseconds for From',
		parameters: { operation: 'time_range', requestTimestamp: `={{ ${FROM * 1000} }}`, endRequestTimestamp: `${TO}` },
		message: /"From" \(requestTimestamp\) looks like epoch milliseconds/,
	},
	{
		label: 'To before From',
		parameters: { operation: 'time_range', requestTimestamp: `${TO}`, endRequestTimestamp: `${FROM}` },
		message: /"To" \(endRequestTimestamp\) must not be before From/,
	},
];

/** The error an execution ended with (message and description), as text. */
function executionError(execution) {
	const error = execution?.data?.resultData?.error ?? execution?.data?.resultData?.runData?.[NODE]?.[0]?.error;
	return error ? `${error.message ?? ''} | ${error.description ?? ''}` : '';
}

describe('Tartan Resend in a real n8n', { skip, timeout: 600_000 }, () => {
	const runId = randomSecret('run').slice(-8);
	const secrets = {
		apiKey: randomSecret('tartan-e2e-api-key'),
		wrongApiKey: randomSecret('tartan-e2e-wrong-api-key'),
	};
	let sandbox;
	let n8n;
	let api;
	let credential;
	let wrongCredential;
	let workflowCount = 0;

	before(async () => {
		const { startSandbox } = require(path.join(PACKAGE_ROOT, 'test', 'sandbox', 'server.js'));
		sandbox = await startSandbox({ credentials: { apiKey: secrets.apiKey } });
		n8n = await startN8n({ env: { N8N_LOG_LEVEL: 'debug' } });
		api = new N8nApi(n8n.url);
		await api.bootstrap();
		credential = await api.createCredential({
			name: 'Tartan API (sandbox, e2e)',
			type: 'tartanApi',
			data: { environment: 'dev', baseUrl: sandbox.url, apiKey: secrets.apiKey, ...HTTP_DOMAINS },
		});
		wrongCredential = await api.createCredential({
			name: 'Tartan API with a wrong key (e2e)',
			type: 'tartanApi',
			data: { environment: 'dev', baseUrl: sandbox.url, apiKey: secrets.wrongApiKey, ...HTTP_DOMAINS },
		});
	});

	after(async () => {
		await n8n?.stop();
		await sandbox?.close();
	});

	/** Imports a workflow, runs it manually, and returns its execution and the resend requests recorded meanwhile. */
	async function runWorkflow(file, vars) {
		const wf = await api.importWorkflow(file, vars);
		const seen = sandbox.requestsFor('resend').length;
		const started = await api.runManually(wf.id);
		assert.ok(started?.executionId, `manual run did not start: ${JSON.stringify(started)}`);
		const executions = await api.waitForExecutions(wf.id, 1, { timeoutMs: 60_000 });
		assert.equal(executions.length, 1);
		return { wf, execution: executions[0], requests: sandbox.requestsFor('resend').slice(seen) };
	}

	const workflowName = (label) => `e2e resend ${runId} #${++workflowCount} ${label}`;

	/**
	 * Imports Manual -> Tartan Resend with these parameters and runs it as the
	 * editor's "Execute workflow" does.
	 */
	async function runResend(label, parameters, { timezone = 'UTC', cred = credential } = {}) {
		return await runWorkflow(WORKFLOW, {
			NAME: workflowName(label),
			PARAMETERS: parameters,
			TIMEZONE: timezone,
			CRED_ID: cred.id,
			CRED_NAME: cred.name,
		});
	}

	for (const c of CASES) {
		test(`${c.operation}: Tartan receives exactly search_type + its fields, with the API key; the output is Tartan's answer`, async () => {
			const expected = { search_type: c.operation, ...c.body };
			const { execution, requests } = await runResend(c.operation, { operation: c.operation, ...c.parameters }, c);
			assert.equal(execution.status, 'success', `${executionError(execution)}\n${tail(n8n.logText(), 20)}`);
			assert.equal(execution.mode, 'manual');
			assert.equal(requests.length, 1, 'one request');
			const [request] = requests;
			assert.equal(request.method, 'POST');
			assert.equal(request.path, '/api/webhooks/resend');
			assert.equal(request.headers.authorization, secrets.apiKey, 'Authorization is the raw API key');
			assert.match(String(request.headers['content-type']), /^application\/json/);
			assert.deepEqual(request.body, expected);
			for (const field of ['request_timestamp', 'end_request_timestamp']) {
				if (!(field in expected)) continue;
				assert.ok(Number.isInteger(request.body[field]), `${field} is an integer`);
				assert.match(request.rawBody.toString('utf8'), new RegExp(`"${field}":${expected[field]}[,}]`), `${field} is sent as a JSON integer`);
			}
			assert.equal(request.response.status, 200, JSON.stringify(request.response.body));
			assert.deepEqual(request.response.body, OK_ANSWER);
			assert.deepEqual(
				nodeOutput(execution, NODE).map((item) => item.json),
				[request.response.body],
				'the node outputs what Tartan answered',
			);
			if (c.operation === 'sync_session_counter') {
				writeEvidence('resend-request', {
					method: request.method,
					path: request.path,
					headers: maskHeaders(request.headers, secrets),
					rawBody: request.rawBody.toString('utf8'),
					response: request.response,
					nodeOutput: nodeOutput(execution, NODE).map((item) => item.json),
				});
			}
		});
	}

	for (const c of INVALID) {
		test(`invalid: ${c.label} -> the execution fails naming the field, nothing is sent`, async () => {
			const { execution, requests } = await runResend(`invalid ${c.label}`, c.parameters);
			assert.equal(execution.status, 'error');
			assert.match(executionError(execution), c.message);
			assert.match(executionError(execution), /Nothing was sent to Tartan/);
			assert.equal(requests.length, 0, 'the sandbox recorded no request');
			assert.equal(nodeOutput(execution, NODE)?.length ?? 0, 0);
		});
	}

	test('Tartan answers 503, then 200: one retry (two requests), and the execution succeeds with the 200 answer', async () => {
		sandbox.script('resend', { status: 503 });
		const { execution, requests } = await runResend('503 then 200', { operation: 'request_id', requestId: REQUEST });
		assert.equal(execution.status, 'success', executionError(execution));
		assert.equal(requests.length, 2, 'two requests');
		assert.deepEqual(
			requests.map((r) => [r.response.status, r.response.scripted === true]),
			[
				[503, true],
				[200, false],
			],
		);
		for (const r of requests) {
			assert.deepEqual(r.body, { search_type: 'request_id', request_id: REQUEST });
			assert.equal(r.headers.authorization, secrets.apiKey);
		}
		const waited = requests[1].receivedAt - requests[0].receivedAt;
		assert.ok(waited >= 700, `back-off of about 1 s before the retry (waited ${waited} ms)`);
		assert.deepEqual(nodeOutput(execution, NODE).map((item) => item.json), [OK_ANSWER]);
	});

	test('Tartan keeps answering 503 with Retries = 1: two requests, then the execution fails saying so', async () => {
		sandbox.script('resend', [{ status: 503 }, { status: 503 }]);
		const { execution, requests } = await runResend('503 twice, 1 retry', {
			operation: 'org_only',
			clientOrgId: ORG,
			options: { retries: 1 },
		});
		assert.equal(execution.status, 'error');
		assert.equal(requests.length, 2);
		assert.match(executionError(execution), /Tartan answered 503.*\(after 2 attempts\)/);
	});

	test('a wrong API key: Tartan answers 401 once (not retried), the error points at the credential', async () => {
		const { execution, requests } = await runResend('wrong key', { operation: 'org_only', clientOrgId: ORG }, { cred: wrongCredential });
		assert.equal(execution.status, 'error');
		assert.equal(requests.length, 1);
		assert.equal(requests[0].headers.authorization, secrets.wrongApiKey);
		assert.equal(requests[0].response.status, 401);
		assert.match(executionError(execution), /Tartan did not accept the "Tartan API" credential \(401\)/);
		assert.ok(!executionError(execution).includes(secrets.wrongApiKey));
	});

	test('an error message from Tartan that echoes the API key is stored masked', async () => {
		sandbox.script('resend', { status: 400, body: { success: false, message: `token ${secrets.apiKey} is not allowed here` } });
		const { execution, requests } = await runResend('echoed key', { operation: 'request_id', requestId: REQUEST });
		assert.equal(execution.status, 'error');
		assert.equal(requests.length, 1);
		const text = executionError(execution);
		assert.match(text, /Tartan rejected item 1 as invalid \(400\): token \*\*\* is not allowed here/);
		assert.ok(!JSON.stringify(execution).includes(secrets.apiKey), 'the execution read back holds no API key');
	});

	// n8n 2.8 routes an item to the error output when it carries `item.error`
	// (nodes/shared/itemErrors.ts failedItem() sets it).
	test('"Continue (using error output)": valid items are resent, an invalid one goes to the error output naming field and item', async () => {
		const items = [
			{ syncSessionId: SYNC_SESSION, counters: '1, 2' },
			{ syncSessionId: SYNC_SESSION, counters: '0' },
			{ syncSessionId: SYNC_SESSION, counters: [7] },
		];
		const { execution, requests } = await runWorkflow(path.join(here, 'workflows', 'tartan-resend-error-output.json'), {
			NAME: workflowName('error output'),
			ITEMS_JS: JSON.stringify(items),
			CRED_ID: credential.id,
			CRED_NAME: credential.name,
		});
		assert.equal(execution.status, 'success', executionError(execution));
		assert.deepEqual(
			requests.map((r) => r.body),
			[
				{ search_type: 'sync_session_counter', sync_session_id: SYNC_SESSION, webhook_counter: [1, 2] },
				{ search_type: 'sync_session_counter', sync_session_id: SYNC_SESSION, webhook_counter: [7] },
			],
		);
		const resent = nodeOutput(execution, 'Resent');
		assert.deepEqual(resent.map((item) => item.json), [OK_ANSWER, OK_ANSWER]);
		const failed = nodeOutput(execution, 'Not Resent');
		assert.equal(failed.length, 1, JSON.stringify(failed));
		assert.match(failed[0].json.error, /"Webhook Counters" \(webhookCounter\) must be whole numbers of 1 or more.* in item 2/);
		// The node's two outputs, each item paired with its input item
		const paired = (item) => (Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem)?.item;
		assert.deepEqual(nodeOutput(execution, NODE, { output: 0 }).map(paired), [0, 2]);
		assert.deepEqual(nodeOutput(execution, NODE, { output: 1 }).map(paired), [1]);
	});

	test('no API key in clear anywhere in the n8n user folder (SQLite database, logs, ...) after the run', async () => {
		const scan = await stopAndScanForSecrets(n8n, secrets, { mustContain: [OK_ANSWER.message, `e2e resend ${runId}`] });
		assert.ok(scan.database.length > 0, `no SQLite database found among ${scan.files.join(', ')}`);
		assert.ok(scan.logs.length > 0, `no log file found among ${scan.files.join(', ')}`);
		assert.deepEqual(scan.missing, [], 'positive control: workflow names and execution data are found in the database in clear');
		assert.deepEqual(scan.hits, [], `secrets found in clear: ${JSON.stringify(scan.hits)}`);
	});
});

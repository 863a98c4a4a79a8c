// The compatibility suite: what must hold on every n8n version users run,
// on whichever n8n N8N_VERSION names (an exact version, or a release line
// such as 1.x or 2.x: the newest that installs, see scripts/lib/n8n-install.mjs)
// and the Node it needs. `npm test` runs it on the default (2.8.4, as part of
// the full suite), on the newest 1.x (Node 20) and on the newest installable
// 2.x (Node 24) through scripts/compat.mjs.
//
// It proves, in that real n8n: the package loads with every node and
// credential; the Tartan Trigger runs a correctly signed delivery and refuses
// a wrongly signed one with 401 and no execution; Tartan Resend sends one
// operation to the sandbox; Tartan Sync Callback sends JSON (bearer) and
// multipart (username/password, with files); and no secret is in the
// execution data, the logs or anything else in n8n's user folder. The cases
// are the full suites' (lib/resend-cases.mjs, lib/sync-callback-cases.mjs,
// workflows/*.json), in fewer instances.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { N8nApi, nodeOutput, nodesThatRan } from '../../scripts/lib/api.mjs';
import { ensureN8n } from '../../scripts/lib/n8n-install.mjs';
import { PACKAGE_ROOT, packageBuildState, startN8n, tail } from '../../scripts/lib/n8n.mjs';
import { writeEvidence } from './lib/evidence.mjs';
import { CASES } from './lib/resend-cases.mjs';
import { createSandboxCredentials } from './lib/sandbox-credentials.mjs';
import { maskHeaders, randomSecret, stopAndScanForSecrets, suiteSecrets } from './lib/secrets.mjs';
import { ALL_BYTES, CSV_NAME, CSV_TEXT, describePart, expectedMultipartParts } from './lib/sync-callback-cases.mjs';
import { triggerWorkflowVars } from './lib/trigger-workflow.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const workflows = path.join(here, 'workflows');
const build = packageBuildState();
const skip = build.built ? false : build.reason;

const TRIGGER = 'Tartan Trigger';
const RESEND = 'Tartan Resend';
const CALLBACK = 'Tartan Sync Callback';
// See resend.e2e.mjs: n8n 2.x's public API wants the domain restriction mode
// for credential types with an `authenticate` block (1.x accepts it too).
const RESEND_OK = { success: true, message: 'Webhook resend triggered successfully.' };
const CALLBACK_OK = { success: true, message: 'Sync successful' };
const RESEND_CASE = CASES.find((c) => c.operation === 'sync_session_counter');

// Which n8n this run is on (installs it first if needed), and the newer
// versions of its line that could not be installed: reported, not failed.
const installed = await ensureN8n();
const label = `n8n ${installed.version} (Node ${installed.node.version}${installed.requested !== installed.version ? `, newest installable ${installed.requested}` : ''})`;

function executionError(execution, node) {
	const error = execution?.data?.resultData?.error ?? execution?.data?.resultData?.runData?.[node]?.[0]?.error;
	return error ? `${error.message ?? ''} | ${error.description ?? ''}` : '';
}

describe(`compatibility: ${label}`, { skip, timeout: 900_000 }, () => {
	const runId = randomSecret('run').slice(-8);
	const username = `compat-user-${runId}`;
	const secrets = suiteSecrets('compat');
	const evidence = { n8n: installed.version, node: installed.node.version, requested: installed.requested, skippedVersions: installed.skipped, proven: [] };
	const workflowIds = [];
	let sandbox;
	let webhook;
	let n8n;
	let api;
	const creds = {};
	let count = 0;
	const name = (what) => `compat ${runId} #${++count} ${what}`;

	before(async () => {
		const { startSandbox } = require(path.join(PACKAGE_ROOT, 'test', 'sandbox', 'server.js'));
		webhook = require(path.join(PACKAGE_ROOT, 'test', 'sandbox', 'webhook.js'));
		sandbox = await startSandbox({
			credentials: { apiKey: secrets.apiKey, bearerToken: secrets.bearerToken, username, password: secrets.password, appSecretKey: secrets.appSecretKey },
		});
		n8n = await startN8n({ env: { N8N_LOG_LEVEL: 'debug' } });
		api = new N8nApi(n8n.url);
		await api.bootstrap();
		Object.assign(creds, await createSandboxCredentials(api, { sandboxUrl: sandbox.url, secrets, username, label: 'compat' }));
	});

	after(async () => {
		await n8n?.stop();
		await sandbox?.close();
		writeEvidence(`compat-n8n-${installed.version}`, evidence);
	});

	for (const s of installed.skipped) {
		test(`n8n ${s.version} (newer than ${installed.version}) is not tested: it does not install here`, { skip: s.reason }, () => {});
	}

	async function importWorkflow(file, vars) {
		const wf = await api.importWorkflow(path.join(workflows, file), vars);
		workflowIds.push(wf.id);
		return wf;
	}

	/** Imports a workflow, runs it manually, and returns its execution and the `route` requests the sandbox recorded meanwhile. */
	async function runManual(file, vars, route) {
		const wf = await importWorkflow(file, vars);
		const seen = sandbox.requestsFor(route).length;
		const started = await api.runManually(wf.id);
		assert.ok(started?.executionId, `manual run did not start: ${JSON.stringify(started)}`);
		const [execution, ...more] = await api.waitForExecutions(wf.id, 1, { timeoutMs: 60_000 });
		assert.equal(more.length, 0);
		return { execution, requests: sandbox.requestsFor(route).slice(seen) };
	}

	test(`n8n ${installed.version} runs on Node ${installed.node.version} and loaded every node and credential of ${build.pkg.name}`, async () => {
		const about = await api.rest('GET', '/settings');
		assert.equal(about.versionCli, installed.version, 'the n8n that answers is the one installed');
		assert.equal(n8n.nodeVersion, installed.node.version);
		const nodeTypes = (await api.nodeTypes()).map((type) => type.name);
		const credentialTypes = (await api.credentialTypes()).map((type) => type.name);
		const camel = (base) => `${base[0].toLowerCase()}${base.slice(1)}`;
		const nodes = build.pkg.n8n.nodes.map((file) => `${build.pkg.name}.${camel(path.basename(file, '.node.js'))}`);
		const credentials = build.pkg.n8n.credentials.map((file) => camel(path.basename(file, '.credentials.js')));
		for (const type of nodes) assert.ok(nodeTypes.includes(type), `${type} not among n8n's node types; log:\n${tail(n8n.logText(), 40)}`);
		for (const type of credentials) assert.ok(credentialTypes.includes(type), `${type} not among n8n's credential types`);
		assert.doesNotMatch(n8n.logText(), /nodes package .* is already loaded|Class could not be found|Failed to load (custom|community) (nodes|package)/i);
		evidence.proven.push({ loaded: { nodes, credentials } });
	});

	test('Tartan Trigger: a correctly signed delivery -> 200 and one execution with the payload; a wrongly signed one -> 401, no execution', async () => {
		const webhookId = randomUUID();
		const wf = await importWorkflow('tartan-trigger.json', triggerWorkflowVars({ name: name('trigger'), webhookId, credential: creds.signing }));
		await api.activateWorkflow(wf.id);
		await n8n.waitForWebhook(`${webhookId}/webhook`);
		const url = `${n8n.url}/webhook/${webhookId}/webhook`;

		const wrong = await webhook.sendSignedWebhook(url, { fixture: 'employee-update', appSecretKey: 'not-the-app-key' });
		assert.equal(wrong.status, 401, wrong.body);
		assert.equal(wrong.json?.error, 'invalid_signature', wrong.body);
		assert.equal(wrong.json?.reason, 'signature_mismatch', wrong.body);
		const unsigned = await webhook.sendSignedWebhook(url, { fixture: 'employee-update', omitSignature: true });
		assert.equal(unsigned.status, 401, unsigned.body);
		assert.equal(unsigned.json?.reason, 'missing_signature', unsigned.body);
		assert.equal(await api.countExecutionsAfter(wf.id), 0, 'no execution for the refused deliveries');

		const signed = await webhook.sendSignedWebhook(url, { fixture: 'employee-update', appSecretKey: secrets.appSecretKey });
		assert.equal(signed.status, 200, signed.body);
		const [execution, ...more] = await api.waitForExecutions(wf.id, 1);
		assert.equal(more.length, 0);
		assert.equal(execution.mode, 'webhook');
		assert.equal(execution.status, 'success');
		assert.deepEqual(nodesThatRan(execution).sort(), ['Received', TRIGGER].sort());
		const items = nodeOutput(execution, TRIGGER).map((item) => item.json);
		assert.equal(items.length, 1);
		const { deliveryKey, ...rest } = items[0];
		assert.equal(typeof deliveryKey, 'string');
		assert.deepEqual(rest, webhook.loadFixture('employee-update').json);
		assert.equal(await api.countExecutionsAfter(wf.id, 500), 1, 'still exactly one execution');
		assert.match(n8n.logText(), /Tartan Trigger refused a delivery: reason=signature_mismatch/);
		evidence.proven.push({ trigger: { signed: signed.status, wrongKey: wrong.status, unsigned: unsigned.status, executions: 1 } });
	});

	test(`Tartan Resend (${RESEND_CASE.operation}): Tartan receives exactly search_type + its fields, with the API key; the output is Tartan's answer`, async () => {
		const { execution, requests } = await runManual(
			'tartan-resend.json',
			{
				NAME: name('resend'),
				PARAMETERS: { operation: RESEND_CASE.operation, ...RESEND_CASE.parameters },
				TIMEZONE: RESEND_CASE.timezone ?? 'UTC',
				CRED_ID: creds.api.id,
				CRED_NAME: creds.api.name,
			},
			'resend',
		);
		assert.equal(execution.status, 'success', `${executionError(execution, RESEND)}\n${tail(n8n.logText(), 20)}`);
		assert.equal(execution.mode, 'manual');
		assert.equal(requests.length, 1);
		const [request] = requests;
		assert.equal(request.method, 'POST');
		assert.equal(request.path, '/api/webhooks/resend');
		assert.equal(request.headers.authorization, secrets.apiKey);
		assert.deepEqual(request.body, { search_type: RESEND_CASE.operation, ...RESEND_CASE.body });
		assert.equal(request.response.status, 200);
		assert.deepEqual(nodeOutput(execution, RESEND).map((item) => item.json), [RESEND_OK]);
		evidence.proven.push({ resend: { body: request.body, headers: maskHeaders(request.headers, secrets) } });
	});

	test('Tartan Sync Callback, JSON + Bearer: one application/json request per item, exactly the fields', async () => {
		const employees = [
			{ name: 'Zoë Fernandes', email: '  zoe@tartanhq.com ', employeeId: '14' },
			{ name: '山田 太郎', email: 'taro@tartanhq.com', employeeId: '15' },
		];
		const { execution, requests } = await runManual(
			'tartan-sync-callback-json.json',
			{ NAME: name('sync callback json'), EMPLOYEES_JS: JSON.stringify(employees), OPTIONS: {}, CRED_ID: creds.bearer.id, CRED_NAME: creds.bearer.name },
			'callback',
		);
		assert.equal(execution.status, 'success', `${executionError(execution, CALLBACK)}\n${tail(n8n.logText(), 20)}`);
		assert.equal(requests.length, 2);
		requests.forEach((request, i) => {
			assert.equal(request.path, '/api/external/sync/callback');
			assert.match(String(request.headers['content-type']), /^application\/json(;|$)/);
			assert.equal(request.headers.authorization, `Bearer ${secrets.bearerToken}`);
			assert.equal(request.headers.password, undefined);
			assert.deepEqual(request.body, {
				name: employees[i].name,
				email: employees[i].email.trim(),
				employeeId: employees[i].employeeId,
				department: 'Engineering',
			});
		});
		assert.deepEqual(nodeOutput(execution, CALLBACK).map((item) => item.json), [CALLBACK_OK, CALLBACK_OK]);
		evidence.proven.push({ syncCallbackJson: { requests: requests.length, body: requests[0].body } });
	});

	test('Tartan Sync Callback, multipart + username/password: fields and two files made by a Code node arrive byte for byte', async () => {
		const employee = { name: 'Zoë Fernandes', email: 'zoe@tartanhq.com', employeeId: '14' };
		const { execution, requests } = await runManual(
			'tartan-sync-callback-multipart.json',
			{
				NAME: name('sync callback multipart'),
				CSV_JS: JSON.stringify(CSV_TEXT),
				CSV_NAME_JS: JSON.stringify(CSV_NAME),
				EMPLOYEE_JS: JSON.stringify(employee),
				CRED_ID: creds.usernamePassword.id,
				CRED_NAME: creds.usernamePassword.name,
			},
			'callback',
		);
		assert.equal(execution.status, 'success', `${executionError(execution, CALLBACK)}\n${tail(n8n.logText(), 20)}`);
		assert.equal(requests.length, 1);
		const [request] = requests;
		assert.match(String(request.headers['content-type']), /^multipart\/form-data; boundary=\S+$/);
		assert.equal(request.headers.username, username);
		assert.equal(request.headers.password, secrets.password);
		assert.equal(request.headers.authorization, undefined);
		assert.deepEqual(request.parts.map(describePart), expectedMultipartParts(employee));
		assert.ok(request.parts[3].data.equals(Buffer.from(CSV_TEXT, 'utf8')), 'the CSV arrives byte for byte');
		assert.ok(request.parts[4].data.equals(ALL_BYTES), 'all 256 byte values arrive unchanged');
		assert.ok(request.rawBody.includes(Buffer.from(`filename="${CSV_NAME}"`, 'utf8')));
		assert.deepEqual(nodeOutput(execution, CALLBACK).map((item) => item.json), [CALLBACK_OK]);
		evidence.proven.push({ syncCallbackMultipart: { parts: request.parts.map(describePart) } });
	});

	test('no secret in the execution data read back, nor anywhere in the user folder (SQLite database, logs at debug level, ...)', async () => {
		// Execution data as n8n's API gives it (what a user sees in the editor)
		let executions = 0;
		for (const id of workflowIds) {
			for (const summary of await api.listExecutions({ workflowId: id })) {
				const text = JSON.stringify(await api.getExecution(summary.id));
				executions += 1;
				for (const [key, value] of Object.entries(secrets)) assert.ok(!text.includes(value), `execution ${summary.id} holds ${key}`);
			}
		}
		assert.ok(executions >= 4, `executions read back: ${executions}`);
		const scan = await stopAndScanForSecrets(n8n, secrets, { mustContain: [CALLBACK_OK.message, `compat ${runId}`] });
		assert.ok(scan.database.length > 0, `no SQLite database found among ${scan.files.join(', ')}`);
		assert.ok(scan.logs.length > 0, `no log file found among ${scan.files.join(', ')}`);
		assert.deepEqual(scan.missing, [], 'positive control: workflow names and execution data are found in the database in clear');
		assert.deepEqual(scan.hits, [], `secrets found in clear: ${JSON.stringify(scan.hits)}`);
		evidence.proven.push({ secrets: { executionsReadBack: executions, filesScanned: scan.files.length } });
	});
});

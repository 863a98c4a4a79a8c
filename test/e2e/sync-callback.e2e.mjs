// Tartan Sync Callback in a real n8n, against the local Tartan sandbox: JSON
// with a bearer token, multipart/form-data with username/password headers and
// files made by a previous node (byte for byte, non-ASCII file name), the
// Tartan Trigger's per-record output piped in as whole items, and no secret
// left in clear in n8n's database or logs.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { N8nApi, nodeOutput, nodesThatRan } from '../../scripts/lib/api.mjs';
import { writeEvidence } from './lib/evidence.mjs';
import { PACKAGE_ROOT, packageBuildState, startN8n, tail } from '../../scripts/lib/n8n.mjs';
import { maskHeaders, randomJwt, randomSecret, stopAndScanForSecrets } from './lib/secrets.mjs';
import { ALL_BYTES, CSV_NAME, CSV_TEXT, describePart, expectedMultipartParts, sha256 } from './lib/sync-callback-cases.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const workflows = path.join(here, 'workflows');
const build = packageBuildState();
const skip = build.built ? false : build.reason;

const NODE = 'Tartan Sync Callback';
const TRIGGER = 'Tartan Trigger';
const OK_ANSWER = { success: true, message: 'Sync successful' };
// See resend.e2e.mjs: n8n 2.8's public API wants the domain restriction mode
// for credential types with an `authenticate` block.
const HTTP_DOMAINS = { allowedHttpRequestDomains: 'all' };

function executionError(execution) {
	const error = execution?.data?.resultData?.error ?? execution?.data?.resultData?.runData?.[NODE]?.[0]?.error;
	return error ? `${error.message ?? ''} | ${error.description ?? ''}` : '';
}

/** The documented multipart encoding of a record (README: numbers/booleans as text, null empty, objects as JSON text). */
function formFieldsOf(record) {
	return Object.entries(record).map(([name, value]) => ({
		name,
		value: value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value),
	}));
}

describe('Tartan Sync Callback in a real n8n', { skip, timeout: 600_000 }, () => {
	const runId = randomSecret('run').slice(-8);
	const username = `e2e-user-${runId}`;
	const secrets = {
		bearerToken: randomJwt(),
		password: randomSecret('tartan-e2e-password'),
		appSecretKey: randomSecret('tartan-e2e-app-key'),
	};
	let sandbox;
	let webhook;
	let n8n;
	let api;
	const creds = {};
	let workflowCount = 0;

	before(async () => {
		const { startSandbox } = require(path.join(PACKAGE_ROOT, 'test', 'sandbox', 'server.js'));
		webhook = require(path.join(PACKAGE_ROOT, 'test', 'sandbox', 'webhook.js'));
		sandbox = await startSandbox({
			credentials: { bearerToken: secrets.bearerToken, username, password: secrets.password, appSecretKey: secrets.appSecretKey },
		});
		n8n = await startN8n({ env: { N8N_LOG_LEVEL: 'debug' } });
		api = new N8nApi(n8n.url);
		await api.bootstrap();
		creds.bearer = await api.createCredential({
			name: 'Tartan Bearer Token (sandbox, e2e)',
			type: 'tartanBearerApi',
			data: { environment: 'dev', baseUrl: sandbox.url, token: secrets.bearerToken, ...HTTP_DOMAINS },
		});
		creds.usernamePassword = await api.createCredential({
			name: 'Tartan Username & Password (sandbox, e2e)',
			type: 'tartanUsernamePasswordApi',
			data: { environment: 'dev', baseUrl: sandbox.url, username, password: secrets.password, ...HTTP_DOMAINS },
		});
		creds.signing = await api.createCredential({
			name: 'Tartan signing key (e2e)',
			type: 'tartanWebhookSigningApi',
			data: { appSecretKey: secrets.appSecretKey },
		});
	});

	after(async () => {
		await n8n?.stop();
		await sandbox?.close();
	});

	const name = (label) => `e2e sync callback ${runId} #${++workflowCount} ${label}`;

	/** Imports a workflow, runs it manually, and returns its execution and the callback requests recorded meanwhile. */
	async function runManual(file, vars) {
		const wf = await api.importWorkflow(path.join(workflows, file), vars);
		const seen = sandbox.requestsFor('callback').length;
		const started = await api.runManually(wf.id);
		assert.ok(started?.executionId, `manual run did not start: ${JSON.stringify(started)}`);
		const [execution, ...more] = await api.waitForExecutions(wf.id, 1, { timeoutMs: 60_000 });
		assert.equal(more.length, 0);
		return { wf, execution, requests: sandbox.requestsFor('callback').slice(seen) };
	}

	test('JSON + Bearer: each item arrives as application/json with Authorization: Bearer and exactly the fields', async () => {
		const employees = [
			{ name: 'Zoë Fernandes', email: '  zoe@tartanhq.com ', employeeId: '14' },
			{ name: '山田 太郎', email: 'taro@tartanhq.com', employeeId: '15' },
		];
		const { execution, requests } = await runManual('tartan-sync-callback-json.json', {
			NAME: name('json'),
			EMPLOYEES_JS: JSON.stringify(employees),
			OPTIONS: {},
			CRED_ID: creds.bearer.id,
			CRED_NAME: creds.bearer.name,
		});
		assert.equal(execution.status, 'success', `${executionError(execution)}\n${tail(n8n.logText(), 20)}`);
		assert.equal(requests.length, 2, 'one request per item');
		requests.forEach((request, i) => {
			assert.equal(request.method, 'POST');
			assert.equal(request.path, '/api/external/sync/callback');
			assert.match(String(request.headers['content-type']), /^application\/json(;|$)/);
			assert.equal(request.headers.authorization, `Bearer ${secrets.bearerToken}`);
			assert.equal(request.headers.username, undefined, 'no username header');
			assert.equal(request.headers.password, undefined, 'no password header');
			assert.deepEqual(request.body, {
				name: employees[i].name,
				email: employees[i].email.trim(),
				employeeId: employees[i].employeeId,
				department: 'Engineering',
			});
			assert.equal(request.parts, null);
			assert.equal(request.response.status, 200, JSON.stringify(request.response.body));
		});
		assert.deepEqual(
			nodeOutput(execution, NODE).map((item) => item.json),
			requests.map((r) => r.response.body),
		);
		assert.deepEqual(requests[0].response.body, OK_ANSWER);
		writeEvidence('sync-callback-json-request', {
			method: requests[0].method,
			path: requests[0].path,
			headers: maskHeaders(requests[0].headers, secrets),
			rawBody: requests[0].rawBody.toString('utf8'),
			response: requests[0].response,
		});
	});

	test('JSON + Bearer: an expression giving a number keeps its JSON type in an Additional Field', async () => {
		const { execution, requests } = await runManual('tartan-sync-callback-json.json', {
			NAME: name('json number'),
			EMPLOYEES_JS: JSON.stringify([{ name: 'Aarav Shah', email: 'aarav@tartanhq.com', employeeId: 6 }]),
			OPTIONS: {},
			CRED_ID: creds.bearer.id,
			CRED_NAME: creds.bearer.name,
		});
		assert.equal(execution.status, 'success', executionError(execution));
		assert.equal(requests.length, 1);
		// What n8n hands the node for a string parameter whose expression gives a number.
		assert.deepEqual(requests[0].body, { name: 'Aarav Shah', email: 'aarav@tartanhq.com', employeeId: 6, department: 'Engineering' });
	});

	test('an item with an invalid email fails the execution naming the field and item; nothing is sent for it', async () => {
		const { execution, requests } = await runManual('tartan-sync-callback-json.json', {
			NAME: name('invalid email'),
			EMPLOYEES_JS: JSON.stringify([{ name: 'No Mail', email: 'not-an-email', employeeId: '1' }]),
			OPTIONS: {},
			CRED_ID: creds.bearer.id,
			CRED_NAME: creds.bearer.name,
		});
		assert.equal(execution.status, 'error');
		assert.match(executionError(execution), /"email" must be an email address.* in item 1/);
		assert.equal(requests.length, 0);
	});

	test('Concurrency 3: six items, three requests in flight at once, the output in input order', async () => {
		const employees = Array.from({ length: 6 }, (_, i) => ({ name: `Employee ${i + 1}`, email: `e${i + 1}@tartanhq.com`, employeeId: `${i + 1}` }));
		const latency = 800;
		sandbox.setLatency('callback', latency);
		let run;
		try {
			run = await runManual('tartan-sync-callback-json.json', {
				NAME: name('concurrency 3'),
				EMPLOYEES_JS: JSON.stringify(employees),
				OPTIONS: { concurrency: 3 },
				CRED_ID: creds.bearer.id,
				CRED_NAME: creds.bearer.name,
			});
		} finally {
			sandbox.setLatency('callback', 0);
		}
		const { execution, requests } = run;
		assert.equal(execution.status, 'success', executionError(execution));
		assert.equal(requests.length, 6);
		assert.deepEqual(
			requests.map((r) => r.body.employeeId).sort(),
			employees.map((e) => e.employeeId),
		);
		const firstThree = requests.slice(0, 3).map((r) => r.receivedAt.getTime());
		assert.ok(
			Math.max(...firstThree) - Math.min(...firstThree) < latency,
			`three requests started before the first answer (arrivals ${firstThree.map((t) => t - firstThree[0]).join(', ')} ms)`,
		);
		const output = nodeOutput(execution, NODE);
		assert.equal(output.length, 6);
		const paired = (item) => (Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem)?.item;
		assert.deepEqual(output.map(paired), [0, 1, 2, 3, 4, 5]);
	});

	test('multipart + username/password: fields and two files made by a Code node arrive byte for byte; no Authorization', async () => {
		const employee = { name: 'Zoë Fernandes', email: 'zoe@tartanhq.com', employeeId: '14' };
		const { execution, requests } = await runManual('tartan-sync-callback-multipart.json', {
			NAME: name('multipart'),
			CSV_JS: JSON.stringify(CSV_TEXT),
			CSV_NAME_JS: JSON.stringify(CSV_NAME),
			EMPLOYEE_JS: JSON.stringify(employee),
			CRED_ID: creds.usernamePassword.id,
			CRED_NAME: creds.usernamePassword.name,
		});
		assert.equal(execution.status, 'success', `${executionError(execution)}\n${tail(n8n.logText(), 20)}`);
		// The Code node's binary really went through n8n (file name and type as the node saw them)
		const made = nodeOutput(execution, 'Employee with files')[0].binary;
		assert.equal(made.csv.fileName, CSV_NAME);
		assert.equal(made.csv.mimeType, 'text/csv');

		assert.equal(requests.length, 1);
		const [request] = requests;
		const type = String(request.headers['content-type']);
		assert.match(type, /^multipart\/form-data; boundary=\S+$/);
		assert.equal(request.headers.username, username);
		assert.equal(request.headers.password, secrets.password);
		assert.equal(request.headers.authorization, undefined, 'no Authorization header');
		assert.equal(request.response.status, 200, JSON.stringify(request.response.body));

		const csvBytes = Buffer.from(CSV_TEXT, 'utf8');
		assert.deepEqual(request.parts.map(describePart), expectedMultipartParts(employee));
		assert.ok(request.parts[3].data.equals(csvBytes), 'the CSV arrives byte for byte (BOM, CRLF, UTF-8)');
		assert.ok(request.parts[4].data.equals(ALL_BYTES), 'all 256 byte values arrive unchanged');
		// The file name travels as raw UTF-8 in Content-Disposition (RFC 7578), not percent- or RFC 2231-encoded
		assert.ok(request.rawBody.includes(Buffer.from(`filename="${CSV_NAME}"`, 'utf8')));
		assert.equal(request.rawBody.length, Number(request.headers['content-length']));
		assert.deepEqual(nodeOutput(execution, NODE).map((item) => item.json), [OK_ANSWER]);

		writeEvidence('sync-callback-multipart-request', {
			method: request.method,
			path: request.path,
			headers: maskHeaders(request.headers, secrets),
			parts: request.parts.map((part) =>
				'data' in part
					? {
							...describePart(part),
							...(part.mimeType === 'text/csv' ? { text: part.data.toString('utf8') } : { base64: part.data.toString('base64') }),
						}
					: describePart(part),
			),
			rawBodyBytes: request.rawBody.length,
			response: request.response,
		});
	});

	// n8n 2.8 routes an item to the error output when it carries `item.error`
	// (nodes/shared/itemErrors.ts failedItem() sets it).
	test('"Continue (using error output)": an invalid item and one Tartan refuses (400) go to the error output; the rest are sent', async () => {
		const employees = [
			{ name: 'Aarav Shah', email: 'aarav@tartanhq.com', employeeId: '6' },
			{ name: 'No Mail', email: 'not-an-email', employeeId: '7' },
			{ name: 'Refused', email: 'refused@tartanhq.com', employeeId: '8' },
			{ name: 'Meet Semlani', email: 'meet@tartanhq.com', employeeId: '9' },
		];
		// The second request to reach the sandbox (item 3) is refused
		sandbox.script('callback', [{ delayMs: 0 }, { status: 400, body: { success: false, message: 'employeeId 8 is locked' } }]);
		const { execution, requests } = await runManual('tartan-sync-callback-error-output.json', {
			NAME: name('error output'),
			EMPLOYEES_JS: JSON.stringify(employees),
			OPTIONS: {},
			CRED_ID: creds.bearer.id,
			CRED_NAME: creds.bearer.name,
		});
		assert.equal(execution.status, 'success', executionError(execution));
		assert.deepEqual(requests.map((r) => r.body.employeeId), ['6', '8', '9'], 'the invalid item is not sent');
		const paired = (item) => (Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem)?.item;
		const ok = nodeOutput(execution, NODE, { output: 0 });
		const failed = nodeOutput(execution, NODE, { output: 1 });
		assert.deepEqual(ok.map((item) => item.json), [OK_ANSWER, OK_ANSWER]);
		assert.deepEqual(ok.map(paired), [0, 3]);
		assert.deepEqual(failed.map(paired), [1, 2]);
		assert.match(failed[0].json.error, /"email" must be an email address.* in item 2/);
		assert.match(failed[1].json.error, /Tartan rejected item 3 as invalid \(400\): employeeId 8 is locked/);
		assert.equal(nodeOutput(execution, 'Synced').length, 2);
		assert.equal(nodeOutput(execution, 'Not Synced').length, 2);
	});

	/** Creates and activates Tartan Trigger (per record) -> Sync Callback (whole item); returns its id and webhook URL. */
	async function deployTriggerToCallback(authentication) {
		const webhookId = randomUUID();
		const cred = authentication === 'bearerToken' ? creds.bearer : creds.usernamePassword;
		const type = authentication === 'bearerToken' ? 'tartanBearerApi' : 'tartanUsernamePasswordApi';
		const wf = await api.importWorkflow(path.join(workflows, 'tartan-trigger-to-sync-callback.json'), {
			NAME: name(`trigger -> ${authentication}`),
			WEBHOOK_ID: webhookId,
			SIGNING_CRED_ID: creds.signing.id,
			SIGNING_CRED_NAME: creds.signing.name,
			AUTHENTICATION: authentication,
			CALLBACK_CREDENTIALS: { [type]: { id: cred.id, name: cred.name } },
		});
		await api.activateWorkflow(wf.id);
		await n8n.waitForWebhook(`${webhookId}/webhook`);
		return { id: wf.id, url: `${n8n.url}/webhook/${webhookId}/webhook` };
	}

	test("Tartan Trigger (one item per record) -> Sync Callback (whole input item, JSON): one request per record, each the trigger's item", async () => {
		const wf = await deployTriggerToCallback('bearerToken');
		const fixture = webhook.loadFixture('employee-add-initial');
		const seen = sandbox.requestsFor('callback').length;
		const res = await webhook.sendSignedWebhook(wf.url, { fixture: 'employee-add-initial', appSecretKey: secrets.appSecretKey });
		assert.equal(res.status, 200, res.body);
		const [execution] = await api.waitForExecutions(wf.id, 1, { timeoutMs: 60_000 });
		assert.equal(execution.status, 'success', executionError(execution));
		assert.deepEqual(nodesThatRan(execution).sort(), [NODE, TRIGGER].sort());
		const items = nodeOutput(execution, TRIGGER).map((item) => item.json);
		assert.equal(items.length, fixture.json.body.length);
		const requests = sandbox.requestsFor('callback').slice(seen);
		assert.equal(requests.length, items.length, 'one request per record');
		requests.forEach((request, i) => {
			assert.equal(request.headers.authorization, `Bearer ${secrets.bearerToken}`);
			assert.match(String(request.headers['content-type']), /^application\/json/);
			assert.deepEqual(request.body, items[i], `request ${i + 1} is record ${i + 1} as the trigger output it`);
			const { webhook: envelope, deliveryKey: _key, ...record } = request.body;
			assert.deepEqual(record, fixture.json.body[i]);
			assert.equal(envelope.syncSessionId, fixture.json.syncSessionId);
			assert.equal(request.response.status, 200);
		});
		assert.deepEqual(
			nodeOutput(execution, NODE).map((item) => item.json),
			requests.map((r) => r.response.body),
		);
	});

	test('Tartan Trigger (one item per record) -> Sync Callback (whole input item, multipart): nested objects arrive as JSON text', async () => {
		const wf = await deployTriggerToCallback('usernamePassword');
		const seen = sandbox.requestsFor('callback').length;
		const res = await webhook.sendSignedWebhook(wf.url, { fixture: 'employee-update', appSecretKey: secrets.appSecretKey });
		assert.equal(res.status, 200, res.body);
		const [execution] = await api.waitForExecutions(wf.id, 1, { timeoutMs: 60_000 });
		assert.equal(execution.status, 'success', executionError(execution));
		const items = nodeOutput(execution, TRIGGER).map((item) => item.json);
		assert.equal(items.length, 1);
		const requests = sandbox.requestsFor('callback').slice(seen);
		assert.equal(requests.length, 1);
		const [request] = requests;
		assert.equal(request.headers.username, username);
		assert.equal(request.headers.password, secrets.password);
		assert.equal(request.headers.authorization, undefined);
		assert.deepEqual(request.parts, formFieldsOf(items[0]));
		assert.equal(JSON.parse(request.parts.find((p) => p.name === 'bankDetails').value).bankName, 'SBI');
		assert.equal(request.parts.find((p) => p.name === 'name').value, 'Zoë Fernandes');
		assert.equal(request.response.status, 200, JSON.stringify(request.response.body));
	});

	test('no bearer token, password or app key in clear anywhere in the n8n user folder (SQLite database, logs, ...) after the run', async () => {
		const scan = await stopAndScanForSecrets(n8n, secrets, { mustContain: [OK_ANSWER.message, `e2e sync callback ${runId}`] });
		assert.ok(scan.database.length > 0, `no SQLite database found among ${scan.files.join(', ')}`);
		assert.ok(scan.logs.length > 0, `no log file found among ${scan.files.join(', ')}`);
		assert.deepEqual(scan.missing, [], 'positive control: workflow names and execution data are found in the database in clear');
		assert.deepEqual(scan.hits, [], `secrets found in clear: ${JSON.stringify(scan.hits)}`);
	});
});

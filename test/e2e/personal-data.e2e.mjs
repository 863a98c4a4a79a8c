// Employee data in a real n8n (issue 19): signed deliveries whose records carry
// realistic synthetic values (Verhoeff-valid Aadhaar numbers, PANs, UANs,
// bank accounts, mobiles, personal emails…) through the Tartan Trigger with
// its default policy. Afterwards no raw value is anywhere n8n keeps data: the
// SQLite database, n8n's log and event log, the executions read through the
// API, the execution view in the browser, and (queue mode) a PostgreSQL dump.
// The same deliveries with Personal Data: Off are found (the control that
// shows each scan can fail). Pseudonyms: equal across deliveries and
// spellings, different under another key, and an IF node routes on them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { N8nApi, OWNER, nodeOutput } from '../../scripts/lib/api.mjs';
import { PACKAGE_ROOT, packageBuildState, startN8n } from '../../scripts/lib/n8n.mjs';
import { startQueueStack } from '../../scripts/lib/queue.mjs';
import { CHROMIUM, launchChromium } from './lib/browser-chromium.mjs';
import { expectedAadhaarToken, makePeople, needlesOf, send, signedDelivery, spacedAadhaar } from './lib/employee-values.mjs';
import { scanForSecrets } from './lib/secrets.mjs';

const build = packageBuildState();
const skip = build.built ? false : build.reason;
const SCREENSHOTS = path.join(PACKAGE_ROOT, 'docs', 'screenshots');
const RESULTS = path.join(PACKAGE_ROOT, 'test-results', 'personal-data');
const TRIGGER = 'Tartan Trigger';

const APP_KEY = `pd-app-${randomBytes(18).toString('base64url')}`;
const KEY_1 = randomBytes(32).toString('base64');
const KEY_2 = randomBytes(32).toString('base64');

// Twelve people; delivery 1 has people 0-9, delivery 2 people 2-11 with person 3's
// Aadhaar spaced and PAN in lower case (another spelling of the same values).
const people = makePeople(12);
const needles = needlesOf(people);
const X = 3;
function deliveries(session) {
	const second = people.slice(2, 12).map(({ record }, i) =>
		i + 2 === X ? { ...record, aadhar: spacedAadhaar(record.aadhar), pan: record.pan.toLowerCase() } : record,
	);
	needles[`aadharSpaced#${X}`] = spacedAadhaar(people[X].sensitive.aadhar);
	return [
		signedDelivery(people.slice(0, 10).map((p) => p.record), APP_KEY, { session, counter: 1 }),
		signedDelivery(second, APP_KEY, { session, counter: 2 }),
	];
}

/** Names of needles found in a text (never their values: a failure must not print them). */
const foundIn = (text) => Object.entries(needles).filter(([, value]) => text.includes(value)).map(([name]) => name);

function triggerWorkflow({ name, packageName, webhookId, signing, pseudonymKey, parameters = {}, routeOn }) {
	const credentials = { tartanWebhookSigningApi: { id: signing.id, name: signing.name } };
	if (pseudonymKey) credentials.tartanPseudonymKeyApi = { id: pseudonymKey.id, name: pseudonymKey.name };
	const nodes = [
		{
			id: randomUUID(),
			name: TRIGGER,
			type: `${packageName}.tartanTrigger`,
			typeVersion: 1,
			position: [0, 0],
			webhookId,
			parameters: { events: ['*'], output: 'perRecord', respond: 'whenFinished', ...parameters },
			credentials,
		},
	];
	const connections = {};
	if (routeOn) {
		// n8n's IF node keyed on the pseudonym: person X one way, everyone else the other
		nodes.push(
			{
				id: randomUUID(),
				name: 'Is Person X',
				type: 'n8n-nodes-base.if',
				typeVersion: 2.2,
				position: [240, 0],
				parameters: {
					conditions: {
						options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
						conditions: [{ id: randomUUID(), leftValue: '={{ $json.aadhar }}', rightValue: routeOn, operator: { type: 'string', operation: 'equals' } }],
						combinator: 'and',
					},
					options: {},
				},
			},
			{ id: randomUUID(), name: 'Person X', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [480, -100], parameters: {} },
			{ id: randomUUID(), name: 'Others', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [480, 100], parameters: {} },
		);
		connections[TRIGGER] = { main: [[{ node: 'Is Person X', type: 'main', index: 0 }]] };
		connections['Is Person X'] = { main: [[{ node: 'Person X', type: 'main', index: 0 }], [{ node: 'Others', type: 'main', index: 0 }]] };
	} else {
		nodes.push({ id: randomUUID(), name: 'Received', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [240, 0], parameters: {} });
		connections[TRIGGER] = { main: [[{ node: 'Received', type: 'main', index: 0 }]] };
	}
	return { name, nodes, connections, settings: { executionOrder: 'v1' } };
}

async function setUp(api, label) {
	const signing = await api.createCredential({ name: `Tartan signing (${label})`, type: 'tartanWebhookSigningApi', data: { appSecretKey: APP_KEY, previousAppSecretKey: '' } });
	const key1 = await api.createCredential({ name: `Pseudonym key 1 (${label})`, type: 'tartanPseudonymKeyApi', data: { secret: KEY_1 } });
	const key2 = await api.createCredential({ name: `Pseudonym key 2 (${label})`, type: 'tartanPseudonymKeyApi', data: { secret: KEY_2 } });
	return { signing, key1, key2 };
}

async function deploy(api, instance, { baseUrl, waitFor, ...spec }) {
	const webhookId = randomUUID();
	const wf = await api.importWorkflow(triggerWorkflow({ ...spec, webhookId, packageName: instance.packageName ?? 'n8n-nodes-tartan' }));
	await api.activateWorkflow(wf.id);
	await waitFor(`${webhookId}/webhook`, { timeoutMs: 60_000 });
	return { id: wf.id, url: `${baseUrl}/webhook/${webhookId}/webhook` };
}

async function sendAll(url, list) {
	for (const delivery of list) {
		const res = await send(url, delivery);
		assert.equal(res.status, 200, `delivery answered ${res.status}`);
	}
}

/** Finished executions with data, once `count` are there. */
async function executionsOf(api, workflowId, count) {
	const deadline = Date.now() + 90_000;
	for (;;) {
		const list = await api.listExecutions({ workflowId, includeData: true });
		if (list.filter((e) => e.status === 'success').length >= count || Date.now() > deadline) return list;
		await sleep(500);
	}
}

describe('Employee data in a real n8n: the Tartan Trigger\'s policy', { skip, timeout: 900_000 }, () => {
	let n8n;
	let api;
	let creds;
	const wf = {};
	const figures = {};

	before(async () => {
		n8n = await startN8n({ env: { N8N_LOG_LEVEL: 'debug' } });
		api = new N8nApi(n8n.url);
		await api.bootstrap();
		creds = await setUp(api, 'single');
		const common = { baseUrl: n8n.url, waitFor: (p, o) => n8n.waitForWebhook(p, o), signing: creds.signing };
		wf.preset = await deploy(api, n8n, { ...common, name: 'pd preset' });
		const token1 = expectedAadhaarToken(KEY_1, people[X].sensitive.aadhar);
		const pseudonymise = { fieldRules: { rules: [{ path: 'aadhar', action: 'pseudonymise' }] } };
		wf.key1 = await deploy(api, n8n, { ...common, name: 'pd key 1', pseudonymKey: creds.key1, parameters: pseudonymise, routeOn: token1 });
		wf.key2 = await deploy(api, n8n, { ...common, name: 'pd key 2', pseudonymKey: creds.key2, parameters: pseudonymise });
		for (const [name, w] of Object.entries({ preset: wf.preset, key1: wf.key1, key2: wf.key2 })) await sendAll(w.url, deliveries(`pd-${name}`));
	});

	after(async () => {
		await n8n?.stop();
		fs.mkdirSync(RESULTS, { recursive: true });
		fs.writeFileSync(path.join(RESULTS, 'figures.json'), JSON.stringify(figures, null, 2));
	});

	test('the executions read back through the API hold no raw value; the masked forms are there', async () => {
		const all = [];
		for (const w of [wf.preset, wf.key1, wf.key2]) {
			const list = await executionsOf(api, w.id, 2);
			assert.equal(list.filter((e) => e.status === 'success').length, 2);
			all.push(...list);
		}
		const text = JSON.stringify(all);
		assert.deepEqual(foundIn(text), [], 'raw values in the executions');
		const aadhaar0 = people[0].sensitive.aadhar;
		assert.ok(text.includes(`xxxx-xxxx-${aadhaar0.slice(-4)}`), 'the masked Aadhaar is in the executions');
		const item = nodeOutput(all.find((e) => e.workflowId === wf.preset.id), TRIGGER)[0].json;
		assert.deepEqual(Object.keys(item.personalData).sort(), ['detected', 'dropped', 'masked', 'policy', 'pseudonymised']);
		assert.ok(item.personalData.detected.includes('remarks'));
		figures.apiExecutions = all.length;
	});

	test('pseudonyms: one person, one token across deliveries and spellings; another key, another token; IF routes on it', async () => {
		const tokenOf = (execution, node = TRIGGER) => nodeOutput(execution, node).find((i) => i.json.employeeId === people[X].record.employeeId)?.json.aadhar;
		const [a, b] = await executionsOf(api, wf.key1.id, 2);
		const [c, d] = await executionsOf(api, wf.key2.id, 2);
		const t1 = expectedAadhaarToken(KEY_1, people[X].sensitive.aadhar);
		assert.equal(tokenOf(a), t1);
		assert.equal(tokenOf(b), t1, 'the spaced spelling in delivery 2 gives the same token');
		const t2 = expectedAadhaarToken(KEY_2, people[X].sensitive.aadhar);
		assert.notEqual(t2, t1);
		assert.equal(tokenOf(c), t2);
		assert.equal(tokenOf(d), t2);
		for (const execution of [a, b]) {
			const routed = nodeOutput(execution, 'Person X').map((i) => i.json.employeeId);
			assert.deepEqual(routed, [people[X].record.employeeId]);
			assert.equal(nodeOutput(execution, 'Others').length, 9);
		}
	});

	test('the execution view in the browser shows no raw value (screenshot)', { skip: fs.existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing` }, async () => {
		const [execution] = await executionsOf(api, wf.preset.id, 2);
		const playwright = await import('playwright-core');
		playwright.selectors.setTestIdAttribute('data-test-id');
		const browser = await launchChromium({ playwright });
		try {
			const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', timezoneId: 'UTC' })).newPage();
			await page.goto(`${n8n.url}/signin`);
			await page.getByTestId('emailOrLdapLoginId').locator('input').fill(OWNER.email);
			await page.getByTestId('password').locator('input').fill(OWNER.password);
			await page.getByTestId('form-submit-button').click();
			await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
			await page.goto(`${n8n.url}/workflow/${wf.preset.id}/executions/${execution.id}`);
			const frame = page.frameLocator('[data-test-id="workflow-preview-iframe"]');
			await frame.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 30_000 });
			await frame.locator('[data-test-id="canvas-node"]').filter({ hasText: TRIGGER }).first().dblclick();
			await frame.getByText('personalData').first().waitFor({ timeout: 20_000 }).catch(() => {});
			// The JSON view shows every field of the item
			await frame.getByText('JSON', { exact: true }).first().click().catch(() => {});
			await sleep(1000);
			const text = await frame.locator('body').innerText();
			fs.mkdirSync(RESULTS, { recursive: true });
			await page.screenshot({ path: path.join(RESULTS, 'tartan-trigger-personal-data-execution.png') });
			if (process.env.UPDATE_SCREENSHOTS === '1') fs.copyFileSync(path.join(RESULTS, 'tartan-trigger-personal-data-execution.png'), path.join(SCREENSHOTS, 'tartan-trigger-personal-data-execution.png'));
			assert.ok(text.includes('xxxx-xxxx-'), 'the execution view shows the trigger\'s output (a masked Aadhaar)');
			assert.deepEqual(foundIn(text), [], 'raw values in the execution view');
			figures.browserTextChars = text.length;
		} finally {
			await browser.close();
		}
	});

	test('the SQLite database, n8n\'s log and event log hold no raw value; with Personal Data: Off the same deliveries are found', async () => {
		// Running n8n: SQLite's files (database and -wal) and the logs as they are now
		const protectedScan = scanForSecrets(n8n.userFolder, needles);
		assert.deepEqual(protectedScan.hits.map((h) => `${h.secret} in ${h.file}`), [], 'raw values in n8n\'s folder');
		const db = protectedScan.files.filter((f) => /database\.sqlite/.test(f));
		assert.ok(db.length > 0, 'the database was scanned');
		assert.ok(protectedScan.files.some((f) => /n8nEventLog/.test(f)), 'the event log was scanned');
		assert.ok(protectedScan.contains(`xxxx-xxxx-${people[0].sensitive.aadhar.slice(-4)}`).some((f) => /database\.sqlite/.test(f)), 'positive: the protected records are in the database');
		figures.protectedScan = { files: protectedScan.files.length, hits: protectedScan.hits.length };

		// The control: protection off, the same deliveries; n8n stopped so everything is on disk
		const common = { baseUrl: n8n.url, waitFor: (p, o) => n8n.waitForWebhook(p, o), signing: creds.signing };
		const off = await deploy(api, n8n, { ...common, name: 'pd off', parameters: { personalData: 'off' } });
		await sendAll(off.url, deliveries('pd-off'));
		const list = await executionsOf(api, off.id, 2);
		const inApi = foundIn(JSON.stringify(list));
		await n8n.stop({ keepFolder: true, quiet: true });
		try {
			const controlScan = scanForSecrets(n8n.userFolder, needles);
			const inDb = new Set(controlScan.hits.filter((h) => /database\.sqlite/.test(h.file)).map((h) => h.secret));
			figures.control = { apiFound: inApi.length, databaseFound: inDb.size, needles: Object.keys(needles).length };
			for (const name of ['aadhar#0', 'pan#0', 'uan#0', 'mobileNumber#0', 'accountNumber#0', 'personalEmail#0', 'dob#0', 'fatherName#0']) {
				assert.ok(inApi.includes(name), `control: ${name} found in the API executions`);
				assert.ok(inDb.has(name), `control: ${name} found in the database`);
			}
		} finally {
			if (process.env.N8N_E2E_KEEP !== '1') fs.rmSync(n8n.userFolder, { recursive: true, force: true });
		}
	});
});

function postgresAvailable() {
	try {
		execFileSync('sh', ['-c', 'command -v pg_ctl || ls /usr/lib/postgresql/*/bin/pg_ctl'], { stdio: 'ignore' });
		execFileSync('sh', ['-c', 'command -v redis-server'], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

describe('Employee data in queue mode: the PostgreSQL dump', { skip: skip || (postgresAvailable() ? false : 'PostgreSQL or Redis is not installed'), timeout: 900_000 }, () => {
	let stack;
	let api;
	let creds;

	before(async () => {
		stack = await startQueueStack({ workers: 1, env: { N8N_LOG_LEVEL: 'debug' }, log: (m) => process.stderr.write(`[queue] ${m}\n`) });
		api = new N8nApi(stack.main.url);
		await api.bootstrap();
		creds = await setUp(api, 'queue');
	});

	after(async () => {
		await stack?.stop();
	});

	test('no raw value in the dump or any process\'s folder after protected deliveries; the same deliveries with Off are in the next dump', async () => {
		const common = { baseUrl: stack.webhook.publicUrl, waitFor: (p, o) => stack.webhook.waitForWebhook(p, o), signing: creds.signing };
		const preset = await deploy(api, stack.main, { ...common, name: 'pd queue preset' });
		await sendAll(preset.url, deliveries('pdq-preset'));
		const list = await executionsOf(api, preset.id, 2);
		assert.equal(list.filter((e) => e.status === 'success').length, 2);
		const dump = stack.postgres.dump();
		assert.deepEqual(foundIn(dump), [], 'raw values in the PostgreSQL dump');
		assert.ok(dump.includes(`xxxx-xxxx-${people[0].sensitive.aadhar.slice(-4)}`), 'positive: the protected records are in the dump');
		for (const p of [stack.main, stack.webhook, ...stack.workers]) {
			const scan = scanForSecrets(p.userFolder, needles);
			assert.deepEqual(scan.hits.map((h) => `${h.secret} in ${p.name}/${h.file}`), []);
		}

		const off = await deploy(api, stack.main, { ...common, name: 'pd queue off', parameters: { personalData: 'off' } });
		await sendAll(off.url, deliveries('pdq-off'));
		await executionsOf(api, off.id, 2);
		const control = foundIn(stack.postgres.dump());
		for (const name of ['aadhar#0', 'pan#0', 'accountNumber#0', 'personalEmail#0']) assert.ok(control.includes(name), `control: ${name} found in the dump`);
	});
});

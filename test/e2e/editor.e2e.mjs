// The three Tartan nodes and the example workflows (docs/workflows) in n8n's
// real editor, driven in headless Chromium (Debian's package, through
// playwright-core): node creator and icons (light and dark theme), each node's
// panel, and the example workflows opened and run from the Execute button
// against the local Tartan sandbox.
//
// Screenshots of every run go to test-results/editor/ (EDITOR_E2E_RESULTS to
// change); UPDATE_SCREENSHOTS=1 also writes the ones worth committing to
// docs/screenshots/.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { N8nApi, OWNER, nodeOutput } from '../../scripts/lib/api.mjs';
import { CHROMIUM, ensureChromium, launchChromium } from './lib/browser-chromium.mjs';
import { EditorPage, htmlText, squash, waitFor } from './lib/editor-page.mjs';
import { PACKAGE_ROOT, packageBuildState, startN8n } from '../../scripts/lib/n8n.mjs';
import { TEMPLATES, readTemplate, withHrSystemAt } from '../../scripts/lib/templates.mjs';

const require = createRequire(import.meta.url);

const DOCS_SCREENSHOTS = path.join(PACKAGE_ROOT, 'docs', 'screenshots');
const RESULTS = process.env.EDITOR_E2E_RESULTS || path.join(PACKAGE_ROOT, 'test-results', 'editor');
const UPDATE_SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1';
const SANDBOX_SERVER = path.join(PACKAGE_ROOT, 'test', 'sandbox', 'server.js');
/** Each node's own icon file (dist/icons/<base>.svg, <base>.dark.svg), by the name the node panel lists. */
const NODE_ICONS = { 'Tartan Trigger': 'tartan-trigger', 'Tartan Resend': 'tartan-resend', 'Tartan Sync Callback': 'tartan-sync-callback' };
const iconFile = (row, theme) => `${NODE_ICONS[row]}${theme === 'dark' ? '.dark' : ''}.svg`;

/** README "Tartan Resend" table: operation name -> its fields (labels), in the table's order. */
const RESEND_OPERATIONS = [
	['By Sync Session', ['Sync Session ID']],
	['By Sync Session and Webhook Counters', ['Sync Session ID', 'Webhook Counters']],
	['By Sync Session and Status', ['Sync Session ID', 'Status']],
	['By Sync Session, Webhook Counters and Status', ['Sync Session ID', 'Webhook Counters', 'Status']],
	['By Time Range', ['From', 'To']],
	['By Time Range and Status', ['From', 'To', 'Status']],
	['By Time Range and Organisation', ['From', 'To', 'Client Org ID']],
	['By Time Range, Status and Organisation', ['From', 'To', 'Status', 'Client Org ID']],
	['By Organisation', ['Client Org ID']],
	['By Request ID', ['Request ID']],
];
/** Field label -> parameter name (the node's UI field names). */
const RESEND_FIELDS = {
	'Sync Session ID': 'syncSessionId',
	'Webhook Counters': 'webhookCounter',
	Status: 'status',
	From: 'requestTimestamp',
	To: 'endRequestTimestamp',
	'Client Org ID': 'clientOrgId',
	'Request ID': 'requestId',
};
/** n8n adds this option to any `resource`/`operation` parameter of a node whose credential has `authenticate`. */
const N8N_CUSTOM_API_CALL = 'Custom API Call';

function canInstallChromium() {
	if (fs.existsSync(CHROMIUM)) return true;
	if (process.getuid?.() === 0) return true;
	try {
		execFileSync('sudo', ['-n', 'true'], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

function playwrightAvailable() {
	try {
		require.resolve('playwright-core');
		return true;
	} catch {
		return false;
	}
}

const build = packageBuildState();
const skip = !build.built
	? build.reason
	: !fs.existsSync(SANDBOX_SERVER)
		? 'test/sandbox/server.js is not there'
		: !playwrightAvailable()
			? 'playwright-core is not installed (npm ci)'
			: !canInstallChromium()
				? `${CHROMIUM} is missing and apt-get needs root: install Debian's chromium, or set CHROMIUM_PATH`
				: false;

/** A template with each node's credential reference filled in by credential type. */
function withCredentials(template, credentialsByType) {
	const workflow = structuredClone(template);
	for (const node of workflow.nodes) {
		for (const type of Object.keys(node.credentials ?? {})) {
			const credential = credentialsByType[type];
			assert.ok(credential, `template node "${node.name}" references credential type ${type}, which the test did not create`);
			node.credentials[type] = { id: credential.id, name: credential.name };
		}
	}
	return workflow;
}

/** The template, saving its successful runs too (it ships saving none), so that the test can read them back. */
const forTesting = (template) => ({ ...template, settings: { ...template.settings, saveDataSuccessExecution: 'all' } });

describe('Tartan nodes in the n8n editor (headless Chromium)', { skip, timeout: 900_000 }, () => {
	let sandbox;
	let n8n;
	let api;
	let browser;
	let context;
	let editor;
	let nodeTypes;
	/** credential type -> created credential { id, name, type } */
	const credentials = {};
	/** template key -> imported workflow id */
	const workflows = {};
	const consoleErrors = [];

	const nodeType = (name) => {
		const type = nodeTypes.find((t) => t.name === `${n8n.packageName}.${name}`);
		assert.ok(type, `n8n did not load ${n8n.packageName}.${name}`);
		return type;
	};
	const property = (node, name) => nodeType(node).properties.find((p) => p.name === name);

	/** Runs a test body; on failure saves a screenshot named after the test first. */
	const step = (name, body) => async (t) => {
		try {
			await body(t);
		} catch (error) {
			if (editor) {
				await editor.screenshot(`FAILED-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => {});
			}
			throw error;
		}
	};

	before(async () => {
		const started = Date.now();
		// Screenshots of this run only
		fs.mkdirSync(RESULTS, { recursive: true });
		for (const file of fs.readdirSync(RESULTS)) if (file.endsWith('.png')) fs.rmSync(path.join(RESULTS, file));
		await ensureChromium();
		const { startSandbox, SANDBOX_CREDENTIALS } = require(SANDBOX_SERVER);
		sandbox = await startSandbox();
		n8n = await startN8n();
		api = new N8nApi(n8n.url);
		await api.bootstrap();
		nodeTypes = await api.nodeTypes();

		// n8n 2.8's public API schema requires the domain-restriction field it adds to
		// credentials with `authenticate` (allowedHttpRequestDomains) to be given.
		const api3 = { baseUrl: sandbox.url, allowedHttpRequestDomains: 'all' };
		for (const [type, name, data] of [
			['tartanApi', 'Tartan API (sandbox)', { ...api3, apiKey: SANDBOX_CREDENTIALS.apiKey }],
			['tartanBearerApi', 'Tartan Bearer Token (sandbox)', { ...api3, token: SANDBOX_CREDENTIALS.bearerToken }],
			[
				'tartanUsernamePasswordApi',
				'Tartan Username & Password (sandbox)',
				{ ...api3, username: SANDBOX_CREDENTIALS.username, password: SANDBOX_CREDENTIALS.password },
			],
			['tartanWebhookSigningApi', 'Tartan Webhook Signing Key (sandbox)', { appSecretKey: SANDBOX_CREDENTIALS.appSecretKey }],
			// The AI agent template's chat model (never called here: nothing is sent to the chat)
			['openAiApi', 'OpenAI account', { apiKey: 'sk-editor-e2e-not-a-real-key', url: 'http://127.0.0.1:9/v1', header: false }],
		]) {
			credentials[type] = await api.createCredential({ name, type, data });
		}
		for (const [key, file] of Object.entries(TEMPLATES)) {
			// The route template's HR-system steps write to the sandbox's sink (a target system that honours idempotency keys)
			const template = key === 'route' ? forTesting(withHrSystemAt(readTemplate(file), `${sandbox.url}/sink/records`)) : readTemplate(file);
			workflows[key] = (await api.importWorkflow(withCredentials(template, credentials))).id;
		}

		const playwright = await import('playwright-core');
		playwright.selectors.setTestIdAttribute('data-test-id');
		browser = await launchChromium({ playwright });
		context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', timezoneId: 'UTC' });
		context.setDefaultTimeout(20_000);
		const page = await context.newPage();
		page.on('dialog', (dialog) => dialog.accept().catch(() => {}));
		page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));
		page.on('requestfailed', (request) => request.failure()?.errorText !== 'net::ERR_ABORTED' && consoleErrors.push(`request failed: ${request.method()} ${request.url().slice(0, 120)} (${request.failure()?.errorText})`));
		page.on('console', (message) => {
			if (message.type() === 'error') consoleErrors.push(message.text().slice(0, 300));
		});
		editor = new EditorPage(page, { baseUrl: n8n.url, resultsDir: RESULTS, docsDir: DOCS_SCREENSHOTS, updateDocs: UPDATE_SCREENSHOTS });
		process.stderr.write(`[editor e2e] n8n ${n8n.version} at ${n8n.url}, sandbox ${sandbox.url}, set up in ${Math.round((Date.now() - started) / 1000)} s\n`);
	});

	after(async () => {
		if (editor?.screenshots.length) {
			process.stderr.write(
				`[editor e2e] ${editor.screenshots.length} screenshots in ${path.relative(process.cwd(), RESULTS) || RESULTS}` +
					(UPDATE_SCREENSHOTS ? `; docs copies in ${path.relative(process.cwd(), DOCS_SCREENSHOTS)}` : '') +
					'\n',
			);
		}
		if (consoleErrors.length) {
			const unique = [...new Set(consoleErrors)];
			process.stderr.write(`[editor e2e] browser console errors (${unique.length}, not failures):\n  ${unique.slice(0, 15).join('\n  ')}\n`);
		}
		await context?.close().catch(() => {});
		await browser?.close().catch(() => {});
		await n8n?.stop();
		await sandbox?.close();
	});

	test(
		'the owner signs in through the sign-in page',
		step('login', async () => {
			await editor.login(OWNER);
			await editor.newWorkflow();
			assert.match(editor.page.url(), /\/workflow\//);
		}),
	);

	/** Checks the three rows of a "Tartan" search and their icons; returns the rows. */
	async function checkNodeCreator(theme) {
		await editor.newWorkflow();
		await editor.searchNodes('Tartan');
		const rows = await waitFor(
			async () => {
				const items = await editor.nodeCreatorItems();
				return items.filter((item) => /^Tartan/.test(item.name)).length >= 3 && items.every((i) => !i.icon || i.icon.loaded) ? items : null;
			},
			{ message: 'three Tartan rows with loaded icons' },
		);
		const tartan = rows.filter((row) => /^Tartan/.test(row.name));
		// Listed by their full names: the trigger has no "Events" list for n8n to turn
		// into actions (which would list it as "Tartan", an app name, like Cal.com Trigger)
		const names = tartan.map((row) => row.name).sort();
		assert.equal(tartan.length, 3, `rows: ${JSON.stringify(rows)}`);
		assert.deepEqual(names, ['Tartan Resend', 'Tartan Sync Callback', 'Tartan Trigger']);

		for (const row of tartan) {
			assert.ok(row.icon, `${row.name} has no icon image`);
			assert.equal(row.icon.src, `/icons/${n8n.packageName}/dist/icons/${iconFile(row.name, theme)}`, `${row.name} icon (${theme})`);
			assert.ok(row.icon.loaded && row.icon.width > 0, `${row.name} icon did not load: ${JSON.stringify(row.icon)}`);
			// What n8n serves there is the package's SVG, byte for byte
			const res = await editor.page.request.get(`${n8n.url}${row.icon.src}`);
			assert.equal(res.status(), 200);
			assert.match(res.headers()['content-type'] ?? '', /image\/svg\+xml/);
			assert.equal((await res.body()).toString('utf8'), fs.readFileSync(path.join(PACKAGE_ROOT, 'dist', 'icons', iconFile(row.name, theme)), 'utf8'));
		}
		assert.equal(new Set(tartan.map((row) => row.icon.src)).size, 3, 'three different icons');
		return tartan;
	}

	test(
		'node creator: searching "Tartan" lists Tartan Trigger, Tartan Resend and Tartan Sync Callback, each with its own icon (light theme)',
		step('node-creator-light', async () => {
			await checkNodeCreator('light');
			await editor.screenshot('node-creator', { docs: true });
		}),
	);

	test(
		'node creator: the dark theme shows each node\'s dark icon',
		step('node-creator-dark', async () => {
			try {
				await editor.setTheme('dark');
				await checkNodeCreator('dark');
				await editor.screenshot('node-creator-dark', { docs: true });
			} finally {
				await editor.setTheme('light');
			}
		}),
	);

	test(
		'Tartan Trigger: webhook URLs, setup notice, test-event hint, Event Types / Output / Respond and the signing-key credential',
		step('trigger', async () => {
			await editor.newWorkflow();
			await editor.searchNodes('Tartan');
			// A trigger without event actions: its row opens the community node's details
			await editor.clickNodeCreatorItem('Tartan Trigger');
			await editor.byId('node-creator').getByRole('button', { name: 'Add to workflow' }).click();
			await editor.waitForNdv('Tartan Trigger');

			// Webhook URLs (collapsed until clicked)
			const ndv = editor.ndv();
			const testTab = ndv.getByTestId('radio-button-test');
			if (!(await testTab.isVisible())) await ndv.getByText('Webhook URLs', { exact: true }).click();
			await testTab.click();
			const url = ndv.locator('.webhook-url');
			const urlPattern = (prefix) => new RegExp(`^${n8n.url.replace(/[.]/g, '\\.')}/${prefix}/[0-9a-f-]{36}/webhook$`);
			const testUrl = await waitFor(async () => {
				const text = squash(await url.innerText());
				return urlPattern('webhook-test').test(text) ? text : null;
			}, { message: 'test URL' });
			assert.match(squash(await ndv.locator('.http-method').innerText()), /^POST$/);
			await ndv.getByTestId('radio-button-production').click();
			const productionUrl = await waitFor(async () => {
				const text = squash(await url.innerText());
				return urlPattern('webhook').test(text) ? text : null;
			}, { message: 'production URL' });
			assert.equal(productionUrl.split('/webhook/')[1], testUrl.split('/webhook-test/')[1], 'same path for test and production');

			// Setup notice: the node's text (n8n's notice keeps only <a>, <ul>, <li>; tags are dropped)
			const notices = await editor.noticeTexts();
			const setup = htmlText(property('tartanTrigger', 'setupNotice').displayName);
			assert.ok(notices.includes(setup), `setup notice ${JSON.stringify(setup)} not in ${JSON.stringify(notices)}`);
			assert.match(setup, /Production URL/);
			assert.match(setup, /Test URL/);

			// Event Types: all known events and "All Events" (selected), plus Other Event Names
			assert.equal(await editor.paramLabel('events'), 'Event Types');
			const eventNames = property('tartanTrigger', 'events').options.map((o) => o.name);
			assert.deepEqual(await editor.optionNames('events'), eventNames);
			assert.ok(eventNames.includes('All Events') && eventNames.length >= 6, eventNames.join(', '));
			assert.match(squash(await editor.param('events').innerText()), /All Events/);
			assert.equal(await editor.paramLabel('customEvents'), 'Other Event Names');

			assert.equal(await editor.paramLabel('output'), 'Output');
			assert.equal(await editor.optionValue('output'), 'One Item per Webhook');
			assert.deepEqual(await editor.optionNames('output'), ['One Item per Webhook', 'One Item per Record']);

			assert.equal(await editor.paramLabel('respond'), 'Respond');
			assert.equal(await editor.optionValue('respond'), 'When the Workflow Finishes');
			assert.deepEqual(await editor.optionNames('respond'), ['When the Workflow Finishes', 'Immediately']);

			// Credential selector: the signing-key credential (the only one of its type) is picked
			assert.equal(squash(await editor.params().getByTestId('credentials-label').first().innerText()), 'Credential to connect with');
			assert.equal(await editor.selectedCredential(), credentials.tartanWebhookSigningApi.name);
			const options = await editor.credentialOptions();
			assert.deepEqual(
				options.map((o) => o.id),
				[credentials.tartanWebhookSigningApi.id, 'new'],
				'only signing-key credentials are offered',
			);
			assert.match(options[0].text, /Tartan Webhook Signing Key API/);
			await editor.credentialSelect().click(); // close
			await ndv.getByTestId('radio-button-test').click();
			// The trigger panel: how to get a test event, with nothing but the Tartan Console
			const panel = nodeType('tartanTrigger').triggerPanel;
			assert.ok(squash(await ndv.innerText()).includes(squash(panel.header)), 'trigger panel header');
			// The help is folded under n8n's "When will this node trigger my flow?"
			await ndv.getByText('When will this node trigger my flow?', { exact: false }).first().click();
			const ndvText = await waitFor(async () => {
				const text = squash(await ndv.innerText());
				return text.includes(squash(panel.executionsHelp.inactive)) ? text : null;
			}, { message: 'the trigger panel\'s test-event help' });
			assert.doesNotMatch(ndvText, /npm run|send-event|sandbox/);
			await editor.screenshot('tartan-trigger', { docs: true });
			await editor.closeNdv();
		}),
	);

	test(
		'Tartan Resend: the ten "Find Webhooks" operations, each with exactly its fields, required ones flagged',
		step('resend', async () => {
			await editor.newWorkflow();
			await editor.searchNodes('Tartan');
			await editor.clickNodeCreatorItem('Tartan Resend');
			// The detail view lists the ten operations as actions (n8n hides "Custom API Call" here)
			const creator = editor.byId('node-creator');
			const actions = property('tartanResend', 'operation')
				.options.filter((o) => o.value !== '__CUSTOM_API_CALL__')
				.map((o) => o.action);
			assert.equal(actions.length, 10);
			await waitFor(async () => squash(await creator.innerText()).includes('Actions (10)'), { message: 'Actions (10)' });
			const details = squash(await creator.innerText());
			for (const action of actions) assert.ok(details.includes(action), `action "${action}" listed`);
			await creator.getByText(actions[0], { exact: true }).click();
			// With a resource, n8n names a node added from an action after the action, as its own apps
			await editor.waitForNdv(actions[0]);
			assert.equal(await editor.selectedCredential(), credentials.tartanApi.name);
			// A node fresh from the creator hides its parameter issues until each field
			// is left once; re-opened, n8n shows them all.
			await editor.closeNdv();
			await editor.openNode(actions[0]);

			// One resource, so that an AI tool's automatic description is its operation's own
			assert.equal(await editor.paramLabel('resource'), 'Resource');
			assert.equal(await editor.optionValue('resource'), 'Webhook');
			assert.deepEqual(await editor.optionNames('resource'), ['Webhook', N8N_CUSTOM_API_CALL]);
			assert.equal(await editor.paramLabel('operation'), 'Find Webhooks');
			// The dropdown, open at its top, for the docs
			await editor.param('operation').click();
			await waitFor(async () => (await editor.visibleOptions().count()) >= 10, { message: 'operation list open' });
			await editor.screenshot('tartan-resend-operations', { docs: true });
			await editor.closeDropdown('operation');
			const listed = await editor.optionNames('operation');
			const expectedNames = RESEND_OPERATIONS.map(([name]) => name);
			assert.deepEqual(
				listed.filter((name) => name !== N8N_CUSTOM_API_CALL),
				expectedNames,
				'the ten operations, in the README order',
			);
			assert.ok(listed.length === 10 || (listed.length === 11 && listed[10] === N8N_CUSTOM_API_CALL), listed.join(' | '));

			for (const [operation, fields] of RESEND_OPERATIONS) {
				await editor.selectOption('operation', operation);
				await waitFor(async () => editor.isParamVisible(RESEND_FIELDS[fields[0]]), { message: `${operation}: ${fields[0]}` });
				const visible = [];
				for (const [label, name] of Object.entries(RESEND_FIELDS)) {
					if (await editor.isParamVisible(name)) visible.push(label);
				}
				assert.deepEqual(visible.sort(), [...fields].sort(), `${operation}: fields shown`);
				for (const label of fields) {
					const name = RESEND_FIELDS[label];
					assert.equal(await editor.paramLabel(name), label, `${operation}: label of ${name}`);
					if (name === 'status') {
						// an options field always has a value: Failed by default
						assert.equal(await editor.optionValue('status'), 'Failed', `${operation}: Status default`);
						assert.deepEqual(await editor.optionNames('status'), ['Failed', 'Succeeded', 'All']);
					} else {
						assert.equal(await editor.paramIssue(name), `Issues: Parameter "${label}" is required.`, `${operation}: ${label} flagged as required`);
					}
				}
				if (operation === 'By Time Range, Status and Organisation') await editor.screenshot('tartan-resend', { docs: true });
			}
			await editor.closeNdv();
		}),
	);

	test(
		'Tartan Sync Callback: the credential decides JSON (bearer) or multipart (username & password); Send shows or hides the fields',
		step('sync-callback', async () => {
			await editor.newWorkflow();
			await editor.searchNodes('Tartan');
			await editor.clickNodeCreatorItem('Tartan Sync Callback');
			const creator = editor.byId('node-creator');
			await creator.getByRole('button', { name: 'Add to workflow' }).click();
			await editor.waitForNdv('Tartan Sync Callback');

			const jsonNotice = htmlText(property('tartanSyncCallback', 'jsonNotice').displayName);
			const multipartNotice = htmlText(property('tartanSyncCallback', 'multipartNotice').displayName);
			const bearer = credentials.tartanBearerApi;
			const basic = credentials.tartanUsernamePasswordApi;

			// n8n 2.x shows no "Authentication" parameter: it is the node's main auth field, so
			// one credential list offers both credential types and picking one sets it.
			assert.equal(await editor.isParamVisible('authentication'), false);
			const options = await editor.credentialOptions();
			const byId = Object.fromEntries(options.map((o) => [o.id, o.text]));
			assert.match(byId[bearer.id] ?? '', /Tartan Bearer Token API/, JSON.stringify(options));
			assert.match(byId[basic.id] ?? '', /Tartan Username & Password API/, JSON.stringify(options));

			const mode = async () => {
				const notices = await editor.noticeTexts();
				return {
					json: notices.includes(jsonNotice),
					multipart: notices.includes(multipartNotice),
					attachments: await editor.params().getByTestId('fixed-collection-attachments').isVisible(),
				};
			};
			await editor.selectCredential(basic.id, basic.name);
			await waitFor(async () => (await mode()).multipart, { message: 'multipart notice' });
			assert.deepEqual(await mode(), { json: false, multipart: true, attachments: true });
			await editor.params().getByTestId('fixed-collection-attachments').getByText('Add Attachment').click();
			await waitFor(async () => editor.isParamVisible('binaryProperty'), { message: 'attachment row' });
			assert.equal(await editor.params().getByTestId('parameter-input-binaryProperty').locator('input').inputValue(), 'data');
			await editor.screenshot('tartan-sync-callback-multipart', { docs: true });

			await editor.selectCredential(bearer.id, bearer.name);
			await waitFor(async () => (await mode()).json, { message: 'JSON notice' });
			assert.deepEqual(await mode(), { json: true, multipart: false, attachments: false });
			await editor.screenshot('tartan-sync-callback', { docs: true });

			// Send: Fields Below (default) shows Name, Email, Additional Fields; Whole Input Item hides them
			const fieldsShown = async () => ({
				name: await editor.isParamVisible('name'),
				email: await editor.isParamVisible('email'),
				additionalFields: await editor.params().getByTestId('fixed-collection-additionalFields').isVisible(),
			});
			assert.equal(await editor.optionValue('send'), 'Fields Below');
			assert.deepEqual(await editor.optionNames('send'), ['Fields Below', 'Whole Input Item']);
			assert.deepEqual(await fieldsShown(), { name: true, email: true, additionalFields: true });
			assert.equal(await editor.paramLabel('name'), 'Name');
			assert.equal(await editor.paramLabel('email'), 'Email');
			await editor.selectOption('send', 'Whole Input Item');
			await waitFor(async () => !(await editor.isParamVisible('name')), { message: 'Name hidden' });
			assert.deepEqual(await fieldsShown(), { name: false, email: false, additionalFields: false });
			await editor.selectOption('send', 'Fields Below');
			await waitFor(async () => editor.isParamVisible('name'), { message: 'Name shown' });
			assert.deepEqual(await fieldsShown(), { name: true, email: true, additionalFields: true });

			// Creating a credential: "Connect using" lists the node's two authentication
			// options; each switches the credential type and its fields.
			await editor.credentialSelect().click();
			await editor.page.getByTestId('node-credentials-select-item-new').click();
			const modal = editor.page.getByTestId('editCredential-modal');
			await modal.waitFor();
			const selector = modal.getByTestId('node-auth-type-selector');
			await selector.waitFor();
			const authOptions = property('tartanSyncCallback', 'authentication').options.map((o) => o.name);
			assert.deepEqual(authOptions, ['Bearer Token, JSON Body', 'Username and Password, Multipart Form Data']);
			for (const name of authOptions) assert.ok(squash(await selector.innerText()).includes(name), `"Connect using" offers ${name}`);
			const header = async () => squash(await modal.locator('.el-dialog__header').innerText());
			await selector.getByText(authOptions[1], { exact: true }).click();
			await waitFor(async () => (await header()).includes('Tartan Username & Password API'), { message: 'username & password credential type' });
			const basicFields = await editor.credentialFormFields(modal);
			assert.ok(basicFields.includes('Username *') && basicFields.includes('Password *'), basicFields.join(', '));
			assert.ok(!basicFields.some((f) => /^Token/.test(f)), basicFields.join(', '));
			await editor.screenshot('tartan-sync-callback-credential', { docs: true });
			await selector.getByText(authOptions[0], { exact: true }).click();
			await waitFor(async () => (await header()).includes('Tartan Bearer Token API'), { message: 'bearer credential type' });
			const bearerFields = await editor.credentialFormFields(modal);
			assert.ok(bearerFields.includes('Token *'), bearerFields.join(', '));
			assert.ok(!bearerFields.some((f) => /^(Username|Password)/.test(f)), bearerFields.join(', '));
			await modal.getByRole('button', { name: 'Close this dialog' }).click();
			await modal.waitFor({ state: 'hidden' });
			await editor.closeNdv();
		}),
	);

	test(
		'example workflows: each imported template opens on the canvas with its nodes and no issues',
		step('templates-open', async () => {
			for (const [key, file] of Object.entries(TEMPLATES)) {
				const template = readTemplate(file);
				await editor.openWorkflow(workflows[key]);
				const expected = template.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote').map((node) => node.name).sort();
				const shown = await waitFor(async () => {
					const names = await editor.byId('canvas-node').evaluateAll((els) => els.map((el) => el.getAttribute('data-node-name')));
					return names.length === expected.length ? names.sort() : null;
				}, { message: `${file}: ${expected.length} nodes` });
				assert.deepEqual(shown, expected, file);
				assert.equal(await editor.page.locator('[data-test-id="canvas-node-status-warning"], [data-test-id="node-issues"]').count(), 0, `${file}: a node shows issues`);
				assert.equal(squash(await editor.byId('workflow-name-input').innerText()), template.name);
				await editor.screenshot(`workflow-${path.basename(file, '.json')}`, { docs: key === 'route' || key === 'agent' });
			}
		}),
	);

	test(
		'route employee events, published: signed webhooks reach their branch, a re-delivery is not applied twice',
		step('route-published', async () => {
			const webhook = require(path.join(PACKAGE_ROOT, 'test', 'sandbox', 'webhook.js'));
			const { SANDBOX_CREDENTIALS } = require(SANDBOX_SERVER);
			const template = readTemplate(TEMPLATES.route);
			const trigger = template.nodes.find((node) => node.type.endsWith('.tartanTrigger'));
			await api.activateWorkflow(workflows.route);
			try {
				const webhookPath = `${trigger.webhookId}/webhook`;
				await n8n.waitForWebhook(webhookPath);
				const send = (fixture) =>
					webhook.sendSignedWebhook(`${n8n.url}/webhook/${webhookPath}`, { fixture, appSecretKey: SANDBOX_CREDENTIALS.appSecretKey });
				const sent = [];
				for (const fixture of ['employee-add-delta', 'employee-update', 'employee-add-delta', 'sync-initiated']) {
					const res = await send(fixture);
					assert.equal(res.status, 200, `${fixture}: ${res.body}`);
					sent.push(webhook.loadFixture(fixture).json);
					// one at a time, so that the duplicate is seen after the original
					await api.waitForExecutions(workflows.route, sent.length);
				}
				const executions = await api.waitForExecutions(workflows.route, 4);
				const count = (execution, node) => nodeOutput(execution, node)?.length ?? 0;
				const [add, update, again, initiated] = executions;
				for (const execution of executions) assert.equal(execution.status, 'success');
				assert.equal(count(add, 'Create employee in HR system'), sent[0].body.length);
				assert.equal(count(add, 'Update employee in HR system'), 0);
				assert.equal(count(update, 'Update employee in HR system'), sent[1].body.length);
				assert.equal(count(update, 'Create employee in HR system'), 0);
				assert.equal(count(initiated, 'Other events (log or ignore)'), 1);
				// The repeated delivery is written again with the same idempotency keys: the HR system (the sink) applies each record once
				assert.equal(count(again, 'Create employee in HR system'), sent[2].body.length);
				const keyOf = (payload, record) => `${payload.syncSessionId}|${payload.event}|${record.employeeId ?? record.id}`;
				const expected = [...sent[0].body.map((r) => keyOf(sent[0], r)), ...sent[1].body.map((r) => keyOf(sent[1], r))];
				const sink = sandbox.sink.summary(expected);
				assert.deepEqual({ missing: sink.missing.length, duplicated: sink.duplicated.length }, { missing: 0, duplicated: 0 });
				assert.equal(sink.redundantReceipts.length, sent[2].body.length, 'the repeated delivery reached the sink, and was not applied again');
			} finally {
				await api.deactivateWorkflow(workflows.route);
			}
		}),
	);

	test(
		'nightly reconciliation runs from the Execute button (Manual Trigger) and asks the sandbox to resend failed webhooks',
		step('run-nightly', async () => {
			sandbox.reset();
			const before = await api.listExecutions({ workflowId: workflows.nightly });
			await editor.openWorkflow(workflows.nightly);
			await editor.selectTriggerToRunFrom('Run now (test)');
			const toast = await editor.executeWorkflow();
			assert.match(toast, /Workflow executed successfully/);
			await editor.dismissToasts();
			const resendNode = 'Resend failed webhooks of the last 3 days';
			await editor.openNode(resendNode);
			const output = editor.byId('output-panel');
			await waitFor(async () => squash(await output.innerText()).includes('Webhook resend triggered successfully.'), {
				message: 'resend answer in the output panel',
			});
			assert.match(squash(await output.innerText()), /1 item/);
			await editor.screenshot('workflow-nightly-reconciliation-executed', { docs: true });
			await editor.closeNdv();

			const [request] = sandbox.requestsFor('resend');
			assert.ok(request, 'the sandbox got no resend request');
			assert.equal(request.response.status, 200);
			const now = Math.floor(Date.now() / 1000);
			assert.equal(request.body.search_type, 'time_range_status');
			assert.equal(request.body.status, 'fail');
			assert.ok(Number.isInteger(request.body.request_timestamp) && Number.isInteger(request.body.end_request_timestamp), JSON.stringify(request.body));
			assert.equal(request.body.end_request_timestamp - request.body.request_timestamp, 3 * 86_400);
			assert.ok(Math.abs(now - request.body.end_request_timestamp) < 300, JSON.stringify(request.body));

			const executions = await api.waitForExecutions(workflows.nightly, before.length + 1);
			const execution = executions.at(-1);
			assert.equal(execution.status, 'success');
			assert.deepEqual(nodeOutput(execution, resendNode).map((item) => item.json), [
				{ success: true, message: 'Webhook resend triggered successfully.' },
			]);
		}),
	);

	test(
		'push employees runs from the Execute button: three JSON callbacks and one multipart callback with the CSV file',
		step('run-push', async () => {
			sandbox.reset();
			const template = readTemplate(TEMPLATES.push);
			const before = await api.listExecutions({ workflowId: workflows.push });
			await editor.openWorkflow(workflows.push);
			const toast = await editor.executeWorkflow();
			assert.match(toast, /Workflow executed successfully/);
			await editor.dismissToasts();
			await waitFor(async () => (await editor.byId('canvas-node-status-success').count()) >= 5, { message: 'five nodes succeeded' });
			await editor.screenshot('workflow-push-employees-executed', { docs: true });

			await editor.openNode('Push CSV file (multipart)');
			const output = editor.byId('output-panel');
			await waitFor(async () => squash(await output.innerText()).includes('Sync successful'), { message: 'callback answer in the output panel' });
			await editor.screenshot('workflow-push-employees-output', { docs: true });
			await editor.closeNdv();

			// What Tartan (the sandbox) received
			const employees = ['Aarav Sharma', 'Zoë Fernández-Müller', 'Priya Nair'];
			const callbacks = sandbox.requestsFor('callback');
			const json = callbacks.filter((r) => /application\/json/.test(r.headers['content-type'] ?? ''));
			const multipart = callbacks.filter((r) => /multipart\/form-data/.test(r.headers['content-type'] ?? ''));
			assert.equal(json.length, 3, `JSON callbacks: ${callbacks.map((r) => r.headers['content-type']).join(', ')}`);
			assert.deepEqual(json.map((r) => r.body.name), employees);
			for (const r of json) {
				assert.equal(r.response.status, 200);
				assert.match(r.body.email, /@example\.com$/);
				assert.match(r.body.employeeId, /^E-100\d$/);
				assert.ok(typeof r.body.department === 'string');
			}
			assert.equal(multipart.length, 1);
			const parts = multipart[0].parts;
			assert.equal(multipart[0].response.status, 200);
			const file = parts.find((p) => p.name === 'file');
			assert.ok(file, `no "file" part: ${JSON.stringify(parts.map((p) => p.name))}`);
			assert.equal(file.filename, 'employees.csv');
			assert.match(file.mimeType, /^text\/csv/);
			const csv = Buffer.from(file.data).toString('utf8');
			for (const name of employees) assert.ok(csv.includes(name), `CSV has ${name}:\n${csv}`);
			assert.deepEqual(
				Object.fromEntries(parts.filter((p) => !('filename' in p) || p.filename === undefined).map((p) => [p.name, p.value])),
				{ source: 'n8n', records: '3' },
			);

			const executions = await api.waitForExecutions(workflows.push, before.length + 1);
			const execution = executions.at(-1);
			assert.equal(execution.status, 'success');
			const ran = template.nodes.filter((n) => n.type !== 'n8n-nodes-base.stickyNote').map((n) => n.name);
			for (const name of ran) assert.ok(nodeOutput(execution, name), `${name} did not run`);
			assert.deepEqual(nodeOutput(execution, 'Push each employee (JSON)').map((i) => i.json.message), ['Sync successful', 'Sync successful', 'Sync successful']);
		}),
	);
});

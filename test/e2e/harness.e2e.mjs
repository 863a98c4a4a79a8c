// Proves the harness against a real n8n with core nodes only, then checks that
// this package's built nodes and credentials are loaded into it.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { N8nApi, nodeOutput, nodesThatRan } from '../../scripts/lib/api.mjs';
import { PACKAGE_ROOT, packageBuildState, startN8n } from '../../scripts/lib/n8n.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const workflows = path.join(here, 'workflows');
const { pkg, built, reason: notBuilt } = packageBuildState();

describe('e2e harness (real n8n, core nodes)', { timeout: 600_000 }, () => {
	let n8n;
	let api;

	before(async () => {
		n8n = await startN8n({ load: built ? 'package' : false });
		api = new N8nApi(n8n.url);
		await api.bootstrap();
	});

	after(async () => {
		await n8n?.stop();
	});

	test('Webhook -> Set: one execution whose output holds what was sent', async () => {
		const wf = await api.importWorkflow(path.join(workflows, 'harness-webhook-set.json'), { PATH: 'e2e-harness' });
		await api.activateWorkflow(wf.id);
		await n8n.waitForWebhook('e2e-harness');

		const sent = { hello: 'world', nested: { n: 1, list: [1, 2, 3] } };
		const res = await fetch(`${n8n.url}/webhook/e2e-harness`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(sent),
		});
		assert.equal(res.status, 200);
		assert.deepEqual(await res.json(), { received: sent, marker: 'set-node-ran' });

		const [execution, ...more] = await api.waitForExecutions(wf.id, 1);
		assert.equal(more.length, 0);
		assert.equal(execution.mode, 'webhook');
		assert.equal(execution.status, 'success');
		assert.deepEqual(nodesThatRan(execution).sort(), ['Set', 'Webhook']);
		assert.deepEqual(nodeOutput(execution, 'Webhook')[0].json.body, sent);
		assert.deepEqual(
			nodeOutput(execution, 'Set').map((item) => item.json),
			[{ received: sent, marker: 'set-node-ran' }],
		);
	});

	test('a workflow runs manually through the REST API', async () => {
		const wf = await api.importWorkflow(path.join(workflows, 'harness-manual.json'));
		const started = await api.runManually(wf.id);
		assert.ok(started.executionId, JSON.stringify(started));
		const [execution] = await api.waitForExecutions(wf.id, 1);
		assert.equal(execution.mode, 'manual');
		assert.equal(execution.status, 'success');
		assert.deepEqual(nodeOutput(execution, 'Set')[0].json, { manual: 'ran' });
	});

	test(`n8n loaded ${pkg.name}'s nodes and credentials`, { skip: notBuilt }, async () => {
		const nodeTypes = (await api.nodeTypes()).map((type) => type.name);
		const credentialTypes = (await api.credentialTypes()).map((type) => type.name);
		for (const file of pkg.n8n.nodes) {
			const base = path.basename(file, '.node.js');
			const expected = `${pkg.name}.${base[0].toLowerCase()}${base.slice(1)}`;
			assert.ok(nodeTypes.includes(expected), `${expected} not among n8n's node types; log:\n${n8n.logText().slice(-3000)}`);
		}
		for (const file of pkg.n8n.credentials) {
			const base = path.basename(file, '.credentials.js');
			const expected = `${base[0].toLowerCase()}${base.slice(1)}`;
			assert.ok(credentialTypes.includes(expected), `${expected} not among n8n's credential types`);
		}
		assert.doesNotMatch(n8n.logText(), /nodes package .* is already loaded|Class could not be found/);
	});
});

// What N8N_CUSTOM_EXTENSIONS does in n8n 2.8: every folder in it (';'-separated)
// is read by n8n-core's CustomDirectoryLoader, which globs **/*.node.js and
// **/*.credentials.js under it and registers them under the package name
// CUSTOM, so the trigger becomes CUSTOM.tartanTrigger, not
// n8n-nodes-tartan.tartanTrigger. Workflows written for the published package
// need the package loaded as a community package (what startN8n does by
// default). This test pins that finding down.
describe('N8N_CUSTOM_EXTENSIONS loads the nodes as CUSTOM.*', { timeout: 300_000, skip: notBuilt }, () => {
	let n8n;
	let api;

	before(async () => {
		n8n = await startN8n({ load: 'custom', extensionsDir: path.join(PACKAGE_ROOT, 'dist') });
		api = new N8nApi(n8n.url);
		await api.bootstrap();
	});

	after(async () => {
		await n8n?.stop();
	});

	test('types are CUSTOM.<node>, not <package>.<node>', async () => {
		const nodeTypes = (await api.nodeTypes()).map((type) => type.name);
		for (const file of pkg.n8n.nodes) {
			const base = path.basename(file, '.node.js');
			const name = `${base[0].toLowerCase()}${base.slice(1)}`;
			assert.ok(nodeTypes.includes(`CUSTOM.${name}`), `CUSTOM.${name} missing`);
			assert.ok(!nodeTypes.includes(`${pkg.name}.${name}`), `${pkg.name}.${name} present`);
		}
	});
});

// Tartan Resend and Tartan Sync Callback as tools of n8n's own AI Agent, in a
// real n8n: the example workflow docs/workflows/tartan-ai-agent-tools.json
// (its chat trigger replaced by a manual trigger and a fixed chat message),
// n8n's OpenAI Chat Model pointed at a scripted model on loopback
// (lib/model-stub.mjs), and the Tartan sandbox. The stub checks what the
// agent offers it (tool names, descriptions, JSON schemas from the $fromAI()
// fields), calls the tools, and reads their answers; the sandbox records
// what reached Tartan.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { N8nApi, nodeOutput } from '../../scripts/lib/api.mjs';
import { PACKAGE_ROOT, packageBuildState, startN8n, tail } from '../../scripts/lib/n8n.mjs';
import { writeEvidence } from './lib/evidence.mjs';
import { startModelStub, toolResults } from './lib/model-stub.mjs';
import { maskHeaders, randomJwt, randomSecret } from './lib/secrets.mjs';

const require = createRequire(import.meta.url);
const EXAMPLE = path.join(PACKAGE_ROOT, 'docs', 'workflows', 'tartan-ai-agent-tools.json');
const build = packageBuildState();
const skip = build.built ? false : build.reason;

const HTTP_DOMAINS = { allowedHttpRequestDomains: 'all' };
const SYNC_SESSION = '6754fec7-d3db-458a-942b-85bfc5822c82';
// The tools of the example, by the names n8n gives the model (node name, other characters as _)
const TOOLS = {
	timeRange: 'Resend_webhooks_by_time_range',
	org: 'Resend_webhooks_of_an_organisation',
	syncSession: 'Resend_webhooks_of_a_sync_session',
	employee: 'Push_an_employee_to_Tartan',
};
// Each tool's fields: the $fromAI() keys of its node
const TOOL_FIELDS = {
	[TOOLS.timeRange]: ['from', 'status', 'to'],
	[TOOLS.org]: ['client_org_id', 'from', 'status', 'to'],
	[TOOLS.syncSession]: ['status', 'sync_session_id', 'webhook_counters'],
	[TOOLS.employee]: ['email', 'employee_id', 'name'],
};

describe('Tartan nodes as tools of n8n\'s AI Agent (real n8n, scripted model)', { skip, timeout: 600_000 }, () => {
	const secrets = {
		apiKey: randomSecret('tartan-agent-api-key'),
		bearerToken: randomJwt(),
		openAiKey: randomSecret('sk-agent-stub'),
	};
	let sandbox;
	let model;
	let n8n;
	let api;
	const creds = {};
	const evidence = { toolsOffered: undefined, sandboxRequests: [] };
	let runs = 0;

	before(async () => {
		const { startSandbox } = require(path.join(PACKAGE_ROOT, 'test', 'sandbox', 'server.js'));
		sandbox = await startSandbox({ credentials: { apiKey: secrets.apiKey, bearerToken: secrets.bearerToken } });
		model = await startModelStub();
		n8n = await startN8n();
		api = new N8nApi(n8n.url);
		await api.bootstrap();
		creds.openAiApi = await api.createCredential({ name: 'OpenAI (scripted model)', type: 'openAiApi', data: { apiKey: secrets.openAiKey, url: model.url, header: false } });
		creds.tartanApi = await api.createCredential({
			name: 'Tartan API (sandbox)',
			type: 'tartanApi',
			data: { environment: 'dev', baseUrl: sandbox.url, apiKey: secrets.apiKey, ...HTTP_DOMAINS },
		});
		creds.tartanBearerApi = await api.createCredential({
			name: 'Tartan Bearer Token (sandbox)',
			type: 'tartanBearerApi',
			data: { environment: 'dev', baseUrl: sandbox.url, token: secrets.bearerToken, ...HTTP_DOMAINS },
		});
	});

	after(async () => {
		await n8n?.stop();
		await model?.close();
		await sandbox?.close();
		writeEvidence('agent-tools', evidence);
	});

	/**
	 * The example workflow, runnable from the API: its chat trigger replaced by
	 * a manual trigger and a "Chat message" node that gives the agent
	 * `chatInput`, as the chat trigger would; every credential pointed at the
	 * sandbox or the scripted model.
	 */
	function runnableExample(chatInput) {
		const example = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
		const chat = example.nodes.find((node) => node.type === '@n8n/n8n-nodes-langchain.chatTrigger');
		const nodes = example.nodes
			.filter((node) => node !== chat && node.type !== 'n8n-nodes-base.stickyNote')
			.map((node) => {
				if (!node.credentials) return node;
				const credentials = Object.fromEntries(Object.keys(node.credentials).map((type) => [type, { id: creds[type].id, name: creds[type].name }]));
				return { ...node, credentials };
			});
		nodes.push(
			{ id: 'e2e-manual', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [-400, 300], parameters: {} },
			{
				id: 'e2e-chat-message',
				name: 'Chat message',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [-200, 300],
				parameters: {
					mode: 'manual',
					assignments: {
						assignments: [
							{ id: 'c1', name: 'chatInput', value: chatInput, type: 'string' },
							{ id: 'c2', name: 'sessionId', value: 'e2e-session', type: 'string' },
						],
					},
					options: {},
				},
			},
		);
		const connections = { ...example.connections };
		delete connections[chat.name];
		connections.Manual = { main: [[{ node: 'Chat message', type: 'main', index: 0 }]] };
		connections['Chat message'] = { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] };
		return { name: `${example.name} (e2e #${++runs})`, nodes, connections, settings: { executionOrder: 'v1', timezone: 'UTC' } };
	}

	/** Runs the example with a chat message and a model script; returns the execution, the model's requests and the sandbox's. */
	async function chat(chatInput, steps) {
		const seenModel = model.requests.length;
		const seenSandbox = sandbox.requests.length;
		model.script(steps);
		const wf = await api.importWorkflow(runnableExample(chatInput));
		const started = await api.runManually(wf.id);
		assert.ok(started?.executionId, `manual run did not start: ${JSON.stringify(started)}`);
		const [execution] = await api.waitForExecutions(wf.id, 1, { timeoutMs: 120_000 });
		const modelRequests = model.requests.slice(seenModel).filter((r) => r.method === 'POST');
		const tartan = sandbox.requests.slice(seenSandbox);
		evidence.sandboxRequests.push(
			...tartan.map((r) => ({ chatInput, route: r.route, path: r.path, headers: maskHeaders({ authorization: r.headers.authorization }, secrets), body: r.body, status: r.response.status })),
		);
		assert.equal(model.pending(), 0, `the agent stopped before the script's end (execution ${execution.status}): ${tail(n8n.logText(), 15)}`);
		return { execution, modelRequests, tartan };
	}

	const agentOutput = (execution) => nodeOutput(execution, 'AI Agent')?.[0]?.json?.output;
	const toolsOf = (body) => Object.fromEntries((body.tools ?? []).map((t) => [t.function.name, t.function]));

	test('the agent offers the four Tartan tools with their descriptions and JSON schemas from the $fromAI() fields', async () => {
		let offered;
		const { execution } = await chat('Which Tartan tools do you have?', [
			(body) => {
				offered = toolsOf(body);
				return { text: 'I can resend webhooks and push employees.' };
			},
		]);
		assert.equal(execution.status, 'success');
		assert.deepEqual(Object.keys(offered).sort(), Object.values(TOOLS).sort());
		for (const [name, fields] of Object.entries(TOOL_FIELDS)) {
			const tool = offered[name];
			assert.deepEqual(Object.keys(tool.parameters.properties).sort(), fields, name);
			assert.deepEqual([...tool.parameters.required].sort(), fields, `${name}: every field required`);
			for (const field of fields) {
				assert.equal(tool.parameters.properties[field].type, 'string', `${name}.${field}`);
				assert.ok(tool.parameters.properties[field].description.length > 20, `${name}.${field} has a description`);
			}
			assert.ok(tool.description.length > 60, `${name} has a description`);
		}
		// The descriptions say the formats a model must use
		assert.match(offered[TOOLS.timeRange].parameters.properties.from.description, /ISO 8601.*time zone/);
		assert.match(offered[TOOLS.timeRange].parameters.properties.from.description, /never milliseconds/);
		assert.match(offered[TOOLS.syncSession].parameters.properties.sync_session_id.description, /UUID/);
		assert.match(offered[TOOLS.syncSession].parameters.properties.webhook_counters.description, /whole numbers/);
		assert.match(offered[TOOLS.org].description, /client_org_id .*UUID/);
		assert.equal(agentOutput(execution), 'I can resend webhooks and push employees.');
		evidence.toolsOffered = Object.fromEntries(
			Object.entries(offered).map(([name, t]) => [name, { description: t.description, fields: Object.fromEntries(Object.entries(t.parameters.properties).map(([k, v]) => [k, `${v.type}: ${v.description}`])) }]),
		);
	});

	test('"resend the failed webhooks of 26 May 2025": the agent calls Resend by time range and status; Tartan gets epoch seconds and search_type', async () => {
		const { execution, tartan, modelRequests } = await chat('Resend the failed Tartan webhooks of 26 May 2025 (UTC).', [
			() => ({ toolCalls: [{ name: TOOLS.timeRange, args: { from: '2025-05-26T00:00:00Z', to: '2025-05-27T00:00:00Z', status: 'fail' } }] }),
			(body) => ({ text: `Done: ${JSON.stringify(toolResults(body).at(-1).content)}` }),
		]);
		assert.equal(execution.status, 'success');
		assert.equal(tartan.length, 1);
		assert.equal(tartan[0].path, '/api/webhooks/resend');
		assert.equal(tartan[0].headers.authorization, secrets.apiKey);
		assert.deepEqual(tartan[0].body, { search_type: 'time_range_status', request_timestamp: 1748217600, end_request_timestamp: 1748304000, status: 'fail' });
		assert.match(tartan[0].rawBody.toString('utf8'), /"request_timestamp":1748217600,"end_request_timestamp":1748304000/);
		// The model got Tartan's answer back as the tool result
		assert.deepEqual(toolResults(modelRequests[1].body).at(-1).content, [{ success: true, message: 'Webhook resend triggered successfully.' }]);
		assert.match(agentOutput(execution), /Webhook resend triggered successfully/);
	});

	test('"add Zoë to Tartan": the agent calls Sync Callback (JSON, bearer token); Tartan gets the employee', async () => {
		const { execution, tartan, modelRequests } = await chat('Push Zoë Fernandes (zoe@tartanhq.com, employee 14) to Tartan.', [
			() => ({ toolCalls: [{ name: TOOLS.employee, args: { name: 'Zoë Fernandes', email: 'zoe@tartanhq.com', employee_id: '14' } }] }),
			() => ({ text: 'Zoë is in Tartan.' }),
		]);
		assert.equal(execution.status, 'success');
		assert.equal(tartan.length, 1);
		assert.equal(tartan[0].path, '/api/external/sync/callback');
		assert.match(String(tartan[0].headers['content-type']), /^application\/json/);
		assert.equal(tartan[0].headers.authorization, `Bearer ${secrets.bearerToken}`);
		assert.deepEqual(tartan[0].body, { name: 'Zoë Fernandes', email: 'zoe@tartanhq.com', employeeId: '14' });
		assert.deepEqual(toolResults(modelRequests[1].body).at(-1).content, [{ success: true, message: 'Sync successful' }]);
	});

	test('a made-up sync session ID: the tool answers the model with the field and what it expects, nothing reaches Tartan; the corrected call does', async () => {
		let told;
		const { execution, tartan } = await chat('Resend failed webhooks 1 and 2 of sync session dsfdbgklvboknbsx.', [
			() => ({ toolCalls: [{ name: TOOLS.syncSession, args: { sync_session_id: 'dsfdbgklvboknbsx', webhook_counters: '1, 2', status: 'fail' } }] }),
			(body) => {
				told = toolResults(body).at(-1).content;
				return { toolCalls: [{ name: TOOLS.syncSession, args: { sync_session_id: SYNC_SESSION, webhook_counters: '1, 2', status: 'fail' } }] };
			},
			() => ({ text: 'Resent after correcting the ID.' }),
		]);
		assert.equal(execution.status, 'success', 'the agent run did not fail on the tool error');
		assert.equal(told.length, 1);
		assert.match(told[0].error, /"Sync Session ID" \(syncSessionId\) must be a UUID/);
		assert.match(told[0].hint, /Nothing was sent to Tartan/);
		assert.equal(tartan.length, 1, 'only the corrected call reached Tartan');
		assert.deepEqual(tartan[0].body, { search_type: 'sync_session_counter_status', sync_session_id: SYNC_SESSION, webhook_counter: [1, 2], status: 'fail' });
		evidence.invalidCall = { toolAnswer: told, reachedTartan: tartan[0].body };
	});

	test('milliseconds instead of seconds, and a bad email: each comes back naming the field, nothing is sent until corrected', async () => {
		const told = [];
		const { execution, tartan } = await chat('Resend all webhooks of org f47ac10b-58cc-4372-a567-0e02b2c3d479 since epoch 1748217600000 ms; then push Max (max@) as employee 7.', [
			() => ({
				toolCalls: [{ name: TOOLS.org, args: { client_org_id: 'f47ac10b-58cc-4372-a567-0e02b2c3d479', from: '1748217600000', to: '1748304000000', status: 'all' } }],
			}),
			(body) => {
				told.push(toolResults(body).at(-1).content[0]);
				return { toolCalls: [{ name: TOOLS.employee, args: { name: 'Max Mustermann', email: 'max@', employee_id: '7' } }] };
			},
			(body) => {
				told.push(toolResults(body).at(-1).content[0]);
				return { text: 'Both calls need corrections.' };
			},
		]);
		assert.equal(execution.status, 'success');
		assert.match(told[0].error, /"From" \(requestTimestamp\) looks like epoch milliseconds/);
		assert.match(told[1].error, /"email" must be an email address/);
		assert.equal(tartan.length, 0, 'nothing reached Tartan');
		evidence.moreInvalidCalls = told;
	});
});

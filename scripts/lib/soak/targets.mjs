// The two sides of a soak: the same workflows, one with Tartan Triggers and
// one with n8n's Webhook node in their place, each received by an n8n
// process of its own with the same version and settings.
//   single: two n8n processes (SQLite each), started side by side;
//   queue:  one queue-mode stack (PostgreSQL, Redis, main, a worker) with
//           two webhook processors, one receiving the Tartan traffic and one
//           the Webhook-node traffic: same database, queue and worker, and
//           processes of their own so their memory can be told apart.
// Several workflows of many trigger nodes each, so that the trigger's
// refusal log (one key per workflow, node and reason) passes its 1,000 keys.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { N8nApi, substitute } from '../api.mjs';
import { PACKAGE_ROOT, startN8n } from '../n8n.mjs';
import { startQueueStack } from '../queue.mjs';
import { triggerWorkflowVars } from '../../../test/e2e/lib/trigger-workflow.mjs';

const TEMPLATES = path.join(PACKAGE_ROOT, 'test', 'e2e', 'workflows');
export const WORKFLOWS = 4;
export const NODES_PER_WORKFLOW = 40;

/** The same settings for every soaked n8n: a fixed heap limit, its metrics, an inspector on a free loopback port (forced GC). */
export function soakEnv({ heapLimitMiB = 1536 } = {}) {
	return { N8N_METRICS: 'true', NODE_OPTIONS: `--max-old-space-size=${heapLimitMiB} --inspect=127.0.0.1:0` };
}

/** A copy of `workflow` with node `name` replaced by `count` copies (each its own webhook, connected as the original). */
function multiply(workflow, name, count, customise) {
	const original = workflow.nodes.find((node) => node.name === name);
	const copies = Array.from({ length: count }, (_, i) =>
		customise({ ...structuredClone(original), id: randomUUID(), name: `${name} ${i + 1}`, position: [0, i * 120] }),
	);
	const connections = { ...workflow.connections };
	delete connections[name];
	for (const copy of copies) connections[copy.name] = structuredClone(workflow.connections[name]);
	return { ...workflow, nodes: [...copies, ...workflow.nodes.filter((node) => node !== original)], connections };
}

function template(file, vars) {
	return substitute(JSON.parse(fs.readFileSync(path.join(TEMPLATES, file), 'utf8')), vars);
}

/**
 * The e2e templates (Tartan Trigger or Webhook node → No Op), multiplied:
 * { definition, paths }. `respond`: 'whenFinished' (the answer after the
 * run: the Webhook node's "when the last node finishes") or 'immediately'
 * (the Webhook node's "immediately").
 */
function sideWorkflow(side, index, credential, respond) {
	const paths = [];
	const name = `soak ${side} ${index + 1}`;
	if (side === 'tartan') {
		const vars = triggerWorkflowVars({ name, webhookId: 'x', credential, respond });
		const definition = multiply(template('tartan-trigger.json', vars), 'Tartan Trigger', NODES_PER_WORKFLOW, (node) => {
			node.webhookId = randomUUID();
			paths.push(`${node.webhookId}/webhook`);
			return node;
		});
		return { definition, paths };
	}
	const definition = multiply(template('webhook-node-noop.json', { NAME: name, WEBHOOK_ID: 'x', PATH: 'x' }), 'Webhook', NODES_PER_WORKFLOW, (node) => {
		node.webhookId = randomUUID();
		node.parameters = { ...node.parameters, path: `soak-${node.webhookId}`, responseMode: respond === 'whenFinished' ? 'lastNode' : 'onReceived' };
		paths.push(node.parameters.path);
		return node;
	});
	return { definition, paths };
}

/** Imports and publishes one side's workflows through `api`; waits on `receiver` until each webhook is registered; resolves to the URLs. */
async function deploy(api, side, credential, receiver, respond) {
	const urls = [];
	for (let i = 0; i < WORKFLOWS; i++) {
		const { definition, paths } = sideWorkflow(side, i, credential, respond);
		const workflow = await api.importWorkflow(definition);
		await api.activateWorkflow(workflow.id);
		for (const webhookPath of paths) {
			await receiver.waitForWebhook(webhookPath);
			urls.push(`${receiver.url}/webhook/${webhookPath}`);
		}
	}
	return urls;
}

const credentialOf = (api, appSecretKey) => api.createCredential({ name: 'soak signing key', type: 'tartanWebhookSigningApi', data: { appSecretKey } });

/** Two n8n processes side by side, the workflows answering when the run has finished: { tartan, webhook: { n8n, urls }, busyPids, stop() }. */
export async function startPair({ appSecretKey, packageRoot = PACKAGE_ROOT, env = soakEnv() }) {
	const started = await Promise.allSettled(['tartan', 'webhook'].map((name) => startN8n({ name, packageRoot, env })));
	const [tartan, webhook] = started.map((s) => (s.status === 'fulfilled' ? s.value : undefined));
	const stop = () => Promise.allSettled([tartan?.stop(), webhook?.stop()]);
	try {
		const failed = started.find((s) => s.status === 'rejected');
		if (failed) throw failed.reason;
		const sides = { tartan: { n8n: tartan }, webhook: { n8n: webhook } };
		for (const [side, { n8n }] of Object.entries(sides)) {
			const api = await new N8nApi(n8n.url).bootstrap();
			// Both get the credential: the same settings, whichever node runs
			sides[side].urls = await deploy(api, side, await credentialOf(api, appSecretKey), n8n, 'whenFinished');
		}
		return { ...sides, mode: 'single', respond: 'whenFinished', busyPids: [tartan.process.pid, webhook.process.pid], stop };
	} catch (error) {
		await stop();
		throw error;
	}
}

/** What the stack's webhook processor was started with for queue mode (database, Redis, mode), read from its environment. */
function queueSettingsOf(n8n) {
	const environ = fs.readFileSync(`/proc/${n8n.process.pid}/environ`, 'utf8').split('\0');
	const pairs = environ.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]);
	return Object.fromEntries(pairs.filter(([key]) => /^(DB_|QUEUE_BULL_|EXECUTIONS_MODE$|OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS$|WEBHOOK_URL$)/.test(key)));
}

/**
 * Queue mode, the workflows answering immediately (the Tartan Trigger's
 * default): a webhook processor's part ends when it has queued the run;
 * "when finished" would have it wait on n8n's Bull race, in which ~1-3 % of
 * answers never come (n8n-facts.md) and each such request stays pending in
 * the processor. Two ways (`shared`):
 *  - false (the default): a stack of its own per side (PostgreSQL, Redis,
 *    main, worker, webhook processor), the same settings. n8n 2.8.4's
 *    ScalingService keeps the result of every job finished anywhere in the
 *    stack (`jobResults`), and only the process that queued a job takes
 *    its result out again: in a shared stack each webhook processor would
 *    grow with the other one's executions.
 *  - true: one stack, a second webhook processor for the control; shows
 *    that growth of n8n's (the Webhook node accepts more requests, so more
 *    runs, whose results the Tartan side's processor then keeps).
 * Resolves to { tartan, webhook: { n8n, urls }, stacks, busyPids, stop() }.
 */
export async function startQueuePair({ appSecretKey, shared = false, env = soakEnv(), log = () => {} }) {
	const stacks = [];
	let control;
	const stop = async () => {
		await control?.stop();
		await Promise.allSettled(stacks.map((stack) => stack.stop()));
	};
	try {
		if (shared) {
			stacks.push(await startQueueStack({ workers: 1, env, log }));
			log('starting a second webhook processor (the control)...');
			control = await startN8n({ command: 'webhook', name: 'webhook-control', env: { ...queueSettingsOf(stacks[0].webhook), ...env } });
		} else {
			const started = await Promise.allSettled([0, 1].map(() => startQueueStack({ workers: 1, env, log })));
			stacks.push(...started.filter((s) => s.status === 'fulfilled').map((s) => s.value));
			const failed = started.find((s) => s.status === 'rejected');
			if (failed) throw failed.reason;
		}
		const apis = [];
		for (const stack of stacks) {
			const api = await new N8nApi(stack.main.url).bootstrap();
			apis.push({ api, credential: await credentialOf(api, appSecretKey) });
		}
		const sides = {};
		for (const [index, side] of ['tartan', 'webhook'].entries()) {
			const { api, credential } = apis[shared ? 0 : index];
			const receiver = shared && side === 'webhook' ? control : stacks[index].webhook;
			sides[side] = { n8n: receiver, urls: await deploy(api, side, credential, receiver, 'immediately') };
		}
		// What must be idle before a sample: both webhook processors and every worker (the runs they queued done)
		const busyPids = [sides.tartan.n8n, sides.webhook.n8n, ...stacks.flatMap((stack) => stack.workers)].map((n8n) => n8n.process.pid);
		return { ...sides, stacks, mode: shared ? 'queue-shared' : 'queue', respond: 'immediately', busyPids, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}

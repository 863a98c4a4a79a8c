// Talks to a running n8n 2.8.x: owner setup and login (REST, cookie), a public
// API key, and helpers over the public API (/api/v1) for credentials,
// workflows, activation and executions.
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export const OWNER = {
	email: 'owner@e2e.test',
	firstName: 'E2E',
	lastName: 'Owner',
	password: 'E2e-Password-1234',
};

const FINISHED = new Set(['success', 'error', 'canceled', 'crashed']);

export class ApiError extends Error {
	constructor(method, url, status, body) {
		super(`${method} ${url} -> ${status}: ${typeof body === 'string' ? body : JSON.stringify(body)}`);
		this.status = status;
		this.body = body;
	}
}

async function parse(res) {
	const text = await res.text();
	try {
		return text ? JSON.parse(text) : undefined;
	} catch {
		return text;
	}
}

/**
 * Replaces `@@NAME@@` tokens anywhere in strings of a JSON value. A string that
 * is exactly one token is replaced by the value itself (any JSON type).
 */
export function substitute(value, vars) {
	if (typeof value === 'string') {
		const whole = /^@@([A-Za-z0-9_]+)@@$/.exec(value);
		if (whole) {
			if (!(whole[1] in vars)) throw new Error(`no value for @@${whole[1]}@@`);
			return vars[whole[1]];
		}
		return value.replace(/@@([A-Za-z0-9_]+)@@/g, (_, name) => {
			if (!(name in vars)) throw new Error(`no value for @@${name}@@`);
			return String(vars[name]);
		});
	}
	if (Array.isArray(value)) return value.map((item) => substitute(item, vars));
	if (value && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, vars)]));
	}
	return value;
}

export class N8nApi {
	constructor(baseUrl) {
		this.baseUrl = baseUrl.replace(/\/+$/, '');
		this.cookie = undefined;
		this.apiKey = undefined;
	}

	/** REST (/rest/...) call with the login cookie; resolves to `data` of n8n's `{ data }` envelope. */
	async rest(method, path, body, { raw = false } = {}) {
		const url = `${this.baseUrl}/rest${path}`;
		const headers = { accept: 'application/json' };
		if (body !== undefined) headers['content-type'] = 'application/json';
		if (this.cookie) headers.cookie = this.cookie;
		const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
		this.#keepCookie(res);
		const parsed = await parse(res);
		if (raw) return { status: res.status, body: parsed };
		if (!res.ok) throw new ApiError(method, url, res.status, parsed);
		return parsed && typeof parsed === 'object' && 'data' in parsed ? parsed.data : parsed;
	}

	/** Public API (/api/v1/...) call with the API key. */
	async api(method, path, body, { raw = false } = {}) {
		if (!this.apiKey) throw new Error('no API key: call createApiKey() first');
		const url = `${this.baseUrl}/api/v1${path}`;
		const headers = { accept: 'application/json', 'x-n8n-api-key': this.apiKey };
		if (body !== undefined) headers['content-type'] = 'application/json';
		const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
		const parsed = await parse(res);
		if (raw) return { status: res.status, body: parsed };
		if (!res.ok) throw new ApiError(method, url, res.status, parsed);
		return parsed;
	}

	#keepCookie(res) {
		for (const line of res.headers.getSetCookie?.() ?? []) {
			const [pair] = line.split(';');
			if (pair.startsWith('n8n-auth=')) this.cookie = pair;
		}
	}

	/**
	 * POST /rest/owner/setup { email, firstName, lastName, password } (password:
	 * 8-64 chars, a digit and an upper-case letter). Answers with the user and an
	 * `n8n-auth` cookie (a JWT; no `browser-id` header is sent, so the JWT has no
	 * browser binding and the cookie works from any client).
	 */
	async setupOwner(owner = OWNER) {
		const user = await this.rest('POST', '/owner/setup', owner);
		if (!this.cookie) throw new Error('owner setup answered without an n8n-auth cookie');
		this.owner = owner;
		return user;
	}

	/** POST /rest/login { emailOrLdapLoginId, password } */
	async login(owner = this.owner ?? OWNER) {
		return await this.rest('POST', '/login', { emailOrLdapLoginId: owner.email, password: owner.password });
	}

	/**
	 * POST /rest/api-keys { label, scopes, expiresAt: null } -> { rawApiKey }.
	 * Without an enterprise licence n8n ignores the requested scopes and grants
	 * every scope of the user's role; the scopes sent are the ones
	 * GET /rest/api-keys/scopes offers, so that the request is valid either way.
	 */
	async createApiKey(label = 'e2e') {
		const scopes = await this.rest('GET', '/api-keys/scopes');
		const key = await this.rest('POST', '/api-keys', { label, scopes, expiresAt: null });
		this.apiKey = key.rawApiKey;
		return key;
	}

	/** Owner setup plus API key, the usual start of a test. */
	async bootstrap() {
		await this.setupOwner();
		await this.createApiKey();
		return this;
	}

	/** POST /api/v1/credentials { name, type, data } -> { id, name, type, ... } */
	async createCredential({ name, type, data }) {
		return await this.api('POST', '/credentials', { name, type, data });
	}

	/**
	 * Replaces a credential's data: PATCH /api/v1/credentials/:id { data } (n8n
	 * 2.x). n8n 1.x's public API has no PATCH for credentials (405); there the
	 * editor's call is used instead, PATCH /rest/credentials/:id { name, type,
	 * data }, which needs the credential's name and type.
	 */
	async updateCredential({ id, name, type }, data) {
		const res = await this.api('PATCH', `/credentials/${id}`, { data }, { raw: true });
		if (res.status >= 200 && res.status < 300) return res.body;
		if (res.status !== 405) throw new ApiError('PATCH', `${this.baseUrl}/api/v1/credentials/${id}`, res.status, res.body);
		return await this.rest('PATCH', `/credentials/${id}`, { name, type, data });
	}

	/** Creates a workflow from an object or a JSON file, with `@@NAME@@` tokens replaced from `vars`. */
	async importWorkflow(source, vars = {}) {
		const json = typeof source === 'string' ? JSON.parse(fs.readFileSync(source, 'utf8')) : source;
		const workflow = substitute(json, vars);
		// The public API takes exactly these keys (additionalProperties: false)
		const body = {
			name: workflow.name,
			nodes: workflow.nodes,
			connections: workflow.connections ?? {},
			settings: workflow.settings ?? { executionOrder: 'v1' },
		};
		if (workflow.staticData !== undefined) body.staticData = workflow.staticData;
		return await this.api('POST', '/workflows', body);
	}

	async getWorkflow(id) {
		return await this.api('GET', `/workflows/${id}`);
	}

	/** POST /api/v1/workflows/:id/activate ("publish" in n8n 2.x); registers production webhooks. */
	async activateWorkflow(id) {
		return await this.api('POST', `/workflows/${id}/activate`);
	}

	async deactivateWorkflow(id) {
		return await this.api('POST', `/workflows/${id}/deactivate`);
	}

	/** GET /api/v1/executions (finished ones only unless status=running), newest first, all pages. */
	async listExecutions({ workflowId, includeData = false, status } = {}) {
		const all = [];
		let cursor;
		do {
			const query = new URLSearchParams({ limit: '250', includeData: String(includeData) });
			if (workflowId) query.set('workflowId', String(workflowId));
			if (status) query.set('status', status);
			if (cursor) query.set('cursor', cursor);
			const page = await this.api('GET', `/executions?${query}`);
			all.push(...page.data);
			cursor = page.nextCursor;
		} while (cursor);
		return all;
	}

	async getExecution(id, { includeData = true } = {}) {
		return await this.api('GET', `/executions/${id}?includeData=${includeData}`);
	}

	/**
	 * Waits until the workflow has at least `count` finished executions; returns
	 * them oldest first, with data.
	 */
	async waitForExecutions(workflowId, count, { timeoutMs = 30_000, intervalMs = 250 } = {}) {
		const deadline = Date.now() + timeoutMs;
		let seen = [];
		while (Date.now() < deadline) {
			seen = await this.listExecutions({ workflowId });
			if (seen.filter((e) => FINISHED.has(e.status) || e.finished).length >= count) {
				const running = await this.listExecutions({ workflowId, status: 'running' });
				if (running.length === 0) break;
			}
			await sleep(intervalMs);
		}
		const finished = seen.filter((e) => FINISHED.has(e.status) || e.finished);
		if (finished.length < count) {
			throw new Error(
				`workflow ${workflowId}: ${finished.length} finished executions after ${timeoutMs} ms, wanted ${count} (${JSON.stringify(seen.map((e) => ({ id: e.id, status: e.status })))})`,
			);
		}
		const withData = [];
		for (const execution of finished.sort((a, b) => Number(a.id) - Number(b.id))) {
			withData.push(await this.getExecution(execution.id));
		}
		return withData;
	}

	/**
	 * Asserts, after `settleMs`, that the workflow has exactly `count` executions
	 * (running ones included): for "this request must not start an execution".
	 */
	async countExecutionsAfter(workflowId, settleMs = 1500) {
		await sleep(settleMs);
		const finished = await this.listExecutions({ workflowId });
		const running = await this.listExecutions({ workflowId, status: 'running' });
		return finished.length + running.length;
	}

	/**
	 * Runs a saved workflow manually, as the editor's "Execute workflow" button
	 * does: POST /rest/workflows/:id/run { workflowData, triggerToStartFrom:
	 * { name } } (workflowData.id must match the URL; without
	 * triggerToStartFrom n8n 2.8 wants a destinationNode). Resolves to
	 * { executionId }. For a trigger that needs a webhook n8n answers
	 * { waitingForWebhook: true } and waits for a call to the test URL instead.
	 */
	async runManually(id, { triggerNode } = {}) {
		const workflowData = await this.rest('GET', `/workflows/${id}`);
		const name =
			triggerNode ??
			(workflowData.nodes.find((node) => /manualTrigger$/i.test(node.type)) ?? workflowData.nodes[0]).name;
		return await this.rest('POST', `/workflows/${id}/run`, { workflowData, triggerToStartFrom: { name } });
	}

	/** Node types n8n loaded, as the editor gets them: GET /types/nodes.json (needs the login cookie). */
	async nodeTypes() {
		const res = await fetch(`${this.baseUrl}/types/nodes.json`, { headers: { cookie: this.cookie ?? '' } });
		if (!res.ok) throw new ApiError('GET', '/types/nodes.json', res.status, await parse(res));
		return await res.json();
	}

	async credentialTypes() {
		const res = await fetch(`${this.baseUrl}/types/credentials.json`, { headers: { cookie: this.cookie ?? '' } });
		if (!res.ok) throw new ApiError('GET', '/types/credentials.json', res.status, await parse(res));
		return await res.json();
	}
}

/** The items one node output in an execution read with includeData=true. */
export function nodeOutput(execution, nodeName, { run = 0, output = 0 } = {}) {
	const runs = execution?.data?.resultData?.runData?.[nodeName];
	if (!runs) return undefined;
	return runs[run]?.data?.main?.[output] ?? [];
}

/** Names of the nodes that ran in an execution. */
export function nodesThatRan(execution) {
	return Object.keys(execution?.data?.resultData?.runData ?? {});
}

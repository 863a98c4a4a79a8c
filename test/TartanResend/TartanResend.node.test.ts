/**
 * Tartan Resend run in-process by n8n-core (real execution context, request
 * helpers and credential authentication) against the local Tartan sandbox,
 * which validates every body against the seed's OpenAPI document.
 */
import { randomBytes } from 'crypto';
import { NodeApiError, NodeHelpers, NodeOperationError, type IDataObject, type INode, type INodeType } from 'n8n-workflow';

import { SANDBOX_CREDENTIALS, startSandbox, type Sandbox } from '../sandbox/server';
import { runNode } from '../harness/runNode';
import { testCredential } from '../harness/testCredential';
import { TartanApi } from '../../credentials/TartanApi.credentials';
import { TartanResend } from '../../nodes/TartanResend/TartanResend.node';
import { SEARCH_TYPES, type FieldName } from '../../nodes/TartanResend/searchTypes';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => sandbox.reset());

const credentials = (apiKey = SANDBOX_CREDENTIALS.apiKey) => ({
	tartanApi: { environment: 'dev', baseUrl: sandbox.url, apiKey },
});

const PARAMS: Record<FieldName, string | number> = {
	syncSessionId: '6754fec7-d3db-458a-942b-85bfc5822c82',
	webhookCounter: '1, 2, 5',
	status: 'fail',
	requestTimestamp: '2025-05-25T00:00:00Z',
	endRequestTimestamp: 1748217600,
	clientOrgId: 'f47ac10b-58cc-4372-a567-0e02b2c3d479',
	requestId: 'b7cc9282-3587-4403-8589-fd0e9f87cf97',
};
const API_VALUES: Record<FieldName, IDataObject[string]> = {
	syncSessionId: PARAMS.syncSessionId,
	webhookCounter: [1, 2, 5],
	status: 'fail',
	requestTimestamp: 1748131200,
	endRequestTimestamp: 1748217600,
	clientOrgId: PARAMS.clientOrgId,
	requestId: PARAMS.requestId,
};
const API_NAMES: Record<FieldName, string> = {
	syncSessionId: 'sync_session_id',
	webhookCounter: 'webhook_counter',
	status: 'status',
	requestTimestamp: 'request_timestamp',
	endRequestTimestamp: 'end_request_timestamp',
	clientOrgId: 'client_org_id',
	requestId: 'request_id',
};

const run = (parameters: IDataObject, extra: Partial<Parameters<typeof runNode>[0]> = {}) =>
	runNode({
		nodeType: new TartanResend(),
		credentialTypes: [new TartanApi()],
		credentials: credentials(),
		parameters: parameters as never,
		...extra,
	});

/** No error message, description or output may contain a credential secret. */
function expectNoSecret(value: unknown) {
	const text = JSON.stringify(value, Object.getOwnPropertyNames(value ?? {}));
	for (const secret of Object.values(SANDBOX_CREDENTIALS)) expect(text).not.toContain(secret);
}

describe('every operation sends its body, validated by the sandbox against the seed', () => {
	it.each(SEARCH_TYPES.map((t) => [t.value, t.fields] as const))('%s', async (operation, fields) => {
		const parameters: IDataObject = { operation };
		for (const field of fields) parameters[field] = PARAMS[field];
		const result = await run(parameters);

		expect(result.error).toBeUndefined();
		const [request] = sandbox.requestsFor('resend');
		expect(sandbox.requestsFor('resend')).toHaveLength(1);
		const expected: IDataObject = { search_type: operation };
		for (const field of fields) expected[API_NAMES[field]] = API_VALUES[field];
		expect(request.body).toEqual(expected);
		expect(request.headers.authorization).toBe(SANDBOX_CREDENTIALS.apiKey);
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		expect(request.response?.status).toBe(200);
		expect(result.items).toEqual([
			{ json: { success: true, message: 'Webhook resend triggered successfully.' }, pairedItem: { item: 0 } },
		]);
	});
});

it('sends one request per input item, with values from expressions, each output paired', async () => {
	const ids = ['0f8fad5b-d9cb-469f-a165-70867728950e', '7c9e6679-7425-40de-944b-e07fc1f90ae7'];
	const result = await run(
		{ operation: 'request_id', requestId: '={{ $json.requestId }}' },
		{ items: ids.map((requestId) => ({ json: { requestId } })) },
	);
	expect(sandbox.requestsFor('resend').map((r) => (r.body as IDataObject).request_id)).toEqual(ids);
	expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
});

it('reads and decrypts its credential once per run, not once or twice per item', async () => {
	const ids = ['0f8fad5b-d9cb-469f-a165-70867728950e', '7c9e6679-7425-40de-944b-e07fc1f90ae7', 'b7cc9282-3587-4403-8589-fd0e9f87cf97'];
	const result = await run(
		{ operation: 'request_id', requestId: '={{ $json.requestId }}' },
		{ items: ids.map((requestId) => ({ json: { requestId } })) },
	);
	expect(result.error).toBeUndefined();
	expect(result.credentialsHelper.decryptions).toEqual(['tartanApi']);
	// ...and n8n still authenticates every request with it
	expect(result.credentialsHelper.authenticatedRequests).toHaveLength(3);
	expect(sandbox.requestsFor('resend').map((r) => r.headers.authorization)).toEqual(ids.map(() => SANDBOX_CREDENTIALS.apiKey));
});

it('accepts counters as an array from an expression', async () => {
	await run(
		{ operation: 'sync_session_counter', syncSessionId: PARAMS.syncSessionId, webhookCounter: '={{ [3, 4] }}' },
	);
	expect((sandbox.requests[0].body as IDataObject).webhook_counter).toEqual([3, 4]);
});

it('refuses an invalid field before any request, naming the field and the item', async () => {
	const result = await run({ operation: 'sync_session_counter', syncSessionId: PARAMS.syncSessionId, webhookCounter: '0' });
	expect(result.error).toBeInstanceOf(NodeOperationError);
	expect(result.error!.message).toBe(
		'"Webhook Counters" (webhookCounter) must be whole numbers of 1 or more, e.g. 1, 2, 5 in item 1',
	);
	expect(sandbox.requests).toHaveLength(0);
});

describe('faults', () => {
	it('retries 503, 503 and succeeds', async () => {
		sandbox.script('resend', [{ status: 503 }, { status: 503 }]);
		const result = await run({ operation: 'org_only', clientOrgId: PARAMS.clientOrgId });
		expect(result.error).toBeUndefined();
		expect(sandbox.requestsFor('resend').map((r) => r.response?.status)).toEqual([503, 503, 200]);
		expect(result.items[0].json.success).toBe(true);
	});

	it('waits as long as Retry-After says on 429', async () => {
		sandbox.script('resend', [{ status: 429, headers: { 'retry-after': '2' } }]);
		const result = await run({ operation: 'org_only', clientOrgId: PARAMS.clientOrgId });
		expect(result.error).toBeUndefined();
		const [first, second] = sandbox.requestsFor('resend');
		expect(second.receivedAt.getTime() - first.receivedAt.getTime()).toBeGreaterThanOrEqual(1900);
	});

	it('retries a dropped connection', async () => {
		sandbox.script('resend', [{ drop: true }]);
		const result = await run({ operation: 'org_only', clientOrgId: PARAMS.clientOrgId });
		expect(result.error).toBeUndefined();
		expect(sandbox.requestsFor('resend')).toHaveLength(2);
	});

	it('says where it could not connect, after its retries', async () => {
		const result = await run(
			{ operation: 'org_only', clientOrgId: PARAMS.clientOrgId, options: { retries: 1 } },
			{ credentials: { tartanApi: { baseUrl: 'http://127.0.0.1:1', apiKey: SANDBOX_CREDENTIALS.apiKey } } },
		);
		expect(result.error).toBeInstanceOf(NodeApiError);
		expect(result.error!.message).toBe('Could not reach Tartan at http://127.0.0.1:1: connection refused (after 2 attempts)');
		expect(result.error!.description).toMatch(/^ECONNREFUSED\. Check the Environment/);
		expectNoSecret(result.error);
	});

	it('gives up after the configured retries with a clear error', async () => {
		sandbox.script('resend', [{ status: 502 }, { status: 503 }, { status: 504 }]);
		const result = await run({ operation: 'org_only', clientOrgId: PARAMS.clientOrgId, options: { retries: 1 } });
		expect(result.error).toBeInstanceOf(NodeApiError);
		expect(result.error!.message).toBe('Tartan answered 503: Service Unavailable (scripted) (after 2 attempts)');
		expect(sandbox.requestsFor('resend')).toHaveLength(2);
	});

	it('does not retry a 400, and carries Tartan\'s message and the item', async () => {
		sandbox.script('resend', [{ status: 400, body: { success: false, message: 'sync session not found' } }]);
		const result = await run({ operation: 'org_only', clientOrgId: PARAMS.clientOrgId });
		expect(result.error).toBeInstanceOf(NodeApiError);
		expect(result.error!.message).toBe('Tartan rejected item 1 as invalid (400): sync session not found');
		expect((result.error as NodeApiError).httpCode).toBe('400');
		expect(sandbox.requestsFor('resend')).toHaveLength(1);
	});

	it('does not retry a 401, points at the credential and leaks no key', async () => {
		const wrongKey = randomBytes(16).toString('hex');
		const result = await run(
			{ operation: 'org_only', clientOrgId: PARAMS.clientOrgId },
			{ credentials: credentials(wrongKey) },
		);
		expect(result.error).toBeInstanceOf(NodeApiError);
		expect(result.error!.message).toBe(
			'Tartan did not accept the "Tartan API" credential (401): Unauthorized – Invalid token',
		);
		expect(result.error!.description).toContain(sandbox.url);
		expect(sandbox.requestsFor('resend')).toHaveLength(1);
		expectNoSecret(result.error);
		expect(JSON.stringify(result.run)).not.toContain(wrongKey);
	});

	it('masks a secret that Tartan echoes in its message', async () => {
		sandbox.script('resend', [
			{ status: 400, body: { success: false, message: `bad key ${SANDBOX_CREDENTIALS.apiKey}` } },
		]);
		const result = await run({ operation: 'org_only', clientOrgId: PARAMS.clientOrgId });
		expect(result.error!.message).toBe('Tartan rejected item 1 as invalid (400): bad key ***');
	});

	it('with continue on fail, gives an error item per failed input and goes on', async () => {
		const good = PARAMS.clientOrgId as string;
		const result = await run(
			{ operation: 'org_only', clientOrgId: '={{ $json.org }}' },
			{
				continueOnFail: true,
				items: [{ json: { org: good } }, { json: { org: 'not-a-uuid' } }, { json: { org: good } }],
			},
		);
		expect(result.items).toHaveLength(3);
		expect(result.items[0]).toEqual({ json: { success: true, message: 'Webhook resend triggered successfully.' }, pairedItem: { item: 0 } });
		expect(result.items[1].pairedItem).toEqual({ item: 1 });
		expect(result.items[1].json.error).toMatch(/^"Client Org ID" \(clientOrgId\) must be a UUID.* in item 2$/);
		expect(result.items[2].pairedItem).toEqual({ item: 2 });
		expect(result.items[2].json.success).toBe(true);
		expect(sandbox.requestsFor('resend')).toHaveLength(2);
	});
});

it('refuses an unusable base URL in the credential, naming the credential', async () => {
	const result = await run(
		{ operation: 'org_only', clientOrgId: PARAMS.clientOrgId },
		{ credentials: { tartanApi: { environment: 'dev', baseUrl: 'ftp://x', apiKey: 'k' } } },
	);
	expect(result.error!.message).toBe(
		'Tartan API credential: Base URL "ftp://x" must start with https:// (or http:// for a local sandbox)',
	);
});

describe('the Tartan API credential test', () => {
	it('passes with the right key: a read-only GET of the employee list, with the key as Authorization', async () => {
		const result = await testCredential({
			credentialType: new TartanApi(),
			data: { environment: 'dev', baseUrl: `${sandbox.url}/`, apiKey: SANDBOX_CREDENTIALS.apiKey },
		});
		expect(result.status).toBe('OK');
		expect(sandbox.requests.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([
			['GET', '/api/v2/employee_list', SANDBOX_CREDENTIALS.apiKey],
		]);
	});

	it('fails with a wrong key, and changes nothing at Tartan', async () => {
		const result = await testCredential({
			credentialType: new TartanApi(),
			data: { environment: 'dev', baseUrl: sandbox.url, apiKey: randomBytes(8).toString('hex') },
		});
		expect(result.status).toBe('Error');
		expect(sandbox.requests.every((r) => r.method === 'GET')).toBe(true);
	});
});

describe('as an AI Agent tool', () => {
	/** The `tartanResendTool` variant n8n generates from `usableAsTool`. */
	function toolType() {
		const nodeType = new TartanResend();
		nodeType.description = { ...nodeType.description, name: 'tartanResendTool' };
		return nodeType;
	}

	it('the automatic tool description is the chosen operation\'s own action', () => {
		const { description } = new TartanResend();
		const texts = SEARCH_TYPES.map((t) =>
			NodeHelpers.getToolDescriptionForNode(
				{ parameters: { descriptionType: 'auto', resource: 'webhook', operation: t.value } } as unknown as INode,
				{ description } as INodeType,
			),
		);
		expect(texts).toEqual(SEARCH_TYPES.map((t) => `${t.action} in Tartan Resend`));
		expect(new Set(texts).size).toBe(SEARCH_TYPES.length);
	});

	it('a refusal by Tartan (401) goes back to the model, with a warning hint on the run; no "in item"', async () => {
		const result = await run(
			{ operation: 'request_id', requestId: PARAMS.requestId },
			{ nodeType: toolType(), credentials: credentials('wrong-key') },
		);
		expect(result.status).toBe('success');
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json.error).toMatch(/^Tartan did not accept the "Tartan API" credential \(401\)/);
		expect(JSON.stringify(result.items[0].json)).not.toMatch(/in item/);
		expect(result.taskData?.hints).toEqual([
			expect.objectContaining({ type: 'warning', message: expect.stringMatching(/Tartan refused this tool call \(401\)/) }),
		]);
	});

	it('an invalid argument names the field, without an item number, and says to call again', async () => {
		const result = await run({ operation: 'request_id', requestId: 'not-a-uuid' }, { nodeType: toolType() });
		expect(result.items[0].json).toEqual({
			error: expect.stringMatching(/^"Request ID" \(requestId\) must be a UUID.*Allow Non-UUID IDs$/),
			hint: 'Nothing was sent to Tartan. Call the tool again with a corrected value.',
		});
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe("n8n's Custom API Call entry", () => {
	it('picked as the resource, the node refuses and points to the HTTP Request node', async () => {
		const result = await run({ resource: '__CUSTOM_API_CALL__' });
		expect(result.error?.message).toMatch(/HTTP Request node with the predefined credential type "Tartan API"/);
		expect(sandbox.requests).toHaveLength(0);
	});
});

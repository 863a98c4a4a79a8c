/**
 * Tartan Sync Callback run in-process by n8n-core (real execution context,
 * request and binary helpers, credential authentication) against the local
 * Tartan sandbox, which parses multipart bodies with a real parser.
 */
import { createHash, randomBytes } from 'crypto';
import { NodeApiError, NodeOperationError, type IDataObject, type INodeExecutionData } from 'n8n-workflow';

import { SANDBOX_CREDENTIALS, startSandbox, type Sandbox } from '../sandbox/server';
import { runNode } from '../harness/runNode';
import { TartanBearerApi } from '../../credentials/TartanBearerApi.credentials';
import { TartanUsernamePasswordApi } from '../../credentials/TartanUsernamePasswordApi.credentials';
import { TartanSyncCallback } from '../../nodes/TartanSyncCallback/TartanSyncCallback.node';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => sandbox.reset());

const credentials = () => ({
	tartanBearerApi: { environment: 'dev', baseUrl: sandbox.url, token: SANDBOX_CREDENTIALS.bearerToken },
	tartanUsernamePasswordApi: {
		environment: 'dev',
		baseUrl: sandbox.url,
		username: SANDBOX_CREDENTIALS.username,
		password: SANDBOX_CREDENTIALS.password,
	},
});

const run = (parameters: IDataObject, extra: Partial<Parameters<typeof runNode>[0]> = {}) =>
	runNode({
		nodeType: new TartanSyncCallback(),
		credentialTypes: [new TartanBearerApi(), new TartanUsernamePasswordApi()],
		credentials: credentials(),
		parameters: parameters as never,
		...extra,
	});

const OK = { success: true, message: 'Sync successful' };

function expectNoSecret(value: unknown) {
	const text = JSON.stringify(value, Object.getOwnPropertyNames(value ?? {}));
	for (const secret of Object.values(SANDBOX_CREDENTIALS)) expect(text).not.toContain(secret);
}

describe('JSON with the bearer token', () => {
	it('sends the fields as application/json with Authorization: Bearer and no username/password headers', async () => {
		const result = await run({
			authentication: 'bearerToken',
			send: 'fields',
			name: 'Asha Rao',
			email: 'asha@example.com',
			additionalFields: { field: [{ name: 'employeeId', value: 'E-42' }] },
		});
		expect(result.error).toBeUndefined();
		const [request] = sandbox.requestsFor('callback');
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		expect(request.headers.authorization).toBe(`Bearer ${SANDBOX_CREDENTIALS.bearerToken}`);
		expect(request.headers).not.toHaveProperty('username');
		expect(request.headers).not.toHaveProperty('password');
		expect(request.body).toEqual({ name: 'Asha Rao', email: 'asha@example.com', employeeId: 'E-42' });
		expect(request.response?.status).toBe(200);
		expect(result.items).toEqual([{ json: OK, pairedItem: { item: 0 } }]);
	});

	it('sends the whole input item as it is', async () => {
		const record = { name: 'Zoë Fernandes', email: 'zoe@example.com', bankDetails: { bankName: 'SBI' }, webhook: { event: 'sync.events.employee.add' } };
		await run({ authentication: 'bearerToken', send: 'wholeItem' }, { items: [{ json: record }] });
		expect(sandbox.requests[0].body).toEqual(record);
	});

	it('refuses an invalid email before sending, naming the field and the item', async () => {
		const result = await run(
			{ authentication: 'bearerToken', send: 'wholeItem' },
			{ items: [{ json: { name: 'A', email: 'a@example.com' } }, { json: { name: 'B', email: 'b-at-example' } }] },
		);
		expect(result.error).toBeInstanceOf(NodeOperationError);
		expect(result.error!.message).toBe('"email" must be an email address, e.g. name@example.com in item 2');
		// Item 1 was valid and sent before item 2 failed; nothing of item 2 reached Tartan.
		expect(sandbox.requests.map((r) => (r.body as IDataObject).name)).toEqual(['A']);
	});

	it('turns a 401 into an error about the credential, without the token', async () => {
		const wrongToken = randomBytes(16).toString('hex');
		const result = await run(
			{ authentication: 'bearerToken', send: 'fields', name: 'A' },
			{ credentials: { tartanBearerApi: { baseUrl: sandbox.url, token: wrongToken } } },
		);
		expect(result.error).toBeInstanceOf(NodeApiError);
		expect(result.error!.message).toBe(
			'Tartan did not accept the "Tartan Bearer Token API" credential (401): Unauthorized – Invalid token',
		);
		expect(JSON.stringify(result.run)).not.toContain(wrongToken);
		expectNoSecret(result.run);
	});

	it('turns a 400 into an error carrying Tartan\'s message', async () => {
		sandbox.script('callback', [{ status: 400, body: { success: false, message: 'email already registered' } }]);
		const result = await run({ authentication: 'bearerToken', send: 'fields', name: 'A', email: 'a@example.com' });
		expect(result.error!.message).toBe('Tartan rejected item 1 as invalid (400): email already registered');
		expect(sandbox.requests).toHaveLength(1);
	});

	it('retries 503 then succeeds, through the same transport as Resend', async () => {
		sandbox.script('callback', [{ status: 503 }]);
		const result = await run({ authentication: 'bearerToken', send: 'fields', name: 'A' });
		expect(result.error).toBeUndefined();
		expect(sandbox.requests.map((r) => r.response?.status)).toEqual([503, 200]);
	});
});

describe('multipart/form-data with username and password', () => {
	it('sends fields and a 5 MB binary attachment byte for byte, with username/password headers and no Authorization', async () => {
		const file = randomBytes(5 * 1024 * 1024);
		const item: INodeExecutionData = {
			json: { name: 'Zoë Fernandes — ಬೆಂಗಳೂರು', email: 'zoe@example.com', address: { city: 'Pune' }, active: true },
			binary: {
				data: {
					data: file.toString('base64'),
					mimeType: 'text/csv',
					fileName: 'employees – März.csv',
				},
			},
		};
		const result = await run(
			{
				authentication: 'usernamePassword',
				send: 'wholeItem',
				attachments: { attachment: [{ binaryProperty: 'data', fieldName: 'file' }] },
			},
			{ items: [item] },
		);
		expect(result.error).toBeUndefined();
		const [request] = sandbox.requestsFor('callback');
		expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
		expect(request.headers.username).toBe(SANDBOX_CREDENTIALS.username);
		expect(request.headers.password).toBe(SANDBOX_CREDENTIALS.password);
		expect(request.headers).not.toHaveProperty('authorization');
		const parts = request.parts!;
		const field = (name: string) => parts.find((p) => p.name === name && 'value' in p) as { value: string } | undefined;
		expect(field('name')?.value).toBe('Zoë Fernandes — ಬೆಂಗಳೂರು');
		expect(field('email')?.value).toBe('zoe@example.com');
		expect(field('address')?.value).toBe('{"city":"Pune"}');
		expect(field('active')?.value).toBe('true');
		const filePart = parts.find((p) => p.name === 'file') as { filename: string; mimeType: string; data: Buffer };
		expect(filePart.filename).toBe('employees – März.csv');
		expect(filePart.mimeType).toBe('text/csv');
		expect(filePart.data.length).toBe(file.length);
		expect(createHash('sha256').update(filePart.data).digest('hex')).toBe(createHash('sha256').update(file).digest('hex'));
		expect(result.items).toEqual([{ json: OK, pairedItem: { item: 0 } }]);
	});

	it('names a missing binary property', async () => {
		const result = await run({
			authentication: 'usernamePassword',
			send: 'fields',
			name: 'A',
			attachments: { attachment: [{ binaryProperty: 'report' }] },
		});
		expect(result.error).toBeInstanceOf(NodeOperationError);
		expect(result.error!.message).toMatch(/report/);
		expect(sandbox.requests).toHaveLength(0);
	});

	it('turns a wrong password into an error about the credential, without the password', async () => {
		const wrongPassword = randomBytes(16).toString('hex');
		const result = await run(
			{ authentication: 'usernamePassword', send: 'fields', name: 'A' },
			{
				credentials: {
					tartanUsernamePasswordApi: { baseUrl: sandbox.url, username: SANDBOX_CREDENTIALS.username, password: wrongPassword },
				},
			},
		);
		expect(result.error!.message).toBe(
			'Tartan did not accept the "Tartan Username & Password API" credential (401): Unauthorized – Invalid token',
		);
		expect(JSON.stringify(result.run)).not.toContain(wrongPassword);
	});
});

describe('many items', () => {
	const employees = Array.from({ length: 7 }, (_, i) => ({ json: { name: `Employee ${i + 1}`, email: `e${i + 1}@example.com` } }));

	it('sends them concurrently when allowed, and keeps the output in input order, paired', async () => {
		sandbox.setLatency('callback', 400);
		const result = await run(
			{ authentication: 'bearerToken', send: 'wholeItem', options: { concurrency: 3 } },
			{ items: employees },
		);
		expect(result.error).toBeUndefined();
		expect(sandbox.requests).toHaveLength(7);
		expect(result.items.map((i) => i.pairedItem)).toEqual(employees.map((_, item) => ({ item })));
		// With three at once, some requests arrived before earlier ones were answered.
		const arrivals = sandbox.requests.map((r) => r.receivedAt.getTime());
		expect(arrivals[2] - arrivals[0]).toBeLessThan(400);
	});

	it('sends them one at a time by default, in order', async () => {
		sandbox.setLatency('callback', 50);
		await run({ authentication: 'bearerToken', send: 'wholeItem' }, { items: employees.slice(0, 3) });
		const arrivals = sandbox.requests.map((r) => r.receivedAt.getTime());
		expect(sandbox.requests.map((r) => (r.body as IDataObject).name)).toEqual(['Employee 1', 'Employee 2', 'Employee 3']);
		expect(arrivals[1] - arrivals[0]).toBeGreaterThanOrEqual(45);
	});

	it('with continue on fail, reports the bad item in place and sends the others', async () => {
		const items = [...employees.slice(0, 2), { json: { name: '', email: 'x@example.com' } }, employees[2]];
		const result = await run(
			{ authentication: 'bearerToken', send: 'wholeItem', options: { concurrency: 2 } },
			{ items, continueOnFail: true },
		);
		expect(result.items).toHaveLength(4);
		expect(result.items[2]).toEqual({
			json: { error: '"name" must not be empty in item 3' },
			error: expect.objectContaining({ description: 'Nothing was sent to Tartan for this item.' }),
			pairedItem: { item: 2 },
		});
		expect(result.items.filter((i) => i.json.success === true)).toHaveLength(3);
		expect(sandbox.requests).toHaveLength(3);
	});
});

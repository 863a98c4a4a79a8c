import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	JsonObject,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { binaryItem, runNode } from './runNode';
import { startHttpTestServer } from './httpTestServer';
import type { HttpTestServer } from './httpTestServer';

// ---------------------------------------------------------------------------------------------
// A tiny credential type and node type, defined here so the harness is proven independently of
// the package's own nodes.
// ---------------------------------------------------------------------------------------------

class HarnessDemoApi implements ICredentialType {
	name = 'harnessDemoApi';

	displayName = 'Harness Demo API';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{ displayName: 'Region', name: 'region', type: 'string', default: 'eu-west' },
		{ displayName: 'Tenant', name: 'tenant', type: 'string', default: '' },
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
				'X-Region': '={{$credentials.region}}',
			},
			qs: { tenant: '={{$credentials.tenant}}' },
		},
	};
}

/** Same credential, but authenticating with a function instead of a generic object. */
class HarnessDemoFunctionApi implements ICredentialType {
	name = 'harnessDemoApi';

	displayName = 'Harness Demo API (function auth)';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			headers: { ...requestOptions.headers, 'X-Api-Key': `fn:${credentials.apiKey as string}` },
		};
	}
}

class HarnessDemo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Demo',
		name: 'harnessDemo',
		group: ['transform'],
		version: 1,
		description: 'POSTs each item to a URL',
		defaults: { name: 'Harness Demo' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'harnessDemoApi', required: true }],
		usableAsTool: true,
		properties: [
			{ displayName: 'URL', name: 'url', type: 'string', default: '', required: true },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const returnData: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			try {
				const url = this.getNodeParameter('url', i) as string;
				const response = (await this.helpers.httpRequestWithAuthentication.call(
					this,
					'harnessDemoApi',
					{ method: 'POST', url, body: items[i].json, json: true },
				)) as IDataObject;
				returnData.push({ json: response, pairedItem: { item: i } });
			} catch (error) {
				if (this.continueOnFail()) {
					returnData.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
					continue;
				}
				// what lint-clean node code does; NodeApiError returns an existing NodeApiError as is
				throw new NodeApiError(this.getNode(), error as JsonObject);
			}
		}
		return [returnData];
	}
}

/** Reads each item's binary `data`, upper-cases it, and returns it as new binary `result`. */
class HarnessBinaryDemo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Binary Demo',
		name: 'harnessBinaryDemo',
		group: ['transform'],
		version: [1, 2],
		description: 'Upper-cases binary data',
		defaults: { name: 'Harness Binary Demo' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const returnData: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			this.helpers.assertBinaryData(i, 'data');
			const buffer = await this.helpers.getBinaryDataBuffer(i, 'data');
			const upper = Buffer.from(buffer.toString('utf8').toUpperCase(), 'utf8');
			const result = await this.helpers.prepareBinaryData(upper, 'upper.txt', 'text/plain');
			returnData.push({
				json: { bytes: buffer.length, version: this.getNode().typeVersion },
				binary: { result },
				pairedItem: { item: i },
			});
		}
		return [returnData];
	}
}

/** Throws a NodeOperationError for item 1; does NOT handle continueOnFail itself. */
class HarnessThrower implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Thrower',
		name: 'harnessThrower',
		group: ['transform'],
		version: 1,
		description: 'Throws',
		defaults: { name: 'Harness Thrower' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		items.forEach((_item, i) => {
			if (i === 1) throw new NodeOperationError(this.getNode(), 'item 1 is bad', { itemIndex: i });
		});
		return [items];
	}
}

// ---------------------------------------------------------------------------------------------

describe('runNode harness (n8n-core WorkflowExecute, real HTTP, real credential authentication)', () => {
	let server: HttpTestServer;

	beforeAll(async () => {
		server = await startHttpTestServer();
	});

	afterAll(async () => {
		await server.close();
	});

	beforeEach(() => server.reset());

	const credentials = { harnessDemoApi: { apiKey: 'key-123', tenant: 'acme' } };

	it('sends each item with the generic-auth header/qs resolved from the credential, and pairs the output', async () => {
		const result = await runNode({
			nodeType: new HarnessDemo(),
			credentialTypes: [new HarnessDemoApi()],
			credentials,
			parameters: { url: `${server.url}/events` },
			items: [{ json: { id: 1, name: 'first' } }, { json: { id: 2, name: 'second' } }],
		});

		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		expect(server.requests).toHaveLength(2);
		for (const [i, request] of server.requests.entries()) {
			expect(request.method).toBe('POST');
			expect(request.path).toBe('/events');
			expect(request.url).toBe('/events?tenant=acme');
			expect(request.headers.authorization).toBe('Bearer key-123');
			// the credential property's default, applied as n8n applies defaults
			expect(request.headers['x-region']).toBe('eu-west');
			expect(request.headers['content-type']).toMatch(/application\/json/);
			expect(request.body).toEqual([
				{ id: 1, name: 'first' },
				{ id: 2, name: 'second' },
			][i]);
		}

		expect(result.items).toEqual([
			{ json: { ok: true, received: { id: 1, name: 'first' } }, pairedItem: { item: 0 } },
			{ json: { ok: true, received: { id: 2, name: 'second' } }, pairedItem: { item: 1 } },
		]);
		expect(result.credentialsHelper.authenticatedRequests).toHaveLength(2);
	});

	it('resolves parameter expressions per item with the real expression engine', async () => {
		const result = await runNode({
			nodeType: new HarnessDemo(),
			credentialTypes: [new HarnessDemoApi()],
			credentials,
			parameters: { url: `={{ "${server.url}/items/" + $json.id }}` },
			items: [{ json: { id: 'a' } }, { json: { id: 'b' } }],
		});
		expect(result.error).toBeUndefined();
		expect(server.requests.map((r) => r.path)).toEqual(['/items/a', '/items/b']);
	});

	it('resolves expressions inside the stored credential data', async () => {
		await runNode({
			nodeType: new HarnessDemo(),
			credentialTypes: [new HarnessDemoApi()],
			credentials: { harnessDemoApi: { apiKey: '={{ "key-" + (40 + 2) }}', tenant: 't' } },
			parameters: { url: `${server.url}/x` },
		});
		expect(server.requests[0].headers.authorization).toBe('Bearer key-42');
	});

	it('applies an authenticate FUNCTION as n8n does', async () => {
		await runNode({
			nodeType: new HarnessDemo(),
			credentialTypes: [new HarnessDemoFunctionApi()],
			credentials: { harnessDemoApi: { apiKey: 'abc' } },
			parameters: { url: `${server.url}/fn` },
		});
		expect(server.requests[0].headers['x-api-key']).toBe('fn:abc');
		expect(server.requests[0].headers.authorization).toBeUndefined();
	});

	it('with continueOnFail, a 500 becomes an error item and the remaining items still run', async () => {
		server.setResponder((request) =>
			(request.body as IDataObject).id === 2
				? { status: 500, body: { message: 'boom' } }
				: { status: 200, body: { ok: true, id: (request.body as IDataObject).id } },
		);
		const result = await runNode({
			nodeType: new HarnessDemo(),
			credentialTypes: [new HarnessDemoApi()],
			credentials,
			parameters: { url: `${server.url}/events` },
			items: [{ json: { id: 1 } }, { json: { id: 2 } }, { json: { id: 3 } }],
			continueOnFail: true,
		});

		expect(server.requests).toHaveLength(3);
		expect(result.status).toBe('success');
		expect(result.error).toBeUndefined(); // the node handled it itself
		expect(result.items).toHaveLength(3);
		expect(result.items[0]).toEqual({ json: { ok: true, id: 1 }, pairedItem: { item: 0 } });
		expect(result.items[1].pairedItem).toEqual({ item: 1 });
		// NodeApiError's message for a 5xx, as n8n shows it
		expect(result.items[1].json.error).toBe('The service was not able to process your request');
		expect(result.items[2]).toEqual({ json: { ok: true, id: 3 }, pairedItem: { item: 2 } });
	});

	it('without continueOnFail, the run fails with the NodeApiError the node threw', async () => {
		server.setResponder((request) =>
			(request.body as IDataObject).id === 2
				? { status: 500, body: { message: 'boom' } }
				: { status: 200, body: { ok: true } },
		);
		const result = await runNode({
			nodeType: new HarnessDemo(),
			credentialTypes: [new HarnessDemoApi()],
			credentials,
			parameters: { url: `${server.url}/events` },
			items: [{ json: { id: 1 } }, { json: { id: 2 } }, { json: { id: 3 } }],
		});

		expect(server.requests).toHaveLength(2); // stopped at the failing item
		expect(result.status).toBe('error');
		expect(result.items).toEqual([]);
		expect(result.error).toBeInstanceOf(NodeApiError);
		expect((result.error as NodeApiError).httpCode).toBe('500');
		expect(result.error?.message).toBe('The service was not able to process your request');
		expect(result.error?.description).toBe('boom');
		expect((result.error as NodeApiError).node.name).toBe('Node Under Test');
		expect(result.run.data.resultData.error?.message).toBe(result.error?.message);
		expect(result.taskData?.executionStatus).toBe('error');
	});

	it("n8n's own onError handling: a node that throws with continueOnFail passes its input through", async () => {
		const items = [{ json: { n: 0 } }, { json: { n: 1 } }];
		const continued = await runNode({
			nodeType: new HarnessThrower(),
			parameters: {},
			items,
			continueOnFail: true,
		});
		// n8n-core passes the node's input through as its output, but since the erroring node is
		// the last one executed, WorkflowExecute still ends the run with status 'error'.
		expect(continued.status).toBe('error');
		expect(continued.error).toBeInstanceOf(NodeOperationError);
		expect(continued.error?.message).toBe('item 1 is bad');
		expect(continued.items.map((item) => item.json)).toEqual([{ n: 0 }, { n: 1 }]);

		const failed = await runNode({ nodeType: new HarnessThrower(), parameters: {}, items });
		expect(failed.status).toBe('error');
		expect(failed.error).toBeInstanceOf(NodeOperationError);
		expect(failed.items).toEqual([]);
	});

	it('reports missing credentials the way n8n does', async () => {
		const result = await runNode({
			nodeType: new HarnessDemo(),
			credentialTypes: [new HarnessDemoApi()],
			parameters: { url: `${server.url}/x` },
		});
		expect(server.requests).toHaveLength(0);
		expect(result.status).toBe('error');
		// getCredentials' NodeOperationError, wrapped by httpRequestWithAuthentication
		expect(result.error).toBeInstanceOf(NodeApiError);
		expect(result.error?.message).toBe('Node does not have any credentials set for "harnessDemoApi"');
	});

	it('refuses, as n8n does, to run a node whose required parameters are missing', async () => {
		await expect(
			runNode({
				nodeType: new HarnessDemo(),
				credentialTypes: [new HarnessDemoApi()],
				credentials,
				parameters: {},
			}),
		).rejects.toThrow(/node has issues.*"url"/);
	});

	it('supports Buffer-based binary helpers (inline binary data) and versioned descriptions', async () => {
		const result = await runNode({
			nodeType: new HarnessBinaryDemo(),
			parameters: {},
			typeVersion: 1,
			items: [
				binaryItem({ name: 'a' }, { data: Buffer.from('hello'), fileName: 'a.txt' }),
				binaryItem({ name: 'b' }, { data: Buffer.from('world!'), fileName: 'b.txt' }),
			],
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(2);
		expect(result.items[0].json).toEqual({ bytes: 5, version: 1 });
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		const out = result.items[1].binary?.result;
		expect(out?.fileName).toBe('upper.txt');
		expect(out?.mimeType).toBe('text/plain');
		expect(Buffer.from(out?.data ?? '', 'base64').toString()).toBe('WORLD!');
	});
});

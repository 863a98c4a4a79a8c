import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { startHttpTestServer } from './httpTestServer';
import type { HttpTestServer } from './httpTestServer';
import { testCredential } from './testCredential';

class HarnessTestedApi implements ICredentialType {
	name = 'harnessTestedApi';

	displayName = 'Harness Tested API';

	properties: INodeProperties[] = [
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } },
	};

	test: ICredentialTestRequest = {
		request: { baseURL: '={{$credentials.baseUrl}}', url: '/me' },
		rules: [
			{
				type: 'responseSuccessBody',
				properties: { key: 'error.code', value: 'invalid_key', message: 'The API key is not valid' },
			},
		],
	};
}

/** n8n types `rules` as all-responseCode or all-responseSuccessBody. */
class HarnessTestedByCodeApi extends HarnessTestedApi {
	test: ICredentialTestRequest = {
		request: { baseURL: '={{$credentials.baseUrl}}', url: '/me' },
		rules: [{ type: 'responseCode', properties: { value: 403, message: 'Key lacks permissions' } }],
	};
}

describe('testCredential (ICredentialType.test through n8n-core RoutingNode)', () => {
	let server: HttpTestServer;

	beforeAll(async () => {
		server = await startHttpTestServer((request) => {
			switch (request.headers.authorization) {
				case 'Bearer good':
					return { status: 200, body: { user: 'me' } };
				case 'Bearer soft-fail':
					return { status: 200, body: { error: { code: 'invalid_key' } } };
				case 'Bearer forbidden':
					return { status: 403, body: { message: 'no' } };
				default:
					return { status: 401, body: { message: 'unauthorized' } };
			}
		});
	});

	afterAll(async () => {
		await server.close();
	});

	beforeEach(() => server.reset());

	it('sends the test request with the credential applied and reports OK', async () => {
		const result = await testCredential({
			credentialType: new HarnessTestedApi(),
			data: { baseUrl: server.url, apiKey: 'good' },
		});
		expect(result).toMatchObject({ status: 'OK', message: 'Connection successful!' });
		expect(server.requests).toHaveLength(1);
		expect(server.requests[0].method).toBe('GET');
		expect(server.requests[0].path).toBe('/me');
		expect(server.requests[0].headers.authorization).toBe('Bearer good');
		expect(result.response?.[0]?.[0]?.json).toEqual({ user: 'me' });
	});

	it('applies responseSuccessBody rules', async () => {
		const result = await testCredential({
			credentialType: new HarnessTestedApi(),
			data: { baseUrl: server.url, apiKey: 'soft-fail' },
		});
		expect(result).toMatchObject({ status: 'Error', message: 'The API key is not valid' });
	});

	it('applies responseCode rules, and fails other non-2xx responses', async () => {
		const forbidden = await testCredential({
			credentialType: new HarnessTestedByCodeApi(),
			data: { baseUrl: server.url, apiKey: 'forbidden' },
		});
		expect(forbidden).toMatchObject({ status: 'Error', message: 'Key lacks permissions' });

		const unauthorized = await testCredential({
			credentialType: new HarnessTestedByCodeApi(),
			data: { baseUrl: server.url, apiKey: 'wrong' },
		});
		expect(unauthorized.status).toBe('Error');
		// NodeApiError's message for a 401
		expect(unauthorized.message).toBe('Authorization failed - please check your credentials');
		expect(unauthorized.error).toBeDefined();
	});
});

import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { BASE_URL_EXPRESSION, connectionProperties } from '../nodes/shared/tartanConnection';

/**
 * Tartan's `TokenAuth` scheme (webhook reconciliation): the API key, as it is,
 * in the `Authorization` header.
 */
export class TartanApi implements ICredentialType {
	name = 'tartanApi';

	displayName = 'Tartan API';

	icon: Icon = { light: 'file:../icons/tartan.svg', dark: 'file:../icons/tartan.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-tartan/n8n-nodes-tartan#tartan-api';

	properties: INodeProperties[] = [
		...connectionProperties,
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Sent as the Authorization header, as Tartan issued it (no "Bearer" prefix)',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '={{$credentials.apiKey}}' },
		},
	};

	// A read-only call with the same header (Tartan's employee list): it changes nothing at Tartan.
	test: ICredentialTestRequest = {
		request: {
			baseURL: BASE_URL_EXPRESSION,
			url: '/api/v2/employee_list',
			method: 'GET',
		},
	};
}

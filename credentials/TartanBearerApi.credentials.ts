import type { IAuthenticateGeneric, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { connectionProperties } from '../nodes/shared/tartanConnection';

/**
 * Tartan's `bearerAuth` scheme, for Sync Callback JSON submissions:
 * `Authorization: Bearer <token>`. Tested locally by the Tartan Sync Callback
 * node (`testedBy`), because every Sync Callback request submits data.
 */
export class TartanBearerApi implements ICredentialType {
	name = 'tartanBearerApi';

	displayName = 'Tartan Bearer Token API';

	icon: Icon = { light: 'file:../icons/tartan.svg', dark: 'file:../icons/tartan.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-tartan/n8n-nodes-tartan#tartan-bearer-token';

	properties: INodeProperties[] = [
		...connectionProperties,
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The bearer token (a JWT) Tartan issued for the Sync Callback',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.token}}' },
		},
	};
}

import type { IAuthenticateGeneric, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { connectionProperties } from '../nodes/shared/tartanConnection';

/**
 * Tartan's `basicHeaderAuth` scheme, for Sync Callback multipart/form-data
 * submissions: the `username` and `password` request headers. Tested locally
 * by the Tartan Sync Callback node (`testedBy`), because every Sync Callback
 * request submits data.
 */
export class TartanUsernamePasswordApi implements ICredentialType {
	name = 'tartanUsernamePasswordApi';

	displayName = 'Tartan Username & Password API';

	icon: Icon = { light: 'file:../icons/tartan.svg', dark: 'file:../icons/tartan.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-tartan/n8n-nodes-tartan#tartan-username--password';

	properties: INodeProperties[] = [
		...connectionProperties,
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				username: '={{$credentials.username}}',
				password: '={{$credentials.password}}',
			},
		},
	};
}

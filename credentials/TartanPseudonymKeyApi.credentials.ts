import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * The key the Tartan Trigger pseudonymises employee fields with (keyed
 * HMAC-SHA256). Separate from the webhook signing key, so rotating that key
 * never changes a token. Nothing is sent anywhere with it; the
 * credential test (the Tartan Trigger's `tartanPseudonymKeyTest`) checks it locally.
 */
export class TartanPseudonymKeyApi implements ICredentialType {
	name = 'tartanPseudonymKeyApi';

	displayName = 'Tartan Pseudonymisation Key API';

	icon: Icon = { light: 'file:../icons/tartan.svg', dark: 'file:../icons/tartan.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-tartan/n8n-nodes-tartan/blob/main/docs/employee-data.md';

	properties: INodeProperties[] = [
		{
			displayName: 'Pseudonymisation Key',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'A random secret of at least 16 characters (32 random bytes, base64, is a good choice). Every token depends on it: keep it for as long as tokens must match, and changing it changes every token.',
		},
	];
}

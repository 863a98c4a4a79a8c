import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * The app key Tartan signs its webhooks with. Nothing is sent anywhere with it:
 * the Tartan Trigger uses it to check the `tartan-signature` header, and the
 * credential test (the node's `tartanSigningKeyTest` method) checks it locally.
 */
export class TartanWebhookSigningApi implements ICredentialType {
	name = 'tartanWebhookSigningApi';

	displayName = 'Tartan Webhook Signing Key API';

	icon: Icon = { light: 'file:../icons/tartan.svg', dark: 'file:../icons/tartan.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-tartan/n8n-nodes-tartan#tartan-trigger';

	properties: INodeProperties[] = [
		{
			displayName: 'App Key',
			name: 'appSecretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The secret (app) key from the Tartan Console that Tartan signs webhooks with',
		},
		{
			displayName: 'Previous App Key',
			name: 'previousAppSecretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'While rotating the key: the old key, still accepted until Tartan signs with the new one. Clear it once the rotation is done.',
		},
	];
}

// The four Tartan credentials an e2e suite creates in n8n, pointing at its
// sandbox, with the suite's own secrets: { signing, api, bearer, usernamePassword }.

/** n8n 2.8's public API wants the domains a credential with `authenticate` may be sent to. */
export const HTTP_DOMAINS = { allowedHttpRequestDomains: 'all' };

/**
 * Creates the credentials through n8n's public API. `secrets`: { appSecretKey,
 * apiKey, bearerToken, password }; `label` goes into each credential's name.
 */
export async function createSandboxCredentials(api, { sandboxUrl, secrets, username, label }) {
	const connection = { environment: 'dev', baseUrl: sandboxUrl, ...HTTP_DOMAINS };
	return {
		signing: await api.createCredential({
			name: `Tartan signing key (${label})`,
			type: 'tartanWebhookSigningApi',
			data: { appSecretKey: secrets.appSecretKey },
		}),
		api: await api.createCredential({ name: `Tartan API (${label})`, type: 'tartanApi', data: { ...connection, apiKey: secrets.apiKey } }),
		bearer: await api.createCredential({
			name: `Tartan Bearer Token (${label})`,
			type: 'tartanBearerApi',
			data: { ...connection, token: secrets.bearerToken },
		}),
		usernamePassword: await api.createCredential({
			name: `Tartan Username & Password (${label})`,
			type: 'tartanUsernamePasswordApi',
			data: { ...connection, username, password: secrets.password },
		}),
	};
}

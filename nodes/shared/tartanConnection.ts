import type { INodeProperties } from 'n8n-workflow';

/**
 * Where a Tartan API lives, shared by every Tartan API credential: the seeds'
 * server `https://{env}.tartanhq.com` (env defaults to `dev`), or a base URL
 * that overrides it (a private deployment, or the local sandbox).
 */
export const connectionProperties: INodeProperties[] = [
	{
		displayName: 'Environment',
		name: 'environment',
		type: 'string',
		default: 'dev',
		placeholder: 'dev',
		description:
			'The {env} of https://{env}.tartanhq.com that Tartan gave you, for example dev. Ignored when Base URL is set.',
	},
	{
		displayName: 'Base URL',
		name: 'baseUrl',
		type: 'string',
		default: '',
		placeholder: 'https://dev.tartanhq.com',
		description:
			'Optional. Overrides Environment: the address of a private Tartan deployment or of a test server that stands in for Tartan.',
	},
];

/** The same rule as tartanBaseUrl(), as an n8n expression (for credential tests). */
export const BASE_URL_EXPRESSION =
	'={{ ($credentials.baseUrl ? String($credentials.baseUrl).trim() : "https://" + (String($credentials.environment || "dev").trim() || "dev") + ".tartanhq.com").replace(/\\/+$/, "") }}';

const ENVIRONMENT = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

export type BaseUrlResult = { baseUrl: string; problem?: undefined } | { baseUrl?: undefined; problem: string };

/**
 * The base URL for a Tartan credential, without a trailing slash, or the
 * problem (naming the credential field) when the fields are unusable.
 */
export function tartanBaseUrl(credentials: { environment?: unknown; baseUrl?: unknown }): BaseUrlResult {
	const baseUrl = typeof credentials.baseUrl === 'string' ? credentials.baseUrl.trim() : '';
	if (baseUrl !== '') {
		let parsed: URL;
		try {
			parsed = new URL(baseUrl);
		} catch {
			return { problem: `Base URL "${baseUrl}" is not a valid URL (expected e.g. https://dev.tartanhq.com)` };
		}
		if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
			return { problem: `Base URL "${baseUrl}" must start with https:// (or http:// for a local sandbox)` };
		}
		if (parsed.username || parsed.password || parsed.search || parsed.hash) {
			return { problem: 'Base URL must not contain credentials, a query or a fragment' };
		}
		return { baseUrl: baseUrl.replace(/\/+$/, '') };
	}
	const raw = credentials.environment;
	const environment = typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : 'dev';
	if (!ENVIRONMENT.test(environment)) {
		return { problem: `Environment "${environment}" is not a host name label (letters, digits and hyphens, e.g. dev)` };
	}
	return { baseUrl: `https://${environment.toLowerCase()}.tartanhq.com` };
}

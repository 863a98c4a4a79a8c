import {
	NodeApiError,
	NodeOperationError,
	sleep,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IN8nHttpFullResponse,
	type INodeProperties,
	type JsonObject,
} from 'n8n-workflow';

import { runsAsTool } from './itemErrors';
import { tartanBaseUrl } from './tartanConnection';
import { isPlainObject } from './values';

/** The Tartan credential types, with the names users see in n8n. */
export const CREDENTIAL_NAMES = {
	tartanApi: 'Tartan API',
	tartanBearerApi: 'Tartan Bearer Token API',
	tartanUsernamePasswordApi: 'Tartan Username & Password API',
} as const;
export type TartanCredentialType = keyof typeof CREDENTIAL_NAMES;

export interface RetryPolicy {
	/** Further attempts after the first, for 429, 5xx and network failures. */
	maxRetries: number;
	/** First back-off; doubles with each retry. */
	baseDelayMs: number;
	/** Longest single wait, for back-off and for Retry-After alike. */
	maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 3, baseDelayMs: 1000, maxDelayMs: 60000 };

/** The "Retries" option of every node that calls Tartan (default: DEFAULT_RETRY.maxRetries). */
export const retriesOption: INodeProperties = {
	displayName: 'Retries',
	name: 'retries',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 5 },
	default: 3,
	description:
		'How many times to retry when Tartan is busy (429), has a server error (5xx) or cannot be reached. Waits grow from 1 s and follow Retry-After (up to 60 s).',
};

export interface TartanCall {
	credentialType: TartanCredentialType;
	method: IHttpRequestMethods;
	path: string;
	/** A JSON body, or prepared bytes (with their content type in `headers`). */
	body: IDataObject | Buffer;
	headers?: Record<string, string>;
	itemIndex: number;
	/** The node's Retries option; DEFAULT_RETRY.maxRetries when not set. */
	retries?: unknown;
	timeoutMs?: number;
}

/** Failures worth another attempt: the connection, not the request, went wrong. */
const RETRYABLE_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'ENETUNREACH',
	'EHOSTUNREACH',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/**
 * The network error code of a failed request. n8n's request helper wraps the
 * socket error in a NodeApiError that keeps the code as its `httpCode`.
 */
const NETWORK_PHRASES: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection closed unexpectedly',
	ECONNABORTED: 'timed out',
	ETIMEDOUT: 'timed out',
	ESOCKETTIMEDOUT: 'timed out',
	ERR_SOCKET_CONNECTION_TIMEOUT: 'timed out',
	EPIPE: 'connection closed unexpectedly',
	EAI_AGAIN: 'host name lookup failed',
	ENOTFOUND: 'host not found',
	ENETUNREACH: 'network unreachable',
	EHOSTUNREACH: 'host unreachable',
	CERT_HAS_EXPIRED: 'TLS certificate expired',
};

function networkCode(error: unknown): string | undefined {
	let current = error as { code?: unknown; httpCode?: unknown; cause?: unknown } | undefined;
	for (let depth = 0; current && depth < 5; depth++) {
		for (const candidate of [current.code, current.httpCode]) {
			if (typeof candidate === 'string' && (/^E[A-Z_]+$/.test(candidate) || candidate in NETWORK_PHRASES)) return candidate;
		}
		current = current.cause as typeof current;
	}
	return undefined;
}

/** Seconds (or an HTTP date) from a Retry-After header, as milliseconds. */
export function retryAfterMs(value: unknown, now = Date.now()): number | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	if (typeof text !== 'string' && typeof text !== 'number') return undefined;
	const trimmed = String(text).trim();
	if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
	const date = Date.parse(trimmed);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function backoffMs(retry: number, policy: RetryPolicy, retryAfter?: number): number {
	if (retryAfter !== undefined) return Math.min(retryAfter, policy.maxDelayMs);
	const exponential = policy.baseDelayMs * 2 ** retry;
	// +/-20% jitter, so parallel items do not retry in lock-step.
	const jittered = exponential * (0.8 + Math.random() * 0.4);
	return Math.min(Math.round(jittered), policy.maxDelayMs);
}

function header(response: IN8nHttpFullResponse, name: string): unknown {
	const headers = (response.headers ?? {}) as IDataObject;
	const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
	return key === undefined ? undefined : headers[key];
}

function parseBody(body: unknown): IDataObject {
	if (body === undefined || body === null || body === '') return {};
	if (Buffer.isBuffer(body)) return parseBody(body.toString('utf8'));
	if (typeof body === 'string') {
		try {
			const parsed: unknown = JSON.parse(body);
			return isPlainObject(parsed) ? parsed : { response: parsed as IDataObject[keyof IDataObject] };
		} catch {
			return { response: body };
		}
	}
	if (isPlainObject(body)) return body;
	return { response: body as IDataObject[keyof IDataObject] };
}

/** Replaces every credential secret found in a text with "***". */
export function redact(text: string, secrets: string[]): string {
	let result = text;
	for (const secret of secrets) {
		if (secret.length >= 4) result = result.split(secret).join('***');
	}
	return result;
}

function secretsOf(credentials: IDataObject): string[] {
	return Object.entries(credentials)
		.filter(([name, value]) => typeof value === 'string' && !['environment', 'baseUrl', 'username'].includes(name))
		.map(([, value]) => value as string);
}

/**
 * The credential of one node run, read and decrypted once for all its items
 * (as most n8n nodes read theirs before their item loop) rather than twice per
 * item: the next run reads it again, so an edited credential counts from then.
 */
const credentialsOfRun = new WeakMap<IExecuteFunctions, Map<TartanCredentialType, Promise<ICredentialDataDecryptedObject>>>();

function runCredentials(
	context: IExecuteFunctions,
	credentialType: TartanCredentialType,
	itemIndex: number,
): Promise<ICredentialDataDecryptedObject> {
	let ofRun = credentialsOfRun.get(context);
	if (!ofRun) credentialsOfRun.set(context, (ofRun = new Map()));
	let credentials = ofRun.get(credentialType);
	if (!credentials) {
		credentials = context.getCredentials(credentialType, itemIndex);
		ofRun.set(credentialType, credentials);
		// A failed read is not kept: the next item tries again and names itself
		credentials.catch(() => ofRun.delete(credentialType));
	}
	return credentials;
}

/**
 * One request to Tartan, the one way every Tartan node talks to it: base URL
 * from the credential, authentication applied by n8n, bounded retries with
 * back-off (honouring Retry-After) on 429, 5xx and network failures, and
 * Tartan's answers turned into errors that name the item and never a secret.
 */
export async function tartanRequest(this: IExecuteFunctions, call: TartanCall): Promise<IDataObject> {
	const { credentialType, itemIndex } = call;
	const retries = Number(call.retries ?? DEFAULT_RETRY.maxRetries);
	const policy: RetryPolicy = {
		...DEFAULT_RETRY,
		maxRetries: Number.isInteger(retries) && retries >= 0 ? retries : DEFAULT_RETRY.maxRetries,
	};
	const credentialName = CREDENTIAL_NAMES[credentialType];
	const node = this.getNode();

	const credentials = await runCredentials(this, credentialType, itemIndex);
	const { baseUrl: baseURL, problem } = tartanBaseUrl(credentials);
	if (baseURL === undefined) {
		throw new NodeOperationError(node, `${credentialName} credential: ${problem}`, { itemIndex });
	}
	const secrets = secretsOf(credentials);
	const credentialRef = node.credentials?.[credentialType];
	const isBytes = Buffer.isBuffer(call.body);

	for (let attempt = 0; ; attempt++) {
		let response: IN8nHttpFullResponse | undefined;
		let failure: unknown;
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				credentialType,
				{
					method: call.method,
					baseURL,
					url: call.path,
					body: call.body,
					headers: { Accept: 'application/json', ...call.headers },
					json: !isBytes,
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
					timeout: call.timeoutMs ?? 30000,
				},
				// The credential read above, so that n8n does not read and decrypt it again
				{ credentialsDecrypted: { id: credentialRef?.id ?? '', name: credentialRef?.name ?? credentialName, type: credentialType, data: { ...credentials } } },
			)) as IN8nHttpFullResponse;
		} catch (error) {
			failure = error;
		}

		const status = response?.statusCode;
		if (response && status !== undefined && status >= 200 && status < 300) return parseBody(response.body);

		const code = failure ? networkCode(failure) : undefined;
		const retryable = failure ? code !== undefined && RETRYABLE_NETWORK_CODES.has(code) : status === 429 || (status ?? 0) >= 500;
		if (retryable && attempt < policy.maxRetries) {
			const wait = response ? retryAfterMs(header(response, 'retry-after')) : undefined;
			await sleep(backoffMs(attempt, policy, wait));
			continue;
		}

		const tries = attempt + 1;
		const afterTries = tries > 1 ? ` (after ${tries} attempts)` : '';
		if (!response) {
			const reason = code ?? redact((failure as Error)?.message ?? 'unknown error', secrets);
			// The code goes in the description: NodeApiError would swap a message that
			// names a network error code for its own generic text.
			throw new NodeApiError(node, { message: reason } as JsonObject, {
				message: `Could not reach Tartan at ${baseURL}: ${NETWORK_PHRASES[code ?? ''] ?? 'network error'}${afterTries}`,
				description: `${reason}. Check the Environment / Base URL of the "${credentialName}" credential and the network between n8n and Tartan.`,
				itemIndex,
			});
		}

		const answer = parseBody(response.body);
		const tartanMessage = redact(
			typeof answer.message === 'string' ? answer.message : typeof answer.response === 'string' ? answer.response : '',
			secrets,
		);
		const said = tartanMessage ? `: ${tartanMessage}` : '';
		const errorBody = { statusCode: status ?? null, message: tartanMessage } as JsonObject;
		let message: string;
		let description: string;
		if (status === 401 || status === 403) {
			message = `Tartan did not accept the "${credentialName}" credential (${status})${said}`;
			description = `Check the credential's secret and its Environment / Base URL (requests go to ${baseURL}).`;
		} else if (status === 400) {
			message = `Tartan rejected ${runsAsTool(this) ? 'the request' : `item ${itemIndex + 1}`} as invalid (400)${said}`;
			description = runsAsTool(this)
				? 'Tartan validated the request and refused it; correct the arguments and call the tool again.'
				: 'Tartan validated the request and refused it; correct the fields of this item.';
		} else if (status === 429) {
			message = `Tartan is limiting requests (429)${said}${afterTries}`;
			description = 'Try again later, lower the node\'s concurrency, or raise its retries.';
		} else {
			message = `Tartan answered ${status}${said}${afterTries}`;
			description = (status ?? 0) >= 500 ? 'Tartan had a server error; try again later.' : `Request: ${call.method} ${baseURL}${call.path}`;
		}
		throw new NodeApiError(node, errorBody, { message, description, httpCode: String(status), itemIndex });
	}
}

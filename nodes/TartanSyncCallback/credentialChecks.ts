import type { INodeCredentialTestResult } from 'n8n-workflow';

import { tartanBaseUrl } from '../shared/tartanConnection';

/**
 * Local credential tests for the Sync Callback credentials. Every Sync Callback
 * request submits employee data and Tartan offers no read-only endpoint for
 * these schemes, so a test request could create data at Tartan: these checks
 * look at what can be known without one.
 */

const LOCAL_NOTE = 'Checked locally; no request was sent, because every Sync Callback request submits data.';

function base64UrlJson(segment: string): unknown {
	const normalized = segment.replace(/-/g, '+').replace(/_/g, '/');
	return JSON.parse(Buffer.from(normalized, 'base64').toString('utf8'));
}

function baseUrlProblem(data: Record<string, unknown>): string | null {
	return tartanBaseUrl(data).problem ?? null;
}

function result(problem: string | null, okMessage: string): INodeCredentialTestResult {
	return problem ? { status: 'Error', message: problem } : { status: 'OK', message: `${okMessage} ${LOCAL_NOTE}` };
}

export function checkBearerCredential(data: Record<string, unknown>, now = Date.now()): INodeCredentialTestResult {
	const token = data.token;
	if (typeof token !== 'string' || token.trim() === '') return result('Token is empty.', '');
	if (/\s/.test(token)) return result('Token contains white space; paste it again without it.', '');
	const urlProblem = baseUrlProblem(data);
	if (urlProblem) return result(urlProblem, '');

	// Tartan's bearerAuth is a JWT (bearerFormat: JWT): header.payload.signature.
	const segments = token.split('.');
	if (segments.length !== 3 || segments.some((s) => !/^[A-Za-z0-9_-]+={0,2}$/.test(s))) {
		return result('Token is not a JWT (three dot-separated base64url parts), which Tartan issues for the Sync Callback.', '');
	}
	let claims: unknown;
	try {
		base64UrlJson(segments[0]);
		claims = base64UrlJson(segments[1]);
	} catch {
		return result('Token is not a JWT: its header or payload is not base64url-encoded JSON.', '');
	}
	const exp = (claims as { exp?: unknown })?.exp;
	if (typeof exp === 'number' && exp * 1000 <= now) {
		return result(`Token expired on ${new Date(exp * 1000).toISOString()}; ask Tartan for a new one.`, '');
	}
	const expiry = typeof exp === 'number' ? ` It expires on ${new Date(exp * 1000).toISOString()}.` : '';
	return result(null, `The token is a well-formed JWT.${expiry}`);
}

export function checkUsernamePasswordCredential(data: Record<string, unknown>): INodeCredentialTestResult {
	for (const [field, label] of [
		['username', 'Username'],
		['password', 'Password'],
	] as const) {
		const value = data[field];
		if (typeof value !== 'string' || value === '') return result(`${label} is empty.`, '');
		if (value !== value.trim()) {
			return result(`${label} starts or ends with white space; enter it again without it.`, '');
		}
		if (/[\r\n]/.test(value)) return result(`${label} contains a line break, which cannot be sent in a header.`, '');
	}
	return result(baseUrlProblem(data), 'Username and password are set.');
}

import { createHmac, timingSafeEqual } from 'crypto';

/** Header Tartan puts the signature in (HTTP header names are case-insensitive). */
export const SIGNATURE_HEADER = 'tartan-signature';

/** HMAC-SHA256 hex digest: 64 hexadecimal characters, in either case. */
const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

export type SignatureFailure =
	| 'missing_key'
	| 'missing_body'
	| 'missing_signature'
	| 'repeated_signature'
	| 'malformed_signature'
	| 'signature_mismatch';

export type SignatureCheck =
	| { valid: true; key: 'current' | 'previous' }
	| { valid: false; reason: SignatureFailure };

export interface SignatureInput {
	/** The request body exactly as received: the bytes Tartan signed. */
	rawBody: Buffer | Uint8Array | undefined | null;
	/**
	 * Every value the request carried for `tartan-signature`. A string is one
	 * header line; an array lists one entry per header line.
	 */
	signature: string | string[] | undefined | null;
	/** The app key, and optionally the one it replaced (during a key rotation). */
	appSecretKey: string | undefined | null;
	previousAppSecretKey?: string | undefined | null;
}

/** Human-readable reasons, safe to send back to the caller (they contain no secret). */
export const FAILURE_MESSAGES: Record<SignatureFailure, string> = {
	missing_key: 'The Tartan Trigger has no app key configured.',
	missing_body: 'The request has no body to verify.',
	missing_signature: `The request has no ${SIGNATURE_HEADER} header.`,
	repeated_signature: `The request has more than one ${SIGNATURE_HEADER} header.`,
	malformed_signature: `The ${SIGNATURE_HEADER} header is not a 64-character hex HMAC-SHA256 digest.`,
	signature_mismatch: `The ${SIGNATURE_HEADER} header does not match the request body.`,
};

/**
 * Checks a Tartan webhook signature: HMAC-SHA256 of the raw body bytes with the
 * app key, hex-encoded (Tartan's documented scheme). Pure: no I/O, never throws
 * for bad input, and compares digests in constant time.
 *
 * The header may be in either case and surrounded by white space. It must
 * appear once. The previous app key, when given, is tried only if the current
 * one does not match, so the usual case costs exactly one HMAC over the body.
 */
export function verifySignature(input: SignatureInput): SignatureCheck {
	// Without the current key nothing is verified, even if a previous key is set.
	if (!input.appSecretKey) return { valid: false, reason: 'missing_key' };
	const shape = checkSignatureShape(input);
	if (!shape.wellFormed) return { valid: false, reason: shape.reason };
	return matchDigest({ ...input, rawBody: input.rawBody as Buffer | Uint8Array, digest: shape.digest });
}

/**
 * The part of verifySignature that needs the key: the HMAC of the body with
 * the app key (then the previous key, if set and different) compared in
 * constant time with a digest checkSignatureShape() already took from the
 * header.
 */
export function matchDigest(input: {
	rawBody: Buffer | Uint8Array;
	digest: Buffer;
	appSecretKey: string | undefined | null;
	previousAppSecretKey?: string | undefined | null;
}): SignatureCheck {
	if (!input.appSecretKey) return { valid: false, reason: 'missing_key' };
	const keys: Array<['current' | 'previous', string]> = [['current', input.appSecretKey]];
	if (input.previousAppSecretKey && input.previousAppSecretKey !== input.appSecretKey) {
		keys.push(['previous', input.previousAppSecretKey]);
	}
	for (const [which, key] of keys) {
		const expected = createHmac('sha256', key).update(input.rawBody).digest();
		if (expected.length === input.digest.length && timingSafeEqual(expected, input.digest)) {
			return { valid: true, key: which };
		}
	}
	return { valid: false, reason: 'signature_mismatch' };
}

export type SignatureShape =
	| { wellFormed: true; digest: Buffer }
	| { wellFormed: false; reason: Exclude<SignatureFailure, 'missing_key' | 'signature_mismatch'> };

/**
 * What can be checked without the key: a body to verify, and exactly one
 * header holding a 64-character hex digest. A request that fails here is
 * refused before any credential is read (a flood of junk costs no key
 * lookup, no decryption and no HMAC).
 */
export function checkSignatureShape(input: Pick<SignatureInput, 'rawBody' | 'signature'>): SignatureShape {
	const { rawBody } = input;
	if (!rawBody || rawBody.length === 0) return { wellFormed: false, reason: 'missing_body' };

	const values = input.signature === undefined || input.signature === null ? [] : [input.signature].flat();
	if (values.length === 0) return { wellFormed: false, reason: 'missing_signature' };
	if (values.length > 1) return { wellFormed: false, reason: 'repeated_signature' };

	const header = values[0].trim();
	if (header === '') return { wellFormed: false, reason: 'missing_signature' };
	// Node joins a repeated custom header into one string with ", ".
	if (header.includes(',')) return { wellFormed: false, reason: 'repeated_signature' };
	if (!HEX_SHA256.test(header)) return { wellFormed: false, reason: 'malformed_signature' };
	return { wellFormed: true, digest: Buffer.from(header, 'hex') };
}

/**
 * The credential test: what can be checked about signing keys without a
 * webhook to verify. Returns a problem to show, or null when the keys are usable.
 */
export function signingKeyProblem(appSecretKey: unknown, previousAppSecretKey: unknown): string | null {
	if (typeof appSecretKey !== 'string' || appSecretKey === '') return 'App Key is empty.';
	const checks: Array<[string, unknown]> = [
		['App Key', appSecretKey],
		['Previous App Key', previousAppSecretKey],
	];
	for (const [label, key] of checks) {
		if (typeof key === 'string' && key !== key.trim()) {
			return `${label} starts or ends with white space, so no signature would match. Paste the key again without it.`;
		}
	}
	if (previousAppSecretKey === appSecretKey) {
		return 'Previous App Key is the same as App Key. Clear it, or set it to the key being replaced.';
	}
	return null;
}

/**
 * Every value a request carried for one header, one entry per header line.
 * Reads the raw header list when there is one (so a repeated header is seen as
 * repeated), else the parsed headers.
 */
export function headerValues(
	request: { rawHeaders?: string[]; headers?: Record<string, string | string[] | undefined> },
	name: string,
): string[] {
	const wanted = name.toLowerCase();
	if (Array.isArray(request.rawHeaders) && request.rawHeaders.length > 0) {
		const values: string[] = [];
		for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
			if (request.rawHeaders[i].toLowerCase() === wanted) values.push(request.rawHeaders[i + 1]);
		}
		return values;
	}
	const value = request.headers?.[wanted];
	return value === undefined ? [] : [value].flat();
}

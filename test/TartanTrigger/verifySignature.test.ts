import { createHmac, randomBytes } from 'crypto';

import syncInitiated from '../fixtures/webhooks/sync-initiated.json';
import pythonVectors from '../vectors/python-vectors.json';
import {
	checkSignatureShape,
	headerValues,
	signingKeyProblem,
	verifySignature,
} from '../../nodes/TartanTrigger/verifySignature';

// Fresh signing keys every run.
const KEY = randomBytes(24).toString('base64url');
const OLD_KEY = randomBytes(24).toString('base64url');

/** Signs independently of the code under test: Node's HMAC over the exact bytes. */
const sign = (key: string, body: Buffer | string) => createHmac('sha256', key).update(body).digest('hex');

const body = Buffer.from(JSON.stringify(syncInitiated, null, 4));

describe('verifySignature', () => {
	it('accepts a correct signature of the raw bytes', () => {
		expect(verifySignature({ rawBody: body, signature: sign(KEY, body), appSecretKey: KEY })).toEqual({
			valid: true,
			key: 'current',
		});
	});

	it('refuses a signature made with another key', () => {
		expect(verifySignature({ rawBody: body, signature: sign('another-key', body), appSecretKey: KEY })).toEqual({
			valid: false,
			reason: 'signature_mismatch',
		});
	});

	it('refuses a body with one flipped bit', () => {
		const signature = sign(KEY, body);
		for (const position of [0, Math.floor(body.length / 2), body.length - 1]) {
			const tampered = Buffer.from(body);
			tampered[position] ^= 0x01;
			expect(verifySignature({ rawBody: tampered, signature, appSecretKey: KEY })).toEqual({
				valid: false,
				reason: 'signature_mismatch',
			});
		}
	});

	it('refuses the same JSON re-serialised with other white space (the raw bytes are what counts)', () => {
		const signature = sign(KEY, body);
		const compact = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8'))));
		expect(JSON.parse(compact.toString('utf8'))).toEqual(JSON.parse(body.toString('utf8')));
		expect(verifySignature({ rawBody: compact, signature, appSecretKey: KEY })).toEqual({
			valid: false,
			reason: 'signature_mismatch',
		});
	});

	it('accepts upper-case hex', () => {
		const signature = sign(KEY, body).toUpperCase();
		expect(verifySignature({ rawBody: body, signature, appSecretKey: KEY })).toEqual({ valid: true, key: 'current' });
	});

	it('ignores white space around the header value', () => {
		const signature = ` \t${sign(KEY, body)}  `;
		expect(verifySignature({ rawBody: body, signature, appSecretKey: KEY })).toEqual({ valid: true, key: 'current' });
	});

	it.each([
		['undefined', undefined],
		['null', null],
		['an empty array', []],
		['an empty string', ''],
		['only white space', '   '],
	])('refuses a missing header (%s)', (_label, signature) => {
		expect(verifySignature({ rawBody: body, signature, appSecretKey: KEY })).toEqual({
			valid: false,
			reason: 'missing_signature',
		});
	});

	it('refuses a header given twice, even when both copies are right', () => {
		const good = sign(KEY, body);
		expect(verifySignature({ rawBody: body, signature: [good, good], appSecretKey: KEY })).toEqual({
			valid: false,
			reason: 'repeated_signature',
		});
		// Node's HTTP parser joins a repeated custom header with ", ".
		expect(verifySignature({ rawBody: body, signature: `${good}, ${good}`, appSecretKey: KEY })).toEqual({
			valid: false,
			reason: 'repeated_signature',
		});
	});

	it.each([
		['non-hex characters', 'z'.repeat(64)],
		['one character short', sign(KEY, body).slice(1)],
		['one character long', `${sign(KEY, body)}0`],
		['a base64 digest', createHmac('sha256', KEY).update(body).digest('base64')],
		['a "sha256=" prefix', `sha256=${sign(KEY, body)}`],
		['a SHA-1 length digest', createHmac('sha1', KEY).update(body).digest('hex')],
	])('refuses a malformed header: %s', (_label, signature) => {
		expect(verifySignature({ rawBody: body, signature, appSecretKey: KEY })).toEqual({
			valid: false,
			reason: 'malformed_signature',
		});
	});

	it('refuses an empty or missing body, whatever the signature', () => {
		const empty = Buffer.alloc(0);
		expect(verifySignature({ rawBody: empty, signature: sign(KEY, empty), appSecretKey: KEY })).toEqual({
			valid: false,
			reason: 'missing_body',
		});
		expect(verifySignature({ rawBody: undefined, signature: sign(KEY, body), appSecretKey: KEY })).toEqual({
			valid: false,
			reason: 'missing_body',
		});
	});

	it('refuses everything when no key is configured', () => {
		for (const appSecretKey of [undefined, null, '']) {
			expect(verifySignature({ rawBody: body, signature: sign('', body), appSecretKey })).toEqual({
				valid: false,
				reason: 'missing_key',
			});
		}
		// A previous key alone does not count: the current key is required.
		expect(
			verifySignature({ rawBody: body, signature: sign(OLD_KEY, body), appSecretKey: '', previousAppSecretKey: OLD_KEY }),
		).toEqual({ valid: false, reason: 'missing_key' });
	});

	it('verifies a multi-byte UTF-8 body byte for byte', () => {
		const utf8 = Buffer.from('{"name":"Zoë Fernandes","city":"ಬೆಂಗಳೂರು","mood":"🚀"}', 'utf8');
		expect(utf8.length).toBeGreaterThan(utf8.toString('utf8').length);
		expect(verifySignature({ rawBody: utf8, signature: sign(KEY, utf8), appSecretKey: KEY })).toEqual({
			valid: true,
			key: 'current',
		});
		// The same text signed as Latin-1 bytes is a different message.
		const latin1Signature = sign(KEY, Buffer.from(utf8.toString('utf8'), 'latin1'));
		expect(verifySignature({ rawBody: utf8, signature: latin1Signature, appSecretKey: KEY }).valid).toBe(false);
	});

	it('verifies a 10 MB body, and refuses it when its last byte changes', () => {
		const big = randomBytes(10 * 1024 * 1024);
		const signature = sign(KEY, big);
		expect(verifySignature({ rawBody: big, signature, appSecretKey: KEY })).toEqual({ valid: true, key: 'current' });
		big[big.length - 1] ^= 0xff;
		expect(verifySignature({ rawBody: big, signature, appSecretKey: KEY })).toEqual({
			valid: false,
			reason: 'signature_mismatch',
		});
	});

	it('accepts the previous key during a rotation, and says so', () => {
		expect(
			verifySignature({ rawBody: body, signature: sign(OLD_KEY, body), appSecretKey: KEY, previousAppSecretKey: OLD_KEY }),
		).toEqual({ valid: true, key: 'previous' });
		expect(
			verifySignature({ rawBody: body, signature: sign(KEY, body), appSecretKey: KEY, previousAppSecretKey: OLD_KEY }),
		).toEqual({ valid: true, key: 'current' });
	});

	it('refuses a key that is neither the current nor the previous one', () => {
		expect(
			verifySignature({
				rawBody: body,
				signature: sign('some-third-key', body),
				appSecretKey: KEY,
				previousAppSecretKey: OLD_KEY,
			}),
		).toEqual({ valid: false, reason: 'signature_mismatch' });
		// Without a previous key configured, the old key is refused.
		expect(verifySignature({ rawBody: body, signature: sign(OLD_KEY, body), appSecretKey: KEY })).toEqual({
			valid: false,
			reason: 'signature_mismatch',
		});
	});

	describe("vectors made by Tartan's documented Python snippet", () => {
		it('has at least three', () => {
			expect(pythonVectors.length).toBeGreaterThanOrEqual(3);
		});

		it.each(pythonVectors.map((v) => [v.description, v] as const))('%s', (_description, vector) => {
			const raw = Buffer.from(vector.body, 'utf8');
			expect(verifySignature({ rawBody: raw, signature: vector.signature, appSecretKey: vector.appSecretKey })).toEqual({
				valid: true,
				key: 'current',
			});
			expect(verifySignature({ rawBody: raw, signature: vector.signature, appSecretKey: `${vector.appSecretKey}x` }).valid).toBe(
				false,
			);
		});
	});
});

describe('headerValues', () => {
	it('finds a header in any case and keeps repeated lines apart', () => {
		const rawHeaders = ['Content-Type', 'application/json', 'Tartan-Signature', 'aa', 'TARTAN-SIGNATURE', 'bb'];
		expect(headerValues({ rawHeaders }, 'tartan-signature')).toEqual(['aa', 'bb']);
		expect(headerValues({ rawHeaders: ['x-other', '1'] }, 'tartan-signature')).toEqual([]);
	});

	it('falls back to parsed headers when there are no raw ones', () => {
		expect(headerValues({ headers: { 'tartan-signature': 'cc' } }, 'Tartan-Signature')).toEqual(['cc']);
		expect(headerValues({ headers: {} }, 'tartan-signature')).toEqual([]);
	});
});

describe('signingKeyProblem (the credential test)', () => {
	it('accepts a key, with or without a different previous key', () => {
		expect(signingKeyProblem(KEY, '')).toBeNull();
		expect(signingKeyProblem(KEY, undefined)).toBeNull();
		expect(signingKeyProblem(KEY, OLD_KEY)).toBeNull();
	});

	it('explains what is wrong, without repeating the key', () => {
		const problems = [
			signingKeyProblem('', ''),
			signingKeyProblem(`${KEY}\n`, ''),
			signingKeyProblem(KEY, ` ${OLD_KEY}`),
			signingKeyProblem(KEY, KEY),
		];
		expect(problems[0]).toMatch(/App Key is empty/);
		expect(problems[1]).toMatch(/App Key starts or ends with white space/);
		expect(problems[2]).toMatch(/Previous App Key starts or ends with white space/);
		expect(problems[3]).toMatch(/same as App Key/);
		for (const problem of problems) {
			expect(problem).not.toContain(KEY);
			expect(problem).not.toContain(OLD_KEY);
		}
	});
});

describe('checkSignatureShape (what is refused before the key is read)', () => {
	const body = Buffer.from('{"event":"sync.events.initiated"}');
	it.each([
		['no body', { rawBody: Buffer.alloc(0), signature: 'a'.repeat(64) }, 'missing_body'],
		['no header', { rawBody: body, signature: [] }, 'missing_signature'],
		['a blank header', { rawBody: body, signature: '  ' }, 'missing_signature'],
		['two header lines', { rawBody: body, signature: ['a'.repeat(64), 'a'.repeat(64)] }, 'repeated_signature'],
		['a joined repeated header', { rawBody: body, signature: `${'a'.repeat(64)}, ${'a'.repeat(64)}` }, 'repeated_signature'],
		['63 hex characters', { rawBody: body, signature: 'a'.repeat(63) }, 'malformed_signature'],
		['a sha256= prefix', { rawBody: body, signature: `sha256=${'a'.repeat(64)}` }, 'malformed_signature'],
	])('refuses %s', (_label, input, reason) => {
		expect(checkSignatureShape(input)).toEqual({ wellFormed: false, reason });
	});

	it('gives the digest bytes of a well-formed header, in either case and with white space around', () => {
		const hex = 'ab'.repeat(32);
		expect(checkSignatureShape({ rawBody: body, signature: `  ${hex.toUpperCase()}\t` })).toEqual({ wellFormed: true, digest: Buffer.from(hex, 'hex') });
	});
});

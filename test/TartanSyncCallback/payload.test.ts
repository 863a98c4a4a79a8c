import busboy from 'busboy';
import { randomBytes } from 'crypto';

import { checkBearerCredential, checkUsernamePasswordCredential } from '../../nodes/TartanSyncCallback/credentialChecks';
import {
	EmployeeValidationError,
	recordFromFields,
	recordToFormFields,
	validateEmployee,
} from '../../nodes/TartanSyncCallback/employeePayload';
import { encodeMultipart, type MultipartPart } from '../../nodes/shared/multipart';

type Parsed = Array<{ name: string; value?: string; filename?: string; mimeType?: string; data?: Buffer }>;

/** Parses a multipart body with busboy, a real parser (the one the sandbox uses). */
function parse(body: Buffer, contentType: string): Promise<Parsed> {
	return new Promise((resolve, reject) => {
		const parts: Parsed = [];
		const parser = busboy({ headers: { 'content-type': contentType }, defParamCharset: 'utf8' });
		parser.on('field', (name, value) => parts.push({ name, value }));
		parser.on('file', (name, stream, info) => {
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('end', () =>
				parts.push({ name, filename: info.filename, mimeType: info.mimeType, data: Buffer.concat(chunks) }),
			);
		});
		parser.on('close', () => resolve(parts));
		parser.on('error', reject);
		parser.end(body);
	});
}

describe('encodeMultipart', () => {
	it('produces a body a real parser reads back byte for byte', async () => {
		const file = randomBytes(256 * 1024);
		const parts: MultipartPart[] = [
			{ name: 'name', value: 'Zoë Fernandes — ಬೆಂಗಳೂರು' },
			{ name: 'email', value: 'zoe@example.com' },
			{ name: 'multi\nline', value: 'a\r\nb' },
			{ name: 'file', filename: 'employees – März "Q1".csv', contentType: 'text/csv', data: file },
		];
		const { body, contentType } = encodeMultipart(parts);
		expect(contentType).toMatch(/^multipart\/form-data; boundary=----n8nTartan[0-9a-f]{24}$/);
		const parsed = await parse(body, contentType);
		expect(parsed.find((p) => p.name === 'name')?.value).toBe('Zoë Fernandes — ಬೆಂಗಳೂರು');
		expect(parsed.find((p) => p.name === 'email')?.value).toBe('zoe@example.com');
		// Line breaks in a name are percent-encoded (WHATWG), values are kept as they are.
		expect(parsed.find((p) => p.name === 'multi%0Aline')?.value).toBe('a\r\nb');
		const filePart = parsed.find((p) => p.name === 'file')!;
		expect(filePart.filename).toBe('employees – März %22Q1%22.csv');
		expect(filePart.mimeType).toBe('text/csv');
		expect(filePart.data!.equals(file)).toBe(true);
	});

	it('uses a fresh boundary each time', () => {
		expect(encodeMultipart([]).contentType).not.toBe(encodeMultipart([]).contentType);
	});
});

describe('employee records', () => {
	it('builds a record from the fields, leaving out empty name and email', () => {
		expect(recordFromFields('Asha', 'asha@example.com', [{ name: 'employeeId', value: '42' }])).toEqual({
			name: 'Asha',
			email: 'asha@example.com',
			employeeId: '42',
		});
		expect(recordFromFields('', '', [{ name: ' dept ', value: 'HR' }])).toEqual({ dept: 'HR' });
	});

	it('refuses a field given twice or without a name', () => {
		expect(() => recordFromFields('Asha', '', [{ name: 'name', value: 'B' }])).toThrow(/"name" is given more than once/);
		expect(() => recordFromFields('', '', [{ name: '  ', value: 'x' }])).toThrow(/Additional Fields #1" has no field name/);
	});

	it.each([
		['an email that is not one', { name: 'Asha', email: 'asha-at-example' }, 'email', /email address/],
		['an email with spaces inside', { email: 'asha @example.com' }, 'email', /email address/],
		['a numeric email', { email: 42 }, 'email', /must be text/],
		['an empty name', { name: '  ', email: 'a@b.co' }, 'name', /must not be empty/],
		['a name that is an object', { name: { first: 'A' } }, 'name', /must be text/],
		['no fields at all', {}, 'item', /no fields/],
		['an array instead of an object', [1, 2], 'item', /JSON object/],
	])('refuses %s, naming the field', (_label, record, field, reason) => {
		let caught: unknown;
		try {
			validateEmployee(record);
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(EmployeeValidationError);
		expect((caught as EmployeeValidationError).field).toBe(field);
		expect((caught as EmployeeValidationError).message).toMatch(reason);
	});

	it('passes other fields through and trims the email', () => {
		expect(validateEmployee({ name: 'Asha', email: ' asha@example.com ', bank: { ifsc: 'X' } })).toEqual({
			name: 'Asha',
			email: 'asha@example.com',
			bank: { ifsc: 'X' },
		});
	});

	it('turns a record into form fields: nested values as JSON text, null as empty', () => {
		expect(
			recordToFormFields({ name: 'Asha', age: 31, active: true, manager: null, address: { city: 'Pune' }, tags: ['a'] }),
		).toEqual([
			{ name: 'name', value: 'Asha' },
			{ name: 'age', value: '31' },
			{ name: 'active', value: 'true' },
			{ name: 'manager', value: '' },
			{ name: 'address', value: '{"city":"Pune"}' },
			{ name: 'tags', value: '["a"]' },
		]);
	});
});

describe('local credential tests', () => {
	const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
	const jwt = (claims: object) => `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}.${randomBytes(32).toString('base64url')}`;
	const now = Date.UTC(2026, 10, 23);

	it('accepts a well-formed, unexpired JWT and says when it expires', () => {
		const result = checkBearerCredential({ token: jwt({ exp: now / 1000 + 3600 }), environment: 'dev' }, now);
		expect(result.status).toBe('OK');
		expect(result.message).toMatch(/expires on 2026-11-23T01:00:00.000Z/);
		expect(result.message).toMatch(/no request was sent/);
	});

	it.each([
		['an empty token', { token: '' }, /Token is empty/],
		['a token with a space', { token: 'abc def' }, /white space/],
		['a token that is not a JWT', { token: 'plain-opaque-token' }, /not a JWT/],
		['a JWT whose payload is not JSON', { token: `${b64({ alg: 'HS256' })}.bm90IGpzb24.sig` }, /not base64url-encoded JSON/],
		['an expired JWT', { token: jwt({ exp: now / 1000 - 60 }) }, /expired on 2026-11-22T23:59:00.000Z/],
		['a bad base URL', { token: jwt({}), baseUrl: 'ftp://tartan.local' }, /must start with https/],
		['a bad environment', { token: jwt({}), environment: 'dev.evil.com/' }, /not a host name label/],
	])('refuses %s', (_label, data, message) => {
		const result = checkBearerCredential(data, now);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(message);
		if (typeof data.token === 'string' && data.token.length > 8) expect(result.message).not.toContain(data.token);
	});

	it('checks username and password without repeating them', () => {
		expect(checkUsernamePasswordCredential({ username: 'svc-n8n', password: 'pa55-word' }).status).toBe('OK');
		for (const [data, message] of [
			[{ username: '', password: 'pa55-word' }, /Username is empty/],
			[{ username: 'svc-n8n', password: '' }, /Password is empty/],
			[{ username: 'svc-n8n ', password: 'pa55-word' }, /Username starts or ends with white space/],
			[{ username: 'svc-n8n', password: 'pa55\nword' }, /line break/],
			[{ username: 'svc-n8n', password: 'pa55-word', baseUrl: 'not a url' }, /not a valid URL/],
		] as const) {
			const result = checkUsernamePasswordCredential(data);
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(message);
			expect(result.message).not.toContain('pa55');
		}
	});
});

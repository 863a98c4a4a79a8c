import { createHash, randomBytes } from 'crypto';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { startSandbox, SANDBOX_CREDENTIALS, MESSAGES, type Sandbox, type MultipartFile } from './server';
import { sign, sendSignedWebhook, listFixtures, loadFixture, resolveFixtureName } from './webhook';
import { checkOpenApi, extractOpenApi, DEFAULT_SEEDS_DIR } from './openapi/extract';
import { loadSpec } from './spec';
import {
	delay,
	pythonHmacHex,
	startHmacReceiver,
	runScript,
	startCli,
	tamperedOpenapiCopy,
	seedsDirExists,
	type HmacReceiver,
} from './test-helpers';

const C = SANDBOX_CREDENTIALS;
const UUID = 'f47ac10b-58cc-4372-a567-0e02b2c3d479';
const UUID2 = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
const T0 = 1716600000;
const T1 = 1716686400;
const RESEND = '/api/webhooks/resend';
const CALLBACK = '/api/external/sync/callback';
const WRONG_VALUE = 'wrong value example';

interface Answer {
	status: number;
	headers: Headers;
	text: string;
	json: { success?: boolean; message?: string } | null;
}

let sb: Sandbox;

async function post(path: string, body: string | FormData | undefined, headers: Record<string, string>): Promise<Answer> {
	const res = await fetch(`${sb.url}${path}`, { method: 'POST', headers, body });
	const text = await res.text();
	let json: Answer['json'] = null;
	try {
		json = JSON.parse(text);
	} catch {
		json = null;
	}
	return { status: res.status, headers: res.headers, text, json };
}

function resend(body: unknown, authorization: string | null = C.apiKey): Promise<Answer> {
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	if (authorization !== null) headers.authorization = authorization;
	return post(RESEND, JSON.stringify(body), headers);
}

function callbackJson(body: unknown, authorization: string | null = `Bearer ${C.bearerToken}`): Promise<Answer> {
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	if (authorization !== null) headers.authorization = authorization;
	return post(CALLBACK, JSON.stringify(body), headers);
}

function callbackForm(form: FormData, headers: Record<string, string> = { username: C.username, password: C.password }) {
	return post(CALLBACK, form, headers);
}

/** One valid body per search_type, in the seed's oneOf order. */
const VALID_BODIES: Record<string, Record<string, unknown>> = {
	sync_session: { search_type: 'sync_session', sync_session_id: UUID },
	sync_session_counter: { search_type: 'sync_session_counter', sync_session_id: UUID, webhook_counter: [1, 2] },
	sync_session_status: { search_type: 'sync_session_status', sync_session_id: UUID, status: 'fail' },
	sync_session_counter_status: {
		search_type: 'sync_session_counter_status',
		sync_session_id: UUID,
		webhook_counter: [3],
		status: 'all',
	},
	time_range: { search_type: 'time_range', request_timestamp: T0, end_request_timestamp: T1 },
	time_range_status: { search_type: 'time_range_status', request_timestamp: T0, end_request_timestamp: T1, status: 'success' },
	time_range_org: { search_type: 'time_range_org', request_timestamp: T0, end_request_timestamp: T1, client_org_id: UUID2 },
	time_range_status_org: {
		search_type: 'time_range_status_org',
		request_timestamp: T0,
		end_request_timestamp: T1,
		status: 'fail',
		client_org_id: UUID2,
	},
	org_only: { search_type: 'org_only', client_org_id: UUID2 },
	request_id: { search_type: 'request_id', request_id: UUID },
};

beforeAll(async () => {
	sb = await startSandbox();
});

afterEach(() => {
	sb.reset();
});

afterAll(async () => {
	await sb.close();
});

describe('startSandbox', () => {
	it('listens on 127.0.0.1 with a random port and exposes the fixed credentials', () => {
		expect(sb.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(sb.port).toBeGreaterThan(0);
		expect(sb.credentials).toEqual(C);
		expect(Object.keys(C).sort()).toEqual(['apiKey', 'appSecretKey', 'bearerToken', 'password', 'username']);
	});

	it('answers 404 JSON for unknown paths and other methods, recorded as route "other"', async () => {
		const a = await post('/api/webhooks/resend/extra', '{}', { authorization: C.apiKey });
		const res = await fetch(`${sb.url}${RESEND}`, { headers: { authorization: C.apiKey } });
		expect(a.status).toBe(404);
		expect(a.json).toEqual({ success: false, message: MESSAGES.notFound });
		expect(res.status).toBe(404);
		expect(await res.json()).toEqual({ success: false, message: MESSAGES.notFound });
		expect(sb.requestsFor('other').map((r) => `${r.method} ${r.path}`)).toEqual([
			'POST /api/webhooks/resend/extra',
			`GET ${RESEND}`,
		]);
	});
});

describe('POST /api/webhooks/resend: accepted bodies', () => {
	it('covers exactly the ten search_type values of the seed', () => {
		expect(Object.keys(VALID_BODIES)).toEqual(loadSpec().resend.searchTypes);
	});

	it.each(Object.entries(VALID_BODIES))('accepts search_type %s', async (searchType, body) => {
		const a = await resend(body);
		expect(a.status).toBe(200);
		expect(a.json).toEqual({ success: true, message: 'Webhook resend triggered successfully.' });
		const [record] = sb.requestsFor('resend');
		expect(record.body).toEqual(body);
		expect(record.rawBody.toString('utf8')).toBe(JSON.stringify(body));
		expect(record.headers.authorization).toBe(C.apiKey);
		expect(record.response).toEqual({ status: 200, body: a.json });
		expect(loadSpec().resend.schemaFor(searchType)).toEqual(expect.any(String));
	});

	it('uses the 200 message documented in the seed', () => {
		expect(loadSpec().resend.successMessage).toBe('Webhook resend triggered successfully.');
	});
});

describe('POST /api/webhooks/resend: rejected bodies', () => {
	const cases: Array<[string, unknown, string]> = [
		['bad uuid', { search_type: 'sync_session', sync_session_id: 'not-a-uuid' }, 'body/sync_session_id must match format "uuid"'],
		['bad uuid (request_id)', { search_type: 'request_id', request_id: 12345 }, 'body/request_id must be string'],
		[
			'counter 0',
			{ search_type: 'sync_session_counter', sync_session_id: UUID, webhook_counter: [1, 0] },
			'body/webhook_counter/1 must be >= 1',
		],
		[
			'empty counter array',
			{ search_type: 'sync_session_counter', sync_session_id: UUID, webhook_counter: [] },
			'body/webhook_counter must NOT have fewer than 1 items',
		],
		[
			'counter not an array',
			{ search_type: 'sync_session_counter', sync_session_id: UUID, webhook_counter: 1 },
			'body/webhook_counter must be array',
		],
		[
			'non-integer counter',
			{ search_type: 'sync_session_counter', sync_session_id: UUID, webhook_counter: [1.5] },
			'body/webhook_counter/0 must be integer',
		],
		[
			'unknown status',
			{ search_type: 'sync_session_status', sync_session_id: UUID, status: 'failed' },
			'body/status must be equal to one of the allowed values: success, fail, all',
		],
		[
			'missing required field (own allOf part)',
			{ search_type: 'time_range_status', request_timestamp: T0, end_request_timestamp: T1 },
			"body must have required property 'status'",
		],
		[
			'missing required field (inherited allOf part)',
			{ search_type: 'time_range_status_org', request_timestamp: T0, status: 'all', client_org_id: UUID },
			"body must have required property 'end_request_timestamp'",
		],
		[
			'epoch as a string',
			{ search_type: 'time_range', request_timestamp: String(T0), end_request_timestamp: T1 },
			'body/request_timestamp must be integer',
		],
		[
			'extra field',
			{ search_type: 'org_only', client_org_id: UUID, sync_session_id: UUID },
			"body must NOT have additional property 'sync_session_id'",
		],
		[
			'field of another search_type',
			{ search_type: 'time_range', request_timestamp: T0, end_request_timestamp: T1, status: 'fail' },
			"body must NOT have additional property 'status'",
		],
		['unknown search_type', { search_type: 'everything', sync_session_id: UUID }, 'body/search_type must be one of: sync_session, '],
		['non-string search_type', { search_type: 7, sync_session_id: UUID }, 'body/search_type must be one of:'],
		['missing search_type', { sync_session_id: UUID }, "body must have required property 'search_type'"],
		['array body', [VALID_BODIES.sync_session], 'body must be object'],
		['null body', null, 'body must be object'],
	];

	it.each(cases)('rejects %s with 400 naming the field', async (_label, body, message) => {
		const a = await resend(body);
		expect(a.status).toBe(400);
		expect(a.json?.success).toBe(false);
		expect(a.json?.message).toContain(message);
	});

	it('reports every problem of a body in one message', async () => {
		const a = await resend({ search_type: 'sync_session_counter', sync_session_id: 'x', webhook_counter: [0], extra: 1 });
		expect(a.status).toBe(400);
		expect(a.json?.message).toContain("additional property 'extra'");
		expect(a.json?.message).toContain('body/sync_session_id must match format "uuid"');
		expect(a.json?.message).toContain('body/webhook_counter/0 must be >= 1');
	});

	it('rejects malformed and empty JSON with 400', async () => {
		const bad = await post(RESEND, '{"search_type": ', { authorization: C.apiKey, 'content-type': 'application/json' });
		const empty = await post(RESEND, '', { authorization: C.apiKey, 'content-type': 'application/json' });
		expect(bad.status).toBe(400);
		expect(bad.json).toEqual({ success: false, message: MESSAGES.invalidJson });
		expect(empty.status).toBe(400);
		expect(empty.json).toEqual({ success: false, message: MESSAGES.bodyRequired });
	});

	it('answers 415 JSON for a non-JSON content type (after auth)', async () => {
		const a = await post(RESEND, JSON.stringify(VALID_BODIES.org_only), { authorization: C.apiKey, 'content-type': 'text/plain' });
		expect(a.status).toBe(415);
		expect(a.json?.success).toBe(false);
	});

	it('documents the seed quirk: a literal validator rejects allOf bodies, ajv discriminator refuses the schema', () => {
		const { doc } = loadSpec().resend;
		const paths = doc.paths as Record<string, { post: { requestBody: { content: Record<string, { schema: object }> } } }>;
		const literal = paths[RESEND].post.requestBody.content['application/json'].schema;
		const components = doc.components;

		// strict: false because the literal schema carries `discriminator` and `components`.
		const plain = new Ajv({ strict: false });
		addFormats(plain);
		const validateLiteral = plain.compile({ ...literal, components });
		expect(validateLiteral(VALID_BODIES.time_range)).toBe(true);
		expect(validateLiteral(VALID_BODIES.time_range_status)).toBe(false);
		expect(validateLiteral(VALID_BODIES.time_range_org)).toBe(false);
		expect(validateLiteral(VALID_BODIES.time_range_status_org)).toBe(false);

		const withDiscriminator = new Ajv({ strict: false, discriminator: true });
		addFormats(withDiscriminator);
		expect(() => withDiscriminator.compile({ ...literal, components })).toThrow(/discriminator/);
	});
});

describe('POST /api/webhooks/resend: auth (TokenAuth, raw Authorization header)', () => {
	it.each<[string, string | null]>([
		['missing', null],
		['wrong', WRONG_VALUE],
		['Bearer-prefixed', `Bearer ${C.apiKey}`],
		['the callback bearer token', C.bearerToken],
		['suffixed', `${C.apiKey}x`],
	])('answers 401 for a %s key', async (_label, authorization) => {
		const a = await resend(VALID_BODIES.sync_session, authorization);
		expect(a.status).toBe(401);
		expect(a.json).toEqual({ success: false, message: 'Unauthorized – Invalid token' });
	});

	it('checks auth before the body, and never echoes secrets', async () => {
		const a = await resend({ nonsense: true }, WRONG_VALUE);
		expect(a.status).toBe(401);
		expect(a.text).not.toContain(WRONG_VALUE);
		expect(a.text).not.toContain(C.apiKey);
		const b = await post(RESEND, 'not json', { authorization: WRONG_VALUE, 'content-type': 'text/plain' });
		expect(b.status).toBe(401);
	});
});

describe('POST /api/external/sync/callback: JSON (Bearer)', () => {
	it('accepts EmployeeData with a Bearer token', async () => {
		const body = { name: 'Zoë Fernandes', email: 'zoe@tartanhq.com' };
		const a = await callbackJson(body);
		expect(a.status).toBe(200);
		expect(a.json).toEqual({ success: true, message: 'Sync successful' });
		const [record] = sb.requestsFor('callback');
		expect(record.body).toEqual(body);
		expect(record.parts).toBeNull();
	});

	it('allows fields the open EmployeeData schema does not list', async () => {
		const a = await callbackJson({ name: 'A', email: 'a@example.com', employeeId: '14' });
		expect(a.status).toBe(200);
	});

	it('rejects a non-string email with 400 naming the field', async () => {
		const a = await callbackJson({ name: 'A', email: 42 });
		expect(a.status).toBe(400);
		expect(a.json).toEqual({ success: false, message: 'body/email must be string' });
	});

	it('rejects a non-object body', async () => {
		const a = await callbackJson(['a']);
		expect(a.status).toBe(400);
		expect(a.json?.message).toBe('body must be object');
	});

	it.each<[string, string | null]>([
		['missing', null],
		['wrong', `Bearer ${WRONG_VALUE.replace(/ /g, '-')}`],
		['unprefixed', C.bearerToken],
		['resend api key', `Bearer ${C.apiKey}`],
	])('answers 401 for a %s token (before validation)', async (_label, authorization) => {
		const a = await callbackJson({ email: 42 }, authorization);
		expect(a.status).toBe(401);
		expect(a.json).toEqual({ success: false, message: MESSAGES.unauthorized });
	});

	it('does not accept username/password headers for JSON', async () => {
		const a = await post(CALLBACK, '{}', { 'content-type': 'application/json', username: C.username, password: C.password });
		expect(a.status).toBe(401);
	});

	it('answers 415 for other content types', async () => {
		const a = await post(CALLBACK, 'name=A', {
			'content-type': 'application/x-www-form-urlencoded',
			authorization: `Bearer ${C.bearerToken}`,
		});
		expect(a.status).toBe(415);
		expect(a.json).toEqual({ success: false, message: MESSAGES.callbackMediaType });
	});
});

describe('POST /api/external/sync/callback: multipart (username/password headers)', () => {
	it('receives a non-ASCII field and a 5 MB binary file byte for byte', async () => {
		const file = randomBytes(5 * 1024 * 1024);
		const name = 'Zoë Fernandes – 名前 ✓';
		const form = new FormData();
		form.append('name', name);
		form.append('email', 'zoe@tartanhq.com');
		form.append('document', new Blob([file], { type: 'application/pdf' }), 'payslip-ü.pdf');

		const a = await callbackForm(form);
		expect(a.status).toBe(200);
		expect(a.json).toEqual({ success: true, message: 'Sync successful' });

		const [record] = sb.requestsFor('callback');
		expect(record.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
		expect(record.rawBody.length).toBeGreaterThan(file.length);
		expect(record.parts?.filter((p) => !('data' in p))).toEqual([
			{ name: 'name', value: name },
			{ name: 'email', value: 'zoe@tartanhq.com' },
		]);
		const received = record.parts?.find((p): p is MultipartFile => 'data' in p);
		expect(received?.name).toBe('document');
		expect(received?.filename).toBe('payslip-ü.pdf');
		expect(received?.mimeType).toBe('application/pdf');
		expect(received?.data.length).toBe(file.length);
		expect(received?.data.equals(file)).toBe(true);
		expect(createHash('sha256').update(received?.data ?? '').digest('hex')).toBe(
			createHash('sha256').update(file).digest('hex'),
		);
	});

	it.each<[string, Record<string, string>]>([
		['no headers', {}],
		['wrong password', { username: C.username, password: WRONG_VALUE }],
		['wrong username', { username: 'someone-else', password: C.password }],
		['only a Bearer token', { authorization: `Bearer ${C.bearerToken}` }],
	])('answers 401 with %s', async (_label, headers) => {
		const form = new FormData();
		form.append('name', 'A');
		const a = await callbackForm(form, headers);
		expect(a.status).toBe(401);
		expect(a.json).toEqual({ success: false, message: MESSAGES.unauthorized });
		expect(a.text).not.toContain(WRONG_VALUE);
	});

	it('validates text fields against EmployeeFormData (a repeated field is not a string)', async () => {
		const form = new FormData();
		form.append('name', 'A');
		form.append('name', 'B');
		const a = await callbackForm(form);
		expect(a.status).toBe(400);
		expect(a.json?.message).toBe('body/name must be string');
	});

	it('allows unknown text fields (the seed schema is open)', async () => {
		const form = new FormData();
		form.append('name', 'A');
		form.append('department', 'Engineering');
		expect((await callbackForm(form)).status).toBe(200);
	});

	it('rejects a multipart body without a boundary with 400', async () => {
		const a = await post(CALLBACK, 'garbage', {
			'content-type': 'multipart/form-data',
			username: C.username,
			password: C.password,
		});
		expect(a.status).toBe(400);
		expect(a.json?.message).toBe(MESSAGES.badMultipart);
	});
});

describe('fault injection', () => {
	it('plays 503, 503, then normal behaviour', async () => {
		sb.script('resend', [{ status: 503 }, { status: 503 }]);
		const statuses: number[] = [];
		for (let i = 0; i < 3; i++) statuses.push((await resend(VALID_BODIES.sync_session)).status);
		expect(statuses).toEqual([503, 503, 200]);
		expect(sb.requestsFor('resend').map((r) => r.response?.scripted ?? false)).toEqual([true, true, false]);
	});

	it('returns a 429 with its retry-after header', async () => {
		sb.script('callback', { status: 429, headers: { 'retry-after': '1' } });
		const a = await callbackJson({ name: 'A' });
		expect(a.status).toBe(429);
		expect(a.headers.get('retry-after')).toBe('1');
		expect(a.json?.success).toBe(false);
		expect((await callbackJson({ name: 'A' })).status).toBe(200);
	});

	it('sends a scripted body as given', async () => {
		sb.script('resend', [{ status: 500, body: 'upstream exploded' }, { status: 200, body: { custom: true } }]);
		const a = await resend(VALID_BODIES.sync_session);
		const b = await resend({ not: 'validated' });
		expect([a.status, a.text]).toEqual([500, 'upstream exploded']);
		expect([b.status, b.json]).toEqual([200, { custom: true }]);
	});

	it('scripts only the route they were queued for', async () => {
		sb.script('callback', { status: 503 });
		expect((await resend(VALID_BODIES.sync_session)).status).toBe(200);
		expect((await callbackJson({ name: 'A' })).status).toBe(503);
	});

	it('drop destroys the connection without a response', async () => {
		sb.script('resend', { drop: true });
		await expect(resend(VALID_BODIES.sync_session)).rejects.toThrow();
		const [record] = sb.requestsFor('resend');
		expect(record.response).toEqual({ status: null, body: null, dropped: true, scripted: true });
		expect(record.body).toEqual(VALID_BODIES.sync_session);
		expect((await resend(VALID_BODIES.sync_session)).status).toBe(200);
	});

	it('delays a scripted step by delayMs', async () => {
		sb.script('resend', [{ status: 503, delayMs: 250 }, { delayMs: 250 }]);
		let start = Date.now();
		expect((await resend(VALID_BODIES.sync_session)).status).toBe(503);
		expect(Date.now() - start).toBeGreaterThanOrEqual(240);
		start = Date.now();
		expect((await resend(VALID_BODIES.sync_session)).status).toBe(200);
		expect(Date.now() - start).toBeGreaterThanOrEqual(240);
	});

	it('setLatency delays every answer on that route only, until reset', async () => {
		sb.setLatency('resend', 300);
		let start = Date.now();
		expect((await resend(VALID_BODIES.sync_session)).status).toBe(200);
		expect(Date.now() - start).toBeGreaterThanOrEqual(290);
		start = Date.now();
		expect((await callbackJson({ name: 'A' })).status).toBe(200);
		expect(Date.now() - start).toBeLessThan(290);
		sb.reset();
		start = Date.now();
		await resend(VALID_BODIES.sync_session);
		expect(Date.now() - start).toBeLessThan(290);
	});

	it('reset clears records and pending scripts', async () => {
		sb.script('resend', { status: 503 });
		await callbackJson({ name: 'A' });
		expect(sb.requests).toHaveLength(1);
		const same = sb.requests;
		sb.reset();
		expect(sb.requests).toBe(same);
		expect(sb.requests).toHaveLength(0);
		expect((await resend(VALID_BODIES.sync_session)).status).toBe(200);
	});

	it('rejects unknown routes and malformed steps', () => {
		expect(() => sb.script('nope' as 'resend', { status: 500 })).toThrow(TypeError);
		expect(() => sb.script('resend', {} as { delayMs: number })).toThrow(TypeError);
		expect(() => sb.setLatency('resend', -1)).toThrow(TypeError);
	});

	it('close() ends in-flight delayed requests', async () => {
		const other = await startSandbox();
		other.setLatency('resend', 10000);
		const pending = fetch(`${other.url}${RESEND}`, { method: 'POST', body: '{}' });
		await delay(100);
		await other.close();
		await expect(pending).rejects.toThrow();
	});

	it('accepts custom credentials', async () => {
		const other = await startSandbox({ credentials: { apiKey: 'custom-example-key' } });
		try {
			const res = await fetch(`${other.url}${RESEND}`, {
				method: 'POST',
				headers: { authorization: 'custom-example-key', 'content-type': 'application/json' },
				body: JSON.stringify(VALID_BODIES.request_id),
			});
			expect(res.status).toBe(200);
			expect(other.credentials.bearerToken).toBe(C.bearerToken);
		} finally {
			await other.close();
		}
	});
});

describe('openapi/extract.js', () => {
	it('the committed YAML equals the seeds (or the check is skipped without them)', () => {
		const result = checkOpenApi();
		if (seedsDirExists(DEFAULT_SEEDS_DIR)) {
			expect(result.status).toBe('ok');
			expect(result.files.map((f) => f.status)).toEqual(['ok', 'ok']);
		} else {
			expect(result.status).toBe('skipped');
		}
	});

	it('detects a drifted copy', () => {
		if (!seedsDirExists(DEFAULT_SEEDS_DIR)) return;
		const copy = tamperedOpenapiCopy((file, text) => (file === 'resend.yaml' ? text.replace('minimum: 1', 'minimum: 0') : text));
		try {
			const result = checkOpenApi({ openapiDir: copy.dir });
			expect(result.status).toBe('mismatch');
			expect(result.files).toEqual([
				{ file: 'resend.yaml', status: 'differs' },
				{ file: 'sync-callback.yaml', status: 'ok' },
			]);
		} finally {
			copy.cleanup();
		}
	});

	it('skips when the seeds folder does not exist', () => {
		const result = checkOpenApi({ seedsDir: `${DEFAULT_SEEDS_DIR}-does-not-exist` });
		expect(result.status).toBe('skipped');
		expect(result.message).toMatch(/^skipped: no seeds folder/);
	});

	it('extracts blocks that start with the OpenAPI header', () => {
		if (!seedsDirExists(DEFAULT_SEEDS_DIR)) return;
		const blocks = extractOpenApi();
		expect(blocks['resend.yaml'].startsWith('openapi: 3.0.0\n')).toBe(true);
		expect(blocks['sync-callback.yaml']).toContain('/api/external/sync/callback:');
	});

	it('runs as a CLI (exit 0 on ok/skipped)', async () => {
		const run = await runScript('openapi/extract.js');
		expect(run.code).toBe(0);
		expect(run.stdout).toMatch(/^(ok|skipped):/);
	});
});

describe('webhook.js: signing and fixtures', () => {
	it('lists the fixtures with their events', () => {
		const fixtures = listFixtures();
		expect(fixtures.map((f) => f.name)).toEqual([
			'connection-requested',
			'connection-terminated',
			'employee-add-delta',
			'employee-add-initial',
			'employee-update',
			'sync-initiated',
		]);
		expect(fixtures.find((f) => f.name === 'employee-update')?.event).toBe('sync.events.employee.update');
	});

	it('loads a fixture by name or by event, with its exact bytes', () => {
		const byName = loadFixture('employee-update');
		const byEvent = loadFixture('sync.events.employee.update');
		expect(byEvent.name).toBe('employee-update');
		expect(byEvent.bytes.equals(byName.bytes)).toBe(true);
		expect(byName.bytes.toString('utf8')).toContain('Zoë');
		expect(byName.json.event).toBe('sync.events.employee.update');
		expect(resolveFixtureName('sync.events.employee.add')).toBe('employee-add-delta');
		expect(resolveFixtureName('employee-add-initial.json')).toBe('employee-add-initial');
		expect(() => loadFixture('sync.events.nothing')).toThrow(/available: connection-requested/);
	});

	it.each(listFixtures().map((f) => f.name))('sign() equals Tartan\'s Python snippet for %s', (name) => {
		const { bytes } = loadFixture(name);
		expect(sign(C.appSecretKey, bytes)).toBe(pythonHmacHex(C.appSecretKey, bytes));
	});

	it('sign() matches Python for a non-ASCII key and payload, and accepts strings', () => {
		const key = 'clé-ünïcode-秘密';
		const payload = '{"name":"Zoë","city":"Zürich","note":"名前"}';
		const bytes = Buffer.from(payload, 'utf8');
		expect(sign(key, bytes)).toBe(pythonHmacHex(key, bytes));
		expect(sign(key, payload)).toBe(sign(key, bytes));
		expect(sign(key, bytes)).toMatch(/^[0-9a-f]{64}$/);
	});
});

describe('webhook.js: sendSignedWebhook', () => {
	let receiver: HmacReceiver;

	beforeAll(async () => {
		receiver = await startHmacReceiver(C.appSecretKey);
	});

	afterEach(() => {
		receiver.received.length = 0;
	});

	afterAll(async () => {
		await receiver.close();
	});

	it('sends a fixture\'s exact bytes with a signature the receiver verifies', async () => {
		const result = await sendSignedWebhook(receiver.url, { fixture: 'employee-add-initial', appSecretKey: C.appSecretKey });
		expect(result.status).toBe(200);
		expect(result.json).toEqual({ verified: true });
		expect(result.body).toBe('{"verified":true}');
		expect(result.headers['content-type']).toBe('application/json');
		const [got] = receiver.received;
		expect(got.raw.equals(loadFixture('employee-add-initial').bytes)).toBe(true);
		expect(got.headers['content-type']).toBe('application/json');
		expect(got.headers['tartan-signature']).toBe(sign(C.appSecretKey, got.raw));
	});

	it('resolves event names and defaults to the sandbox app key', async () => {
		const result = await sendSignedWebhook(receiver.url, { fixture: 'sync.events.employee.update' });
		expect(result.status).toBe(200);
		expect(receiver.received[0].raw.equals(loadFixture('employee-update').bytes)).toBe(true);
	});

	it('signs object, string and Buffer payloads', async () => {
		const object = { event: 'sync.events.initiated', note: 'Zoë' };
		await sendSignedWebhook(receiver.url, { payload: object });
		await sendSignedWebhook(receiver.url, { payload: '{"a": 1}' });
		await sendSignedWebhook(receiver.url, { payload: Buffer.from('{"b":2}') });
		expect(receiver.received.map((r) => r.verified)).toEqual([true, true, true]);
		expect(receiver.received.map((r) => r.raw.toString('utf8'))).toEqual([JSON.stringify(object), '{"a": 1}', '{"b":2}']);
	});

	it('can send a wrong key, an explicit signature, no signature, and extra headers', async () => {
		const wrongKey = await sendSignedWebhook(receiver.url, { fixture: 'sync-initiated', appSecretKey: 'another-example-key' });
		const explicit = await sendSignedWebhook(receiver.url, { fixture: 'sync-initiated', signature: 'deadbeef' });
		const none = await sendSignedWebhook(receiver.url, { fixture: 'sync-initiated', omitSignature: true });
		const extra = await sendSignedWebhook(receiver.url, { fixture: 'sync-initiated', headers: { 'X-Extra': 'yes' } });
		expect([wrongKey.status, explicit.status, none.status, extra.status]).toEqual([401, 401, 401, 200]);
		expect(receiver.received[1].headers['tartan-signature']).toBe('deadbeef');
		expect(receiver.received[2].headers['tartan-signature']).toBeUndefined();
		expect(receiver.received[3].headers['x-extra']).toBe('yes');
	});

	it('needs exactly one of fixture and payload', async () => {
		await expect(sendSignedWebhook(receiver.url, {})).rejects.toThrow(TypeError);
		await expect(sendSignedWebhook(receiver.url, { fixture: 'sync-initiated', payload: {} })).rejects.toThrow(TypeError);
	});
});

describe('send-event.js', () => {
	let receiver: HmacReceiver;

	beforeAll(async () => {
		receiver = await startHmacReceiver(C.appSecretKey);
	});

	afterAll(async () => {
		await receiver.close();
	});

	it('sends a signed event and exits 0 on 2xx', async () => {
		const run = await runScript('send-event.js', ['sync.events.employee.update', '--url', receiver.url]);
		expect(run.code).toBe(0);
		expect(run.stdout).toContain('fixture=employee-update');
		expect(run.stdout).toContain('status: 200');
		expect(run.stdout).toContain('{"verified":true}');
		expect(run.stdout).not.toContain(C.appSecretKey);
	});

	it('takes the URL and key from TARTAN_WEBHOOK_URL / TARTAN_APP_KEY', async () => {
		const run = await runScript('send-event.js', ['connection-requested'], {
			TARTAN_WEBHOOK_URL: receiver.url,
			TARTAN_APP_KEY: C.appSecretKey,
		});
		expect(run.code).toBe(0);
		expect(run.stdout).toContain('signed with TARTAN_APP_KEY');
	});

	it('exits 1 on a non-2xx answer', async () => {
		const run = await runScript('send-event.js', ['sync-initiated', '--url', receiver.url, '--key', 'another-example-key']);
		expect(run.code).toBe(1);
		expect(run.stdout).toContain('status: 401');
	});

	it('lists the events when none or an unknown one is given', async () => {
		const none = await runScript('send-event.js', []);
		const unknown = await runScript('send-event.js', ['sync.events.bogus', '--url', receiver.url]);
		for (const run of [none, unknown]) {
			expect(run.code).toBe(2);
			expect(run.stderr).toContain('employee-add-initial');
			expect(run.stderr).toContain('sync.events.employee.add');
		}
		expect(unknown.stderr).toContain('unknown event or fixture "sync.events.bogus"');
	});
});

describe('cli.js', () => {
	it('prints the URL and credentials, logs requests without secrets, stops on SIGINT', async () => {
		const cli = await startCli();
		try {
			const res = await fetch(`${cli.url}${RESEND}?token=${encodeURIComponent('query-example-value')}`, {
				method: 'POST',
				headers: { authorization: WRONG_VALUE, 'content-type': 'application/json' },
				body: JSON.stringify({ password: 'body-example-value' }),
			});
			expect(res.status).toBe(401);
			for (let i = 0; i < 50 && !cli.output().includes('-> 401'); i++) await delay(20);
		} finally {
			const { output } = await cli.stop();
			for (const value of [C.apiKey, C.bearerToken, C.username, C.password, C.appSecretKey]) expect(output).toContain(value);
			expect(output).toContain('tartanApi');
			expect(output).toContain('tartanBearerApi');
			expect(output).toContain('tartanUsernamePasswordApi');
			expect(output).toContain('tartanWebhookSigningApi');
			expect(output).toMatch(/POST \/api\/webhooks\/resend -> 401/);
			expect(output).not.toContain(WRONG_VALUE);
			expect(output).not.toContain('query-example-value');
			expect(output).not.toContain('body-example-value');
		}
	});
});

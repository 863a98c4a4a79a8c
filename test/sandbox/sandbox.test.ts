import { createHash, randomBytes } from 'crypto';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { startSandbox, isLoopback, SANDBOX_CREDENTIALS, MESSAGES, type Sandbox, type MultipartFile } from './server';
import { sign, sendSignedWebhook, listFixtures, loadFixture, resolveFixtureName } from './webhook';
import {
	generateSession,
	seededRandom,
	formatTimestamp,
	recordKeyOf,
	recordKeysOf,
	TartanSender,
	SEARCH_TYPES,
	type TartanWebhook,
} from './sender';
import { checkOpenApi, extractOpenApi, DEFAULT_SEEDS_DIR } from './openapi/extract';
import { loadSpec } from './spec';
import {
	delay,
	pythonHmacHex,
	startHmacReceiver,
	startScriptedReceiver,
	closedPortUrl,
	runScript,
	startCli,
	tamperedOpenapiCopy,
	seedsDirExists,
	type HmacReceiver,
	type ScriptedReceiver,
	type ReceiverAction,
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

// ---------------------------------------------------------------- Tartan's sending side

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const ADD = 'sync.events.employee.add';
const UPDATE = 'sync.events.employee.update';
const ORG_A = '11111111-1111-4111-8111-111111111111';
const ORG_B = '22222222-2222-4222-8222-222222222222';

/** A clock for generateSession: epoch ms starting at `startSeconds`, one second later per call. */
function clockFrom(startSeconds: number): () => number {
	let next = startSeconds * 1000;
	return () => {
		const now = next;
		next += 1000;
		return now;
	};
}

type EmployeeRecord = Record<string, unknown> & { id: string; employeeId: string; designation: string };
const recordsOf = (w: TartanWebhook) => w.payload.body as EmployeeRecord[];
const attemptsOf = (sender: TartanSender, w: TartanWebhook) =>
	sender.log.get(w.requestId)?.attempts.map(({ kind, status, error }) => (error === undefined ? { kind, status } : { kind, error }));

/** Polls (up to ~2 s) until `check` is true. */
async function until(check: () => boolean): Promise<void> {
	for (let i = 0; i < 100 && !check(); i++) await delay(20);
	expect(check()).toBe(true);
}

describe('sender.js: generateSession', () => {
	const fixture = loadFixture('employee-add-initial').json as { body: Array<Record<string, unknown>> };

	it('starts with sync.events.initiated, then add and update batches of at most 10, counters 1, 2, 3…', () => {
		const ws = generateSession({ adds: 25, updates: 7, random: seededRandom(1), clock: clockFrom(T0) });
		expect(ws.map((w) => [w.webhookCounter, w.event, w.payload.eventType, w.payload.recordCount])).toEqual([
			[1, 'sync.events.initiated', 'sync.events', null],
			[2, ADD, 'sync.events.delta', 10],
			[3, ADD, 'sync.events.delta', 10],
			[4, ADD, 'sync.events.delta', 5],
			[5, UPDATE, 'sync.events.delta', 7],
		]);
		expect(ws[0].payload.body).toEqual([{ newRecords: 25, updatedRecords: 7 }]);
		expect(ws.map((w) => w.requestTimestamp)).toEqual([T0, T0 + 1, T0 + 2, T0 + 3, T0 + 4]);
		expect(new Set(ws.map((w) => w.syncSessionId)).size).toBe(1);
		expect(new Set(ws.map((w) => w.requestId)).size).toBe(5);
	});

	it('has the envelope keys, types and formats of the fixtures, and bytes that are the payload', () => {
		const ws = generateSession({ adds: 12, updates: 3, connection: true, random: seededRandom(2), clock: clockFrom(T0) });
		const envelopeKeys = Object.keys(loadFixture('employee-add-delta').json).sort();
		for (const w of ws) {
			const p = w.payload;
			expect(Object.keys(p).sort()).toEqual(envelopeKeys);
			expect(p).toMatchObject({ syncSessionId: w.syncSessionId, webhookCounter: w.webhookCounter, requestId: w.requestId });
			expect(p).toMatchObject({ orgId: w.orgId, event: w.event, statusCode: '200', message: 'success' });
			for (const id of [w.requestId, w.syncSessionId, w.orgId, p['vendor.orgId']]) expect(id).toMatch(UUID_RE);
			expect(Array.isArray(p.body)).toBe(true);
			expect(p.body.length).toBeLessThanOrEqual(10);
			expect(p.timeStamp).toMatch(TIMESTAMP_RE);
			expect(p.timeStamp).toBe(formatTimestamp(w.requestTimestamp));
			expect(w.bytes.equals(Buffer.from(JSON.stringify(p), 'utf8'))).toBe(true);
		}
		expect(formatTimestamp(T0)).toBe('2024-05-25 01:20:00');
	});

	it('employee records have the fields of employee-add-initial.json and unique id and employeeId', () => {
		const ws = generateSession({ adds: 40, random: seededRandom(3) });
		const records = ws.filter((w) => w.event === ADD).flatMap(recordsOf);
		expect(records).toHaveLength(40);
		const fieldsOf = (r: Record<string, unknown>) => Object.keys(r).sort();
		for (const r of records) {
			expect(fieldsOf(r)).toEqual(fieldsOf(fixture.body[0]));
			expect(typeof r.id).toBe('string');
			expect(typeof r.employeeId).toBe('string');
			expect(r.pan).toBe('************');
		}
		expect(new Set(records.map((r) => r.id)).size).toBe(40);
		expect(new Set(records.map((r) => r.employeeId)).size).toBe(40);
	});

	it('updates re-use added employees with a changed designation, then employees the session did not add', () => {
		const ws = generateSession({ adds: 4, updates: 6, random: seededRandom(4) });
		const added = ws.filter((w) => w.event === ADD).flatMap(recordsOf);
		const updated = ws.filter((w) => w.event === UPDATE).flatMap(recordsOf);
		expect(updated).toHaveLength(6);
		expect(updated.slice(0, 4).map((r) => r.id)).toEqual(added.map((r) => r.id));
		updated.slice(0, 4).forEach((u, i) => {
			expect(u.designation).not.toBe(added[i].designation);
			expect({ ...u, designation: null }).toEqual({ ...added[i], designation: null });
		});
		expect(new Set(updated.map((r) => r.employeeId)).size).toBe(6);
	});

	it('an initial sync sends its adds with an empty timeStamp', () => {
		const ws = generateSession({ adds: 15, eventType: 'sync.events.initial', random: seededRandom(5) });
		expect(ws.map((w) => [w.payload.eventType, w.payload.timeStamp === ''])).toEqual([
			['sync.events', false],
			['sync.events.initial', true],
			['sync.events.initial', true],
		]);
	});

	it('connection events carry one org object in body', () => {
		const ws = generateSession({ adds: 0, connection: true, orgId: ORG_A, random: seededRandom(6) });
		expect(ws.map((w) => [w.webhookCounter, w.event, w.payload.eventType])).toEqual([
			[1, 'sync.events.initiated', 'sync.events'],
			[2, 'connection.events.requested', 'connection.events'],
			[3, 'connection.events.terminated', 'connection.events'],
		]);
		expect(ws[2].payload.body).toEqual([expect.objectContaining({ orgId: ORG_A, status: 'CONNECTION_TERMINATED', hrms: 1 })]);
		expect(Object.keys(ws[2].payload.body[0] as object).sort()).toEqual(
			Object.keys((loadFixture('connection-terminated').json.body as object[])[0]).sort(),
		);
	});

	it('is reproducible with a seed, and takes the given ids and batch size', () => {
		const options = { adds: 9, batchSize: 4, orgId: ORG_A, vendorOrgId: ORG_B, syncSessionId: UUID, clock: clockFrom(T0) };
		const a = generateSession({ ...options, random: seededRandom('seed') });
		const b = generateSession({ ...options, clock: clockFrom(T0), random: seededRandom('seed') });
		const c = generateSession({ ...options, clock: clockFrom(T0), random: seededRandom('other seed') });
		expect(a.map((w) => w.bytes.toString('hex'))).toEqual(b.map((w) => w.bytes.toString('hex')));
		expect(c[1].bytes.equals(a[1].bytes)).toBe(false);
		expect(a.map((w) => w.payload.recordCount)).toEqual([null, 4, 4, 1]);
		expect(a[1].payload).toMatchObject({ orgId: ORG_A, 'vendor.orgId': ORG_B, syncSessionId: UUID });
		const unseeded = [generateSession({ adds: 1 }), generateSession({ adds: 1 })];
		expect(unseeded[0][0].requestId).not.toBe(unseeded[1][0].requestId);
	});

	it.each<[string, Record<string, unknown>, RegExp]>([
		['batchSize 11', { batchSize: 11 }, /batchSize must be an integer from 1 to 10/],
		['negative adds', { adds: -1 }, /adds must be/],
		['fractional updates', { updates: 1.5 }, /updates must be/],
		['unknown eventType', { eventType: 'sync.events.other' }, /eventType must be one of/],
		['empty orgId', { orgId: '' }, /orgId must be a non-empty string/],
	])('refuses %s', (_label, options, message) => {
		expect(() => generateSession(options)).toThrow(message);
	});
});

describe('sender.js: record keys', () => {
	it('keys a record from its own fields or from the envelope of an n8n per-record item', () => {
		expect(recordKeyOf({ syncSessionId: 's', event: 'e', employeeId: '7', id: '9' })).toBe('s|e|7');
		expect(recordKeyOf({ id: '9', webhook: { syncSessionId: 's', event: 'e' }, deliveryKey: 'r#1' })).toBe('s|e|9');
		expect(recordKeyOf({ orgId: ORG_A, webhook: { syncSessionId: 's', event: 'connection.events.requested' } })).toBe(
			`s|connection.events.requested|${ORG_A}`,
		);
		expect(recordKeyOf({ id: '9', webhook: { event: 'e' } })).toBeNull();
		expect(recordKeyOf({ syncSessionId: 's', event: 'e' })).toBeNull();
		expect(recordKeyOf([{ syncSessionId: 's', event: 'e', id: '1' }])).toBeNull();
	});

	it('recordKeysOf lists the employee records of add and update webhooks', () => {
		const ws = generateSession({ adds: 12, updates: 2, connection: true, random: seededRandom(7) });
		const keys = recordKeysOf(ws);
		expect(keys).toHaveLength(14);
		expect(new Set(keys).size).toBe(14);
		const first = recordsOf(ws[1])[0];
		expect(keys[0]).toBe(`${ws[0].syncSessionId}|${ADD}|${first.employeeId}`);
		expect(recordKeysOf(ws, { events: ['connection.events.requested'] })).toEqual([
			`${ws[0].syncSessionId}|connection.events.requested|${ws[0].orgId}`,
		]);
	});
});

describe('sender.js: TartanSender against a receiver that verifies the signature', () => {
	let receiver: ScriptedReceiver;
	const senders: TartanSender[] = [];
	const newSender = (options: Partial<ConstructorParameters<typeof TartanSender>[0]> = {}) => {
		const sender = new TartanSender({ url: receiver.url, appSecretKey: C.appSecretKey, timeoutMs: 300, ...options });
		senders.push(sender);
		return sender;
	};
	const byCounter =
		(actions: Record<number, ReceiverAction>) =>
		(d: { webhookCounter: unknown }): ReceiverAction =>
			actions[Number(d.webhookCounter)] ?? 200;

	beforeEach(async () => {
		receiver = await startScriptedReceiver(C.appSecretKey);
	});

	afterEach(async () => {
		for (const s of senders.splice(0)) s.close();
		await receiver.close();
	});

	it('logs a 2xx as success and a 500, a timeout and a reset as failures', async () => {
		const ws = generateSession({ adds: 30, random: seededRandom(20) });
		receiver.respond = byCounter({ 2: 500, 3: 'hang', 4: 'reset' });
		const sender = newSender();
		expect(await sender.deliver(ws)).toEqual({ attempted: 4, succeeded: 1, failed: 3 });
		expect(ws.map((w) => sender.log.get(w.requestId)?.status)).toEqual(['success', 'fail', 'fail', 'fail']);
		expect(ws.map((w) => attemptsOf(sender, w))).toEqual([
			[{ kind: 'initial', status: 200 }],
			[{ kind: 'initial', status: 500 }],
			[{ kind: 'initial', error: 'timeout' }],
			[{ kind: 'initial', error: 'reset' }],
		]);
		const timedOut = sender.log.get(ws[2].requestId)?.attempts[0];
		expect(timedOut?.ms).toBeGreaterThanOrEqual(290);
		expect(timedOut?.at).toEqual(expect.any(Number));
		expect(receiver.received).toHaveLength(4);
		for (const d of receiver.received) {
			expect(d.verified).toBe(true);
			const w = ws.find((x) => x.requestId === d.requestId) as TartanWebhook;
			expect(d.raw.equals(w.bytes)).toBe(true);
			expect(d.signature).toBe(sign(C.appSecretKey, w.bytes));
		}
		expect(sender.stats()).toEqual({ webhooks: 4, success: 1, fail: 3, pending: 0, attempts: { initial: 4, eod: 0, resend: 0 } });
	});

	it('counts a refused connection and a 401 for a wrong key as failures', async () => {
		const [w] = generateSession({ adds: 0, random: seededRandom(21) });
		const refused = newSender({ url: await closedPortUrl() });
		expect(await refused.deliver([w])).toEqual({ attempted: 1, succeeded: 0, failed: 1 });
		expect(attemptsOf(refused, w)).toEqual([{ kind: 'initial', error: 'refused' }]);
		const wrongKey = newSender({ appSecretKey: 'another-example-key' });
		await wrongKey.deliver([w]);
		expect(attemptsOf(wrongKey, w)).toEqual([{ kind: 'initial', status: 401 }]);
		expect(receiver.received.map((d) => d.verified)).toEqual([false]);
	});

	it('end of day re-sends only the failures, same bytes and signature, and marks them success', async () => {
		const ws = generateSession({ adds: 40, random: seededRandom(22) });
		receiver.respond = byCounter({ 2: 503, 4: 'reset', 5: 'hang' });
		const sender = newSender();
		await sender.deliver(ws);
		const failed = [ws[1], ws[3], ws[4]];
		receiver.respond = () => 200;
		const firstRound = receiver.received.length;
		expect(await sender.endOfDay()).toEqual({ attempted: 3, succeeded: 3, failed: 0 });
		const eod = receiver.received.slice(firstRound);
		expect(eod.map((d) => d.requestId).sort()).toEqual(failed.map((w) => w.requestId).sort());
		for (const d of eod) {
			const first = receiver.received.find((x) => x.requestId === d.requestId) as { raw: Buffer; signature: string };
			expect(d.raw.equals(first.raw)).toBe(true);
			expect(d.signature).toBe(first.signature);
		}
		expect(ws.every((w) => sender.log.get(w.requestId)?.status === 'success')).toBe(true);
		expect(attemptsOf(sender, ws[1])).toEqual([
			{ kind: 'initial', status: 503 },
			{ kind: 'eod', status: 200 },
		]);
		expect(attemptsOf(sender, ws[0])).toEqual([{ kind: 'initial', status: 200 }]);
		expect(await sender.endOfDay()).toEqual({ attempted: 0, succeeded: 0, failed: 0 });
		expect(sender.stats().attempts).toEqual({ initial: 5, eod: 3, resend: 0 });
	});

	it('keeps at most `concurrency` deliveries in flight', async () => {
		const ws = generateSession({ adds: 190, random: seededRandom(23) });
		receiver.respond = () => ({ status: 200, delayMs: 40 });
		const sender = newSender({ concurrency: 3 });
		expect(await sender.deliver(ws)).toEqual({ attempted: 20, succeeded: 20, failed: 0 });
		expect(receiver.stats.maxInFlight).toBe(3);
	});

	it('logs a webhook when its first attempt starts, so log.size counts the deliveries started', async () => {
		const ws = generateSession({ adds: 30, random: seededRandom(26) });
		let release: () => void = () => {};
		receiver.respond = () => new Promise<ReceiverAction>((resolve) => (release = () => resolve(200)));
		const sender = newSender({ concurrency: 1, timeoutMs: 5000 });
		const pending = sender.deliver(ws);
		await until(() => receiver.received.length === 1);
		expect(sender.log.size).toBe(1);
		expect(sender.stats()).toMatchObject({ webhooks: 1, pending: 1 });
		for (let n = 2; n <= 4; n++) {
			release();
			await until(() => receiver.received.length === n);
			expect(sender.log.size).toBe(n);
		}
		release();
		expect(await pending).toEqual({ attempted: 4, succeeded: 4, failed: 0 });
		expect([...sender.log.keys()]).toEqual(ws.map((w) => w.requestId));
	});

	it('close() aborts a delivery in flight, and later deliveries reject', async () => {
		const ws = generateSession({ adds: 0, random: seededRandom(24) });
		receiver.respond = () => 'hang';
		const sender = newSender({ timeoutMs: 10000 });
		const pending = sender.deliver(ws);
		await until(() => receiver.received.length === 1);
		sender.close();
		expect(await pending).toEqual({ attempted: 1, succeeded: 0, failed: 1 });
		expect(attemptsOf(sender, ws[0])).toEqual([{ kind: 'initial', error: 'aborted' }]);
		await expect(sender.deliver(ws)).rejects.toThrow(/closed/);
	});

	it('needs a URL (settable later) and a signing key', async () => {
		const ws = generateSession({ adds: 0, random: seededRandom(25) });
		const sender = newSender({ url: null });
		await expect(sender.deliver(ws)).rejects.toThrow(/no delivery URL/);
		sender.url = receiver.url;
		expect(await sender.deliver(ws)).toEqual({ attempted: 1, succeeded: 1, failed: 0 });
		expect(() => new TartanSender({ appSecretKey: '' })).toThrow(TypeError);
		expect(JSON.stringify(sender)).not.toContain(C.appSecretKey);
	});
});

describe('sender.js: what each search_type selects', () => {
	// Session A (org A): counters 1-4 sent at T0..T0+3; session B (org B): counters 1-3 at T0+100..T0+102.
	// A2 (500), A4 (reset) and B1 (500) failed.
	let receiver: ScriptedReceiver;
	let sender: TartanSender;
	let a: TartanWebhook[];
	let b: TartanWebhook[];
	const labels = new Map<string, string>();

	beforeAll(async () => {
		a = generateSession({ adds: 30, orgId: ORG_A, random: seededRandom(30), clock: clockFrom(T0) });
		b = generateSession({ adds: 20, orgId: ORG_B, random: seededRandom(31), clock: clockFrom(T0 + 100) });
		a.forEach((w) => labels.set(w.requestId, `A${w.webhookCounter}`));
		b.forEach((w) => labels.set(w.requestId, `B${w.webhookCounter}`));
		const failures: Record<string, ReceiverAction> = { A2: 500, A4: 'reset', B1: 500 };
		receiver = await startScriptedReceiver(C.appSecretKey, (d) => failures[labels.get(String(d.requestId)) ?? ''] ?? 200);
		sender = new TartanSender({ url: receiver.url, appSecretKey: C.appSecretKey, timeoutMs: 2000 });
		await sender.deliver([...a, ...b]);
	});

	afterAll(async () => {
		sender.close();
		await receiver.close();
	});

	const sessionA = () => a[0].syncSessionId;
	const cases: Array<[string, () => Record<string, unknown>, string[]]> = [
		['sync_session', () => ({ sync_session_id: sessionA() }), ['A1', 'A2', 'A3', 'A4']],
		['sync_session_counter', () => ({ sync_session_id: sessionA(), webhook_counter: [2, 3, 9] }), ['A2', 'A3']],
		['sync_session_status', () => ({ sync_session_id: sessionA(), status: 'fail' }), ['A2', 'A4']],
		['sync_session_counter_status', () => ({ sync_session_id: sessionA(), webhook_counter: [1, 2], status: 'fail' }), ['A2']],
		['time_range', () => ({ request_timestamp: T0 + 1, end_request_timestamp: T0 + 100 }), ['A2', 'A3', 'A4', 'B1']],
		['time_range_status', () => ({ request_timestamp: T0, end_request_timestamp: T0 + 200, status: 'fail' }), ['A2', 'A4', 'B1']],
		['time_range_org', () => ({ request_timestamp: T0, end_request_timestamp: T0 + 200, client_org_id: ORG_B }), ['B1', 'B2', 'B3']],
		[
			'time_range_status_org',
			() => ({ request_timestamp: T0 + 2, end_request_timestamp: T0 + 101, status: 'success', client_org_id: ORG_A }),
			['A3'],
		],
		['org_only', () => ({ client_org_id: ORG_A }), ['A1', 'A2', 'A3', 'A4']],
		['request_id', () => ({ request_id: b[1].requestId.toUpperCase() }), ['B2']],
	];

	it('covers the ten search types of the API', () => {
		expect(cases.map(([type]) => type)).toEqual(loadSpec().resend.searchTypes);
		expect(Object.keys(SEARCH_TYPES)).toEqual(loadSpec().resend.searchTypes);
	});

	it('logged the failures the receiver was told to cause', () => {
		const failed = [...sender.log.values()].filter((e) => e.status === 'fail').map((e) => labels.get(e.webhook.requestId));
		expect(failed).toEqual(['A2', 'A4', 'B1']);
	});

	it.each(cases)('%s selects exactly the right webhooks', (searchType, fields, expected) => {
		const body = { search_type: searchType, ...fields() };
		expect(loadSpec().resend.validate(body)).toEqual(expect.objectContaining({ ok: true }));
		expect(sender.select(body).map((w) => labels.get(w.requestId))).toEqual(expected);
	});

	it('status "all" selects both outcomes, "success" only successes', () => {
		const select = (status: string) =>
			sender.select({ search_type: 'sync_session_status', sync_session_id: sessionA(), status }).map((w) => labels.get(w.requestId));
		expect(select('all')).toEqual(['A1', 'A2', 'A3', 'A4']);
		expect(select('success')).toEqual(['A1', 'A3']);
	});
});

describe('POST /api/webhooks/resend re-delivers what it selects', () => {
	let receiver: ScriptedReceiver;
	let box: Sandbox;
	let ws: TartanWebhook[];

	const resendTo = (body: unknown, authorization = C.apiKey) =>
		fetch(`${box.url}${RESEND}`, {
			method: 'POST',
			headers: { authorization, 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});

	beforeEach(async () => {
		receiver = await startScriptedReceiver(C.appSecretKey, (d) => (d.webhookCounter === 2 ? 500 : 200));
		box = await startSandbox({ deliverTo: receiver.url, sender: { timeoutMs: 2000, concurrency: 2 } });
		ws = generateSession({ adds: 25, random: seededRandom(40) });
		await box.sender.deliver(ws);
		receiver.respond = () => 200;
	});

	afterEach(async () => {
		await box.close();
		await receiver.close();
	});

	it('answers 200, then delivers the selected webhooks again with identical bytes and signature', async () => {
		const res = await resendTo({ search_type: 'sync_session_status', sync_session_id: ws[0].syncSessionId, status: 'fail' });
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ success: true, message: 'Webhook resend triggered successfully.' });
		expect(box.pendingResends.size).toBeLessThanOrEqual(1);
		await box.idle();
		expect(box.pendingResends.size).toBe(0);
		const [first, again] = receiver.received.filter((d) => d.requestId === ws[1].requestId);
		expect(receiver.received).toHaveLength(ws.length + 1);
		expect(again.raw.equals(first.raw)).toBe(true);
		expect(again.raw.equals(ws[1].bytes)).toBe(true);
		expect(again.signature).toBe(first.signature);
		expect(again.verified).toBe(true);
		expect(attemptsOf(box.sender, ws[1])).toEqual([
			{ kind: 'initial', status: 500 },
			{ kind: 'resend', status: 200 },
		]);
		expect(box.sender.log.get(ws[1].requestId)?.status).toBe('success');
	});

	it('re-delivers successes too when the body asks for them (request_id)', async () => {
		expect((await resendTo({ search_type: 'request_id', request_id: ws[0].requestId })).status).toBe(200);
		await box.idle();
		expect(receiver.received.map((d) => d.requestId).slice(ws.length)).toEqual([ws[0].requestId]);
	});

	it('re-delivers nothing for a 401, a 400 or a scripted answer', async () => {
		const body = { search_type: 'sync_session', sync_session_id: ws[0].syncSessionId };
		expect((await resendTo(body, WRONG_VALUE)).status).toBe(401);
		expect((await resendTo({ ...body, status: 'fail' })).status).toBe(400);
		box.script('resend', [{ status: 503 }, { status: 200 }]);
		expect((await resendTo(body)).status).toBe(503);
		expect((await resendTo(body)).status).toBe(200);
		await box.idle();
		expect(receiver.received).toHaveLength(ws.length);
		expect(box.sender.stats().attempts.resend).toBe(0);
		expect(box.requestsFor('resend').map((r) => r.response?.status)).toEqual([401, 400, 503, 200]);
	});

	it('a resend that selects nothing delivers nothing', async () => {
		expect((await resendTo({ search_type: 'org_only', client_org_id: ORG_B })).status).toBe(200);
		await box.idle();
		expect(receiver.received).toHaveLength(ws.length);
		expect(box.backgroundErrors).toEqual([]);
	});
});

describe('the sink (target system)', () => {
	const SINK = '/sink/records';
	const record = (id: string, extra: Record<string, unknown> = {}) => ({ syncSessionId: UUID, event: ADD, employeeId: id, ...extra });
	const postRecord = (body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal) =>
		fetch(`${sb.url}${SINK}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal });

	it('without an idempotency key every POST applies; with one, only the first', async () => {
		for (let i = 0; i < 2; i++) {
			const res = await postRecord(record('1'));
			expect(res.status).toBe(200);
			expect(await res.json()).toEqual({ ok: true, applied: true });
		}
		const applied: boolean[] = [];
		for (let i = 0; i < 2; i++) applied.push(((await (await postRecord(record('2'), { 'idempotency-key': 'k-2' })).json()) as { applied: boolean }).applied);
		expect(applied).toEqual([true, false]);
		expect(sb.sink.records.get(`${UUID}|${ADD}|1`)).toEqual({ received: 2, applied: 2 });
		expect(sb.sink.records.get(`${UUID}|${ADD}|2`)).toEqual({ received: 2, applied: 1 });
	});

	it('keys an n8n per-record item by its webhook envelope', async () => {
		const ws = generateSession({ adds: 3, random: seededRandom(50) });
		const { body, ...envelope } = ws[1].payload;
		const items = (body as EmployeeRecord[]).map((r, i) => ({ ...r, webhook: envelope, deliveryKey: `${ws[1].requestId}#${i + 1}` }));
		for (const item of items) expect((await postRecord(item, { 'idempotency-key': item.deliveryKey })).status).toBe(200);
		const summary = sb.sink.summary(recordKeysOf(ws));
		expect(summary).toEqual({ records: 3, received: 3, applied: 3, missing: [], duplicated: [], redundantReceipts: [], unexpected: [] });
	});

	it('answers 400 for a body it cannot identify, and records nothing', async () => {
		const noId = await postRecord({ syncSessionId: UUID, event: ADD });
		const array = await postRecord([record('1')]);
		const notJson = await fetch(`${sb.url}${SINK}`, { method: 'POST', body: 'not json' });
		expect([noId.status, array.status, notJson.status]).toEqual([400, 400, 400]);
		expect(await noId.json()).toEqual({ ok: false, message: MESSAGES.sinkKey });
		expect(sb.sink.records.size).toBe(0);
	});

	it('a sink fault refuses every record while set: a status, or a hang that ends in a dropped connection', async () => {
		sb.sinkFault({ status: 503 });
		const refused = await postRecord(record('1'));
		expect(refused.status).toBe(503);
		expect(((await refused.json()) as { ok: boolean }).ok).toBe(false);
		expect((await postRecord(record('1'))).status).toBe(503);
		sb.sinkFault({ hangMs: 200 });
		const start = Date.now();
		await expect(postRecord(record('2'))).rejects.toThrow();
		expect(Date.now() - start).toBeGreaterThanOrEqual(190);
		expect(sb.sink.records.size).toBe(0);
		expect(sb.requestsFor('sink').map((r) => r.response)).toEqual([
			expect.objectContaining({ status: 503, fault: true }),
			expect.objectContaining({ status: 503, fault: true }),
			{ status: null, body: null, dropped: true, fault: true },
		]);
		sb.sinkFault(null);
		expect((await postRecord(record('2'))).status).toBe(200);
		expect(sb.sink.summary().records).toBe(1);
	});

	it('scripted 5xx and drops refuse the record; a client that gave up is not recorded either', async () => {
		sb.script('sink', [{ status: 500 }, { drop: true }]);
		expect((await postRecord(record('1'))).status).toBe(500);
		await expect(postRecord(record('1'))).rejects.toThrow();
		sb.setLatency('sink', 300);
		await expect(postRecord(record('1'), {}, AbortSignal.timeout(100))).rejects.toThrow();
		await until(() => sb.requestsFor('sink')[2]?.response !== null);
		expect(sb.requestsFor('sink')[2].response).toEqual({ status: null, body: null, aborted: true });
		expect(sb.sink.records.size).toBe(0);
		expect((await postRecord(record('1'))).status).toBe(200);
		expect(sb.sink.records.get(`${UUID}|${ADD}|1`)).toEqual({ received: 1, applied: 1 });
	});

	it('summary() reports missing, duplicated, redundant and unexpected keys', () => {
		sb.sink.accept('k1');
		sb.sink.accept('k1');
		sb.sink.accept('k2', 'idem');
		sb.sink.accept('k2', 'idem');
		sb.sink.accept('k3');
		expect(sb.sink.summary(['k1', 'k2', 'k4'])).toEqual({
			records: 3,
			received: 5,
			applied: 4,
			missing: ['k4'],
			duplicated: ['k1'],
			redundantReceipts: ['k1', 'k2'],
			unexpected: ['k3'],
		});
		sb.reset();
		expect(sb.sink.records.size).toBe(0);
	});

	it('GET /sink/records answers counts only, against the delivery log', async () => {
		await postRecord(record('1', { name: 'Zoë Countonly' }));
		const res = await fetch(`${sb.url}${SINK}`);
		const text = await res.text();
		expect(res.status).toBe(200);
		expect(JSON.parse(text)).toEqual({
			ok: true,
			records: 1,
			received: 1,
			applied: 1,
			expected: 0,
			missing: 0,
			duplicated: 0,
			redundantReceipts: 0,
		});
		expect(text).not.toContain('Zoë');
		expect(text).not.toContain(UUID);
	});

	it('rejects malformed faults; answers loopback clients only', () => {
		expect(() => sb.sinkFault({ status: 42 })).toThrow(TypeError);
		expect(() => sb.sinkFault({ hangMs: -1 })).toThrow(TypeError);
		expect(() => sb.sinkFault('503' as unknown as null)).toThrow(TypeError);
		expect(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'].map(isLoopback)).toEqual([true, true, true, true]);
		expect(['10.0.0.1', '::ffff:192.168.1.2', '', undefined, '1127.0.0.1'].map(isLoopback)).toEqual([false, false, false, false, false]);
	});

	it('records sink and control requests under their route names and reports them to onResponse', async () => {
		const seen: string[] = [];
		const other = await startSandbox({ onResponse: (r) => seen.push(`${r.route} ${r.method} ${r.path} ${r.response?.status}`) });
		try {
			await fetch(`${other.url}${SINK}`);
			await fetch(`${other.url}/sandbox/deliveries`);
			await fetch(`${other.url}/sandbox/sessions`);
			expect(seen).toEqual(['sink GET /sink/records 200', 'control GET /sandbox/deliveries 200', 'other GET /sandbox/sessions 404']);
		} finally {
			await other.close();
		}
	});
});

describe('control endpoints', () => {
	let receiver: ScriptedReceiver;
	let box: Sandbox;
	const control = (path: string, body?: unknown) =>
		fetch(`${box.url}${path}`, body === undefined ? { method: 'POST' } : { method: 'POST', body: JSON.stringify(body) });

	beforeEach(async () => {
		receiver = await startScriptedReceiver(C.appSecretKey, (d) => (d.webhookCounter === 2 ? 500 : 200));
		box = await startSandbox({ sender: { timeoutMs: 2000 } });
	});

	afterEach(async () => {
		await box.close();
		await receiver.close();
	});

	it('POST /sandbox/sessions generates a session and delivers it in the background', async () => {
		expect((await control('/sandbox/sessions', { adds: 12 })).status).toBe(409);
		const res = await control('/sandbox/sessions', { adds: 12, seed: 7, url: receiver.url });
		expect(res.status).toBe(202);
		const answer = (await res.json()) as { syncSessionId: string; requestIds: string[]; webhooks: number };
		expect(answer.webhooks).toBe(3);
		expect(answer.requestIds).toHaveLength(3);
		expect(box.sender.url).toBe(receiver.url);
		await box.idle();
		expect(receiver.received.map((d) => [d.requestId, d.verified])).toEqual(answer.requestIds.map((id) => [id, true]));
		expect(receiver.received.every((d) => (d.json as { syncSessionId: string }).syncSessionId === answer.syncSessionId)).toBe(true);
		const again = generateSession({ adds: 12, random: seededRandom(7) });
		expect(again.map((w) => w.requestId)).toEqual(answer.requestIds);
	});

	it('GET /sandbox/deliveries shows status and attempts without payloads; POST /sandbox/end-of-day re-sends failures', async () => {
		await control('/sandbox/sessions', { adds: 12, url: receiver.url });
		await box.idle();
		receiver.respond = () => 200;
		const before = await fetch(`${box.url}/sandbox/deliveries`);
		const text = await before.text();
		const view = JSON.parse(text) as { fail: number; deliveries: Array<Record<string, unknown>> };
		expect(view).toMatchObject({ webhooks: 3, success: 2, fail: 1, pending: 0, attempts: { initial: 3, eod: 0, resend: 0 } });
		expect(Object.keys(view.deliveries[1])).toEqual(['requestId', 'syncSessionId', 'webhookCounter', 'event', 'status', 'attempts']);
		expect(view.deliveries[1]).toMatchObject({ webhookCounter: 2, event: ADD, status: 'fail', attempts: [{ kind: 'initial', status: 500 }] });
		expect(text).not.toContain('@example.com');
		expect(text).not.toContain('employeeId');

		const eod = await control('/sandbox/end-of-day');
		expect(eod.status).toBe(200);
		expect(await eod.json()).toEqual({ attempted: 1, succeeded: 1, failed: 0 });
		expect(box.sender.stats()).toMatchObject({ success: 3, fail: 0, attempts: { initial: 3, eod: 1, resend: 0 } });
		expect(box.requestsFor('control').map((r) => `${r.method} ${r.path} ${r.response?.status}`)).toEqual([
			'POST /sandbox/sessions 202',
			'GET /sandbox/deliveries 200',
			'POST /sandbox/end-of-day 200',
		]);
	});

	it.each<[string, unknown, string]>([
		['batchSize 11', { batchSize: 11 }, 'batchSize must be an integer from 1 to 10'],
		['an unknown option', { adds: 1, clock: 5 }, 'Unknown option(s): clock'],
		['a non-http url', { url: 'file:///etc/passwd' }, 'url must be an http(s) URL'],
		['a non-object body', [1], 'The body must be a JSON object'],
	])('POST /sandbox/sessions answers 400 for %s', async (_label, body, message) => {
		const res = await control('/sandbox/sessions', body);
		expect(res.status).toBe(400);
		expect(((await res.json()) as { message: string }).message).toContain(message);
		expect(box.sender.log.size).toBe(0);
	});
});

describe('cli.js: the sending side', () => {
	it('delivers to --deliver-to, prints the new endpoints, logs deliveries without payloads', async () => {
		const receiver = await startScriptedReceiver(C.appSecretKey);
		const cli = await startCli(['--deliver-to', receiver.url]);
		try {
			const res = await fetch(`${cli.url}/sandbox/sessions`, { method: 'POST', body: '{"adds":12,"seed":3}' });
			expect(res.status).toBe(202);
			await until(() => (cli.output().match(/ DELIVER /g) ?? []).length === 3);
		} finally {
			const { output } = await cli.stop();
			await receiver.close();
			expect(output).toContain(`Delivers to:  ${receiver.url}`);
			expect(output).toContain(`curl -X POST ${cli.url}/sandbox/sessions -d '{"adds":25}'`);
			expect(output).toContain(`curl -X POST ${cli.url}/sandbox/end-of-day`);
			expect(output).toContain(`${cli.url}/sink/records`);
			expect(output).toContain('POST /sandbox/sessions -> 202');
			expect(output).toMatch(/DELIVER sync\.events\.employee\.add #2 -> 200 \(initial, \d+ ms\)/);
			const names = generateSession({ adds: 12, random: seededRandom(3) })
				.filter((w) => w.event === ADD)
				.flatMap((w) => recordsOf(w).map((r) => String(r.email)));
			for (const email of names) expect(output).not.toContain(email);
		}
		expect(receiver.received.map((d) => d.verified)).toEqual([true, true, true]);
	});

	it('takes TARTAN_WEBHOOK_URL, and refuses unknown arguments', async () => {
		const cli = await startCli([], { TARTAN_WEBHOOK_URL: 'http://127.0.0.1:9/from-env' });
		const { output } = await cli.stop();
		expect(output).toContain('Delivers to:  http://127.0.0.1:9/from-env');
		const bad = await runScript('cli.js', ['--bogus']);
		expect(bad.code).toBe(1);
		expect(bad.stderr).toContain('unknown argument --bogus');
		const noUrl = await runScript('cli.js', ['--deliver-to', 'not a url']);
		expect(noUrl.stderr).toContain('--deliver-to must be an http(s) URL');
	});
});

import { createHmac, randomBytes } from 'crypto';
import { mock } from 'jest-mock-extended';
import type {
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	IDataObject,
	IHookFunctions,
	INode,
	IWebhookFunctions,
} from 'n8n-workflow';

import connectionRequested from '../fixtures/webhooks/connection-requested.json';
import connectionTerminated from '../fixtures/webhooks/connection-terminated.json';
import employeeAddDelta from '../fixtures/webhooks/employee-add-delta.json';
import employeeAddInitial from '../fixtures/webhooks/employee-add-initial.json';
import employeeUpdate from '../fixtures/webhooks/employee-update.json';
import syncInitiated from '../fixtures/webhooks/sync-initiated.json';
import { TartanTrigger } from '../../nodes/TartanTrigger/TartanTrigger.node';

// Fresh signing keys every run.
const APP_KEY = randomBytes(24).toString('base64url');
const OLD_KEY = randomBytes(24).toString('base64url');

const FIXTURES: Array<[string, IDataObject]> = [
	['sync initiated', syncInitiated],
	['employee add (initial)', employeeAddInitial],
	['employee add (delta)', employeeAddDelta],
	['employee update', employeeUpdate],
	['connection requested', connectionRequested],
	['connection terminated', connectionTerminated],
];

const sign = (key: string, bytes: Buffer) => createHmac('sha256', key).update(bytes).digest('hex');
/** The documentation's pretty-printed form: these bytes are what is signed and sent. */
const bytesOf = (payload: unknown) => Buffer.from(JSON.stringify(payload, null, 4), 'utf8');

interface Call {
	rawBody?: Buffer;
	signatures?: string[];
	credentials?: IDataObject | Error;
	params?: IDataObject;
	/** n8n's readRawBody() for a body it did not read itself (multipart): resolves to the bytes, or rejects. */
	readRawBody?: () => Promise<Buffer>;
	/** The workflow id (refusal lines are rate-limited per workflow, node and reason): a fresh one per call unless given. */
	workflowId?: string;
}

function webhookContext({ rawBody, signatures = [], credentials = { appSecretKey: APP_KEY }, params = {}, readRawBody, workflowId }: Call) {
	const context = mock<IWebhookFunctions>();
	const rawHeaders = ['Content-Type', 'application/json', 'Host', 'n8n.local'];
	for (const signature of signatures) rawHeaders.push('Tartan-Signature', signature);
	const headers: IDataObject = { 'content-type': 'application/json', host: 'n8n.local' };
	if (signatures.length > 0) headers['tartan-signature'] = signatures.join(', ');
	const request: IDataObject = { rawBody, rawHeaders, headers, ip: '203.0.113.7' };
	if (readRawBody) {
		request.readRawBody = async () => {
			request.rawBody = await readRawBody();
		};
	}
	context.getRequestObject.mockReturnValue(request as never);
	context.getWorkflow.mockReturnValue({ id: workflowId ?? randomBytes(8).toString('hex'), name: 'HR sync', active: true });
	context.getNode.mockReturnValue({ name: 'Tartan Trigger' } as INode);

	const response = { status: jest.fn(), json: jest.fn() };
	response.status.mockReturnValue(response);
	response.json.mockReturnValue(response);
	context.getResponseObject.mockReturnValue(response as never);
	const logger = { warn: jest.fn(), info: jest.fn(), debug: jest.fn(), error: jest.fn() };
	Object.assign(context, { logger });

	if (credentials instanceof Error) context.getCredentials.mockRejectedValue(credentials);
	else context.getCredentials.mockResolvedValue(credentials);

	// These tests are about the signature, the envelope and the answers: records as Tartan sent them
	// (Personal Data: Off). The policy, on by default, is tested in personalData.node.test.ts.
	const values: IDataObject = { events: ['*'], customEvents: '', output: 'perWebhook', options: {}, personalData: 'off', ...params };
	context.getNodeParameter.mockImplementation(((name: string, fallback: unknown) =>
		name in values ? values[name] : fallback) as never);
	return { context, response, logger };
}

async function deliver(call: Call) {
	const { context, response, logger } = webhookContext(call);
	const result = await new TartanTrigger().webhook.call(context);
	return { result, response, logger };
}

async function deliverSigned(payload: unknown, params: IDataObject = {}, key = APP_KEY) {
	const rawBody = bytesOf(payload);
	return deliver({ rawBody, signatures: [sign(key, rawBody)], params, credentials: { appSecretKey: APP_KEY, previousAppSecretKey: OLD_KEY } });
}

describe('Tartan Trigger webhook()', () => {
	describe.each(FIXTURES)('a signed %s webhook', (_name, payload) => {
		it('starts the workflow with the payload as one item, keys as sent, plus its delivery key', async () => {
			const { result, response } = await deliverSigned(payload);
			expect(response.status).not.toHaveBeenCalled();
			expect(result.noWebhookResponse).toBeUndefined();
			expect(result.workflowData).toHaveLength(1);
			const items = result.workflowData![0];
			expect(items).toHaveLength(1);
			expect(items[0].json).toEqual({ ...payload, deliveryKey: payload.requestId });
			expect(Object.keys(items[0].json)).toContain('vendor.orgId');
			expect(items[0].json['vendor.orgId']).toBe('3fa85f64-5717-4562-b3fc-2c963f66afa6');
			expect(result.webhookResponse).toEqual({ received: true, deliveryKey: payload.requestId });
		});

		it('gives one item per element of body in per-record mode, each with the envelope', async () => {
			const { result } = await deliverSigned(payload, { output: 'perRecord' });
			const records = payload.body as IDataObject[];
			const items = result.workflowData![0];
			expect(items).toHaveLength(records.length);
			const envelope = Object.fromEntries(Object.entries(payload).filter(([key]) => key !== 'body'));
			items.forEach((item, index) => {
				expect(item.json).toEqual({
					...records[index],
					webhook: envelope,
					deliveryKey: `${payload.requestId}#${index + 1}`,
				});
				expect((item.json.webhook as IDataObject)['vendor.orgId']).toBe(payload['vendor.orgId']);
			});
		});

		it.each([
			['signed with another key', { sig: (b: Buffer) => sign('not-the-key', b) }, 'signature_mismatch'],
			['unsigned', { sig: undefined }, 'missing_signature'],
			['signed twice', { sig: (b: Buffer) => [sign(APP_KEY, b), sign(APP_KEY, b)] }, 'repeated_signature'],
			['signed with a malformed header', { sig: () => 'not-hex' }, 'malformed_signature'],
			['altered by one byte after signing', { sig: (b: Buffer) => sign(APP_KEY, b), tamper: true }, 'signature_mismatch'],
			['re-serialised after signing', { sig: (b: Buffer) => sign(APP_KEY, b), compact: true }, 'signature_mismatch'],
		])('answers 401 and starts nothing when %s', async (_label, how, reason) => {
			let rawBody = bytesOf(payload);
			const signature = how.sig?.(rawBody);
			if ('tamper' in how) {
				rawBody = Buffer.from(rawBody);
				rawBody[rawBody.length - 3] ^= 0x20;
			}
			if ('compact' in how) rawBody = Buffer.from(JSON.stringify(payload));
			const signatures = signature === undefined ? [] : [signature].flat();
			const { result, response } = await deliver({ rawBody, signatures });
			expect(result).toEqual({ noWebhookResponse: true });
			expect(response.status).toHaveBeenCalledWith(401);
			expect(response.json).toHaveBeenCalledWith(expect.objectContaining({ error: 'invalid_signature', reason }));
		});
	});

	it('accepts the previous key during a rotation', async () => {
		const { result } = await deliverSigned(syncInitiated, {}, OLD_KEY);
		expect(result.workflowData![0]).toHaveLength(1);
	});

	it('answers 401 without throwing when the credential cannot be loaded, and logs no secret', async () => {
		const rawBody = bytesOf(syncInitiated);
		const { result, response, logger } = await deliver({
			rawBody,
			signatures: [sign(APP_KEY, rawBody)],
			credentials: new Error(`Node does not have credentials ${APP_KEY}`),
		});
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response.status).toHaveBeenCalledWith(401);
		expect(response.json).toHaveBeenCalledWith(expect.objectContaining({ reason: 'missing_key' }));
		const logged = JSON.stringify(logger.warn.mock.calls);
		expect(logged).toContain('no usable signing credential');
		expect(logged).not.toContain(APP_KEY);
	});

	it('answers 401 when the key is empty or there is no raw body', async () => {
		const rawBody = bytesOf(syncInitiated);
		const noKey = await deliver({ rawBody, signatures: [sign('', rawBody)], credentials: { appSecretKey: '' } });
		expect(noKey.response.status).toHaveBeenCalledWith(401);
		const noBody = await deliver({ rawBody: undefined, signatures: [sign(APP_KEY, rawBody)] });
		expect(noBody.response.status).toHaveBeenCalledWith(401);
		expect(noBody.response.json).toHaveBeenCalledWith(expect.objectContaining({ reason: 'missing_body' }));
	});

	it('never puts the key in a 401 answer', async () => {
		const rawBody = bytesOf(syncInitiated);
		const { response } = await deliver({ rawBody, signatures: [sign('wrong', rawBody)] });
		expect(JSON.stringify(response.json.mock.calls)).not.toContain(APP_KEY);
	});

	it('answers 400 for a correctly signed body that is not a JSON object', async () => {
		for (const text of ['not json at all', '[1,2,3]', '"a string"', 'null']) {
			const rawBody = Buffer.from(text);
			const { result, response } = await deliver({ rawBody, signatures: [sign(APP_KEY, rawBody)] });
			expect(result).toEqual({ noWebhookResponse: true });
			expect(response.status).toHaveBeenCalledWith(400);
		}
	});

	describe('event filter', () => {
		it('acknowledges and ignores a verified webhook whose event is not selected', async () => {
			const { result, response } = await deliverSigned(syncInitiated, { events: ['sync.events.employee.add'] });
			expect(response.status).not.toHaveBeenCalled();
			expect(result.workflowData).toBeUndefined();
			expect(result.webhookResponse).toEqual({ received: true, ignored: expect.stringContaining('not selected') });
		});

		it('starts for a selected event', async () => {
			const { result } = await deliverSigned(employeeAddInitial, {
				events: ['sync.events.employee.add', 'connection.events.terminated'],
			});
			expect(result.workflowData![0]).toHaveLength(1);
		});

		it('starts for an event named in the free-text list', async () => {
			const future = { ...syncInitiated, event: 'sync.events.employee.delete' };
			const ignored = await deliverSigned(future, { events: ['sync.events.initiated'] });
			expect(ignored.result.workflowData).toBeUndefined();
			const started = await deliverSigned(future, {
				events: ['sync.events.initiated'],
				customEvents: 'connection.events.paused, sync.events.employee.delete',
			});
			expect(started.result.workflowData![0][0].json.event).toBe('sync.events.employee.delete');
		});
	});

	describe('maximum age', () => {
		it('is off by default: a months-old re-delivery starts the workflow', async () => {
			const { result } = await deliverSigned(connectionTerminated);
			expect(result.workflowData![0]).toHaveLength(1);
		});

		it('ignores a webhook older than the limit, and accepts an empty timeStamp', async () => {
			const stale = await deliverSigned(employeeUpdate, { options: { maxAgeMinutes: 60 } });
			expect(stale.result.workflowData).toBeUndefined();
			expect(stale.result.webhookResponse).toEqual({ received: true, ignored: expect.stringMatching(/minutes old/) });

			expect(employeeAddInitial.timeStamp).toBe('');
			const undated = await deliverSigned(employeeAddInitial, { options: { maxAgeMinutes: 60 } });
			expect(undated.result.workflowData![0]).toHaveLength(1);

			const now = new Date(Date.now() - 5 * 60000).toISOString().replace('T', ' ').slice(0, 19);
			const fresh = await deliverSigned({ ...employeeUpdate, timeStamp: now }, { options: { maxAgeMinutes: 60 } });
			expect(fresh.result.workflowData![0]).toHaveLength(1);
		});
	});

	it('adds the request headers when asked', async () => {
		const { result } = await deliverSigned(syncInitiated, { options: { includeHeaders: true } });
		const item = result.workflowData![0][0].json;
		expect(item.headers).toEqual(expect.objectContaining({ 'content-type': 'application/json' }));
		const without = await deliverSigned(syncInitiated);
		expect(without.result.workflowData![0][0].json).not.toHaveProperty('headers');
	});

	it('keys deliveries without a requestId by sync session and counter', async () => {
		const withoutRequestId = Object.fromEntries(
			Object.entries(employeeUpdate).filter(([key]) => key !== 'requestId'),
		);
		const { result } = await deliverSigned(withoutRequestId);
		expect(result.workflowData![0][0].json.deliveryKey).toBe('fdsbdgfvvdsd:1');
	});

	it('gives the same delivery key to a re-delivery of the same webhook', async () => {
		const first = await deliverSigned(employeeAddDelta, { output: 'perRecord' });
		const again = await deliverSigned(employeeAddDelta, { output: 'perRecord' });
		const keys = (r: typeof first) => r.result.workflowData![0].map((i) => i.json.deliveryKey);
		expect(keys(again)).toEqual(keys(first));
		expect(new Set(keys(first)).size).toBe(employeeAddDelta.body.length);
	});
});

describe('Tartan Trigger: bodies n8n did not read, and refusals in the log', () => {
	it('reads a body n8n left unread (multipart/*) itself and verifies those exact bytes', async () => {
		const rawBody = bytesOf(employeeUpdate);
		const { result, response } = await deliver({ readRawBody: async () => rawBody, signatures: [sign(APP_KEY, rawBody)] });
		expect(response.status).not.toHaveBeenCalled();
		expect(result.workflowData![0][0].json).toEqual({ ...employeeUpdate, deliveryKey: employeeUpdate.requestId });
	});

	it('answers 401 for such a body signed over other bytes', async () => {
		const rawBody = bytesOf(employeeUpdate);
		const { result, response } = await deliver({ readRawBody: async () => rawBody, signatures: [sign(APP_KEY, Buffer.from('other'))] });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response.status).toHaveBeenCalledWith(401);
	});

	it('answers 413 (never throws) when the body is over n8n\'s size limit, and 400 when it cannot be read', async () => {
		const tooLarge = Object.assign(new Error('request entity too large'), { status: 413, type: 'entity.too.large' });
		const big = await deliver({ readRawBody: async () => Promise.reject(tooLarge), signatures: ['a'.repeat(64)] });
		expect(big.result).toEqual({ noWebhookResponse: true });
		expect(big.response.status).toHaveBeenCalledWith(413);
		expect(big.response.json).toHaveBeenCalledWith(expect.objectContaining({ error: 'body_too_large' }));
		const broken = await deliver({ readRawBody: async () => Promise.reject(new Error('aborted')), signatures: ['a'.repeat(64)] });
		expect(broken.response.status).toHaveBeenCalledWith(400);
		expect(broken.response.json).toHaveBeenCalledWith(expect.objectContaining({ error: 'unreadable_body' }));
		expect(broken.logger.warn.mock.calls[0][0]).toContain('reason=unreadable_body');
	});

	it('answers 415 for a multipart/form-data body n8n has already consumed (its bytes cannot be verified)', async () => {
		const { context, response, logger } = webhookContext({ readRawBody: async () => Promise.reject(Object.assign(new Error('stream is not readable'), { type: 'stream.not.readable' })), signatures: ['a'.repeat(64)] });
		const request = context.getRequestObject() as unknown as IDataObject;
		request.headers = { 'content-type': 'multipart/form-data; boundary=x' };
		const result = await new TartanTrigger().webhook.call(context);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response.status).toHaveBeenCalledWith(415);
		expect(response.json).toHaveBeenCalledWith(expect.objectContaining({ error: 'unsupported_content_type' }));
		expect(logger.warn.mock.calls[0][0]).toContain('reason=multipart_body status=415');
	});

	it.each([
		['a wrong key', (b: Buffer) => [sign('not-the-key', b)], 'signature_mismatch', 401],
		['no header', () => [], 'missing_signature', 401],
		['a malformed header', () => ['sha256=' + 'a'.repeat(64)], 'malformed_signature', 401],
		['two headers', (b: Buffer) => [sign(APP_KEY, b), sign(APP_KEY, b)], 'repeated_signature', 401],
	])('logs a refusal for %s at warn: reason, status, workflow, node, remote address, body length; no key, signature or body', async (_label, sigs, reason, status) => {
		const rawBody = bytesOf(employeeUpdate);
		const signatures = sigs(rawBody);
		const { logger } = await deliver({ rawBody, signatures, workflowId: `wf-${reason}` });
		expect(logger.warn).toHaveBeenCalledTimes(1);
		const [line, meta] = logger.warn.mock.calls[0];
		expect(line).toBe(
			`Tartan Trigger refused a delivery: reason=${reason} status=${status} workflow=wf-${reason} workflowName="HR sync" node="Tartan Trigger" remoteAddress=203.0.113.7 bodyBytes=${rawBody.length}`,
		);
		expect(meta).toEqual(expect.objectContaining({ reason, status, workflowId: `wf-${reason}`, remoteAddress: '203.0.113.7', bodyBytes: rawBody.length }));
		const logged = JSON.stringify(logger.warn.mock.calls);
		expect(logged).not.toContain(APP_KEY);
		for (const signature of signatures) expect(logged).not.toContain(signature.replace(/^sha256=/, ''));
		expect(logged).not.toContain(employeeUpdate.requestId);
		expect(logged).not.toContain('tartanhq.com');
	});

	it('logs a signed body that is not a JSON object at warn, and an unselected event at info', async () => {
		const notObject = Buffer.from('[1,2,3]');
		const refused = await deliver({ rawBody: notObject, signatures: [sign(APP_KEY, notObject)] });
		expect(refused.logger.warn.mock.calls[0][0]).toContain('reason=invalid_payload status=400');
		const ignored = await deliverSigned(employeeUpdate, { events: ['sync.events.initiated'] });
		expect(ignored.logger.warn).not.toHaveBeenCalled();
		expect(ignored.logger.info.mock.calls[0][0]).toMatch(/^Tartan Trigger ignored a delivery: reason=event_not_selected status=200 /);
	});

	it('rate-limits a flood: one line per workflow, node and reason, and the next line counts what was held back', async () => {
		const rawBody = bytesOf(employeeUpdate);
		const warnings: string[] = [];
		const workflowId = `flood-${randomBytes(4).toString('hex')}`;
		for (let i = 0; i < 200; i++) {
			const { logger } = await deliver({ rawBody, signatures: [sign(`wrong-${i}`, rawBody)], workflowId });
			warnings.push(...logger.warn.mock.calls.map((call) => call[0] as string));
		}
		expect(warnings).toHaveLength(1);
		// Another reason, or another workflow, has its own line
		const other = await deliver({ rawBody, signatures: [], workflowId });
		expect(other.logger.warn).toHaveBeenCalledTimes(1);
		const elsewhere = await deliver({ rawBody, signatures: [sign('x', rawBody)] });
		expect(elsewhere.logger.warn).toHaveBeenCalledTimes(1);
	});
});

describe('Tartan Trigger: the cheap paths (no key read for junk, no second parse)', () => {
	it.each([
		['no header', () => [] as string[], 'missing_signature'],
		['an empty header', () => [''], 'missing_signature'],
		['two headers', (b: Buffer) => [sign(APP_KEY, b), sign(APP_KEY, b)], 'repeated_signature'],
		['a malformed header', () => ['not-hex'], 'malformed_signature'],
	])('refuses %s without reading the credential', async (_label, sigs, reason) => {
		const rawBody = bytesOf(employeeUpdate);
		const { context, response } = webhookContext({ rawBody, signatures: sigs(rawBody) });
		await new TartanTrigger().webhook.call(context);
		expect(response.status).toHaveBeenCalledWith(401);
		expect(response.json).toHaveBeenCalledWith(expect.objectContaining({ reason }));
		expect(context.getCredentials).not.toHaveBeenCalled();
	});

	it('refuses an empty body without reading the credential', async () => {
		const { context, response } = webhookContext({ rawBody: Buffer.alloc(0), signatures: ['a'.repeat(64)] });
		await new TartanTrigger().webhook.call(context);
		expect(response.json).toHaveBeenCalledWith(expect.objectContaining({ reason: 'missing_body' }));
		expect(context.getCredentials).not.toHaveBeenCalled();
	});

	it('reads the credential on every well-formed request (no cache: a rotated key counts at once)', async () => {
		const rawBody = bytesOf(employeeUpdate);
		const first = webhookContext({ rawBody, signatures: [sign(APP_KEY, rawBody)] });
		await new TartanTrigger().webhook.call(first.context);
		expect(first.context.getCredentials).toHaveBeenCalledTimes(1);
		// The same request after the key changed: refused
		const second = webhookContext({ rawBody, signatures: [sign(APP_KEY, rawBody)], credentials: { appSecretKey: 'the-new-key' } });
		await new TartanTrigger().webhook.call(second.context);
		expect(second.response.status).toHaveBeenCalledWith(401);
	});

	/** A context whose request carries what n8n's body parser left on it. */
	function parsedContext(rawBody: Buffer, parsed: { contentType?: string; encoding?: string; body: unknown }) {
		const call = webhookContext({ rawBody, signatures: [sign(APP_KEY, rawBody)] });
		Object.assign(call.context.getRequestObject() as unknown as IDataObject, parsed);
		return call;
	}

	it('uses the object n8n parsed from the same UTF-8 JSON bytes instead of parsing them again', async () => {
		const rawBody = bytesOf(employeeUpdate);
		const parsed = JSON.parse(rawBody.toString('utf8'));
		const { context } = parsedContext(rawBody, { contentType: 'application/json', encoding: 'utf-8', body: parsed });
		const spy = jest.spyOn(JSON, 'parse');
		try {
			const result = await new TartanTrigger().webhook.call(context);
			expect(spy).not.toHaveBeenCalled();
			expect(result.workflowData![0][0].json).toEqual({ ...employeeUpdate, deliveryKey: employeeUpdate.requestId });
		} finally {
			spy.mockRestore();
		}
	});

	it.each([
		['another charset', { contentType: 'application/json', encoding: 'latin1' }],
		['another content type', { contentType: 'text/plain', encoding: 'utf-8' }],
	])('parses the bytes itself for %s', async (_label, parsed) => {
		const rawBody = bytesOf(employeeUpdate);
		const { context } = parsedContext(rawBody, { ...parsed, body: { not: 'what the bytes say' } });
		const result = await new TartanTrigger().webhook.call(context);
		expect(result.workflowData![0][0].json).toEqual({ ...employeeUpdate, deliveryKey: employeeUpdate.requestId });
	});

	it('does not take n8n\'s {} for a signed body that is not an object (n8n turns a JSON null into {})', async () => {
		const rawBody = Buffer.from('null');
		const { context, response } = parsedContext(rawBody, { contentType: 'application/json', encoding: 'utf-8', body: {} });
		const result = await new TartanTrigger().webhook.call(context);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response.status).toHaveBeenCalledWith(400);
		expect(response.json).toHaveBeenCalledWith(expect.objectContaining({ error: 'invalid_payload' }));
	});
});

describe('Tartan Trigger credential test and activation', () => {
	const test = new TartanTrigger().methods.credentialTest.tartanSigningKeyTest;
	const run = (data: IDataObject) =>
		test.call(mock<ICredentialTestFunctions>(), { data } as unknown as ICredentialsDecrypted);

	it('passes a usable key and fails an unusable one, locally', async () => {
		await expect(run({ appSecretKey: APP_KEY, previousAppSecretKey: '' })).resolves.toEqual(
			expect.objectContaining({ status: 'OK' }),
		);
		await expect(run({ appSecretKey: `${APP_KEY} ` })).resolves.toEqual(
			expect.objectContaining({ status: 'Error', message: expect.stringMatching(/white space/) }),
		);
	});

	it('refuses to activate without a usable key, and remembers the URL once activated', async () => {
		const methods = new TartanTrigger().webhookMethods.default;
		const staticData: IDataObject = {};
		const hooks = mock<IHookFunctions>();
		hooks.getNode.mockReturnValue({ name: 'Tartan Trigger' } as INode);
		hooks.getWorkflowStaticData.mockReturnValue(staticData);
		hooks.getNodeWebhookUrl.mockReturnValue('http://n8n.local/webhook/abc/webhook');

		hooks.getCredentials.mockResolvedValue({ appSecretKey: '' });
		await expect(methods.create.call(hooks)).rejects.toThrow(/App Key is empty/);
		expect(await methods.checkExists.call(hooks)).toBe(false);

		hooks.getCredentials.mockResolvedValue({ appSecretKey: APP_KEY });
		expect(await methods.create.call(hooks)).toBe(true);
		expect(await methods.checkExists.call(hooks)).toBe(true);
		expect(await methods.delete.call(hooks)).toBe(true);
		expect(await methods.checkExists.call(hooks)).toBe(false);
	});
});

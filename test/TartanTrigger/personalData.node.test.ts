import { createHmac, randomBytes } from 'crypto';
import { mock } from 'jest-mock-extended';
import {
	NodeOperationError,
	type ICredentialTestFunctions,
	type ICredentialsDecrypted,
	type IDataObject,
	type IHookFunctions,
	type INode,
	type INodeProperties,
	type IWebhookFunctions,
} from 'n8n-workflow';

import { TartanTrigger } from '../../nodes/TartanTrigger/TartanTrigger.node';
import { DEFAULT_MODE, KEEP_LAST } from '../../nodes/TartanTrigger/personalDataTable';
import { verhoeffDigit } from '../../nodes/TartanTrigger/personalDataValues';

const APP_KEY = randomBytes(24).toString('base64url');
const PSEUDONYM_KEY = randomBytes(24).toString('base64url');
const AADHAAR = '23456789012' + verhoeffDigit('23456789012');
const PAN = 'ABCPE1234F';
const ACCOUNT = '50100012345678';
const PERSONAL_EMAIL = 'asha.verma@example.org';

const payload = {
	requestId: 'req-1',
	syncSessionId: 's-1',
	webhookCounter: 1,
	event: 'sync.events.employee.add',
	eventType: 'sync.events.delta',
	body: [
		{ name: 'Asha Verma', employeeId: 'E-1', aadhar: AADHAAR, pan: PAN, personalEmail: PERSONAL_EMAIL, dob: '1990-04-12', bankDetails: { accountNumber: ACCOUNT, bankName: 'HDFC' }, notes: `old PAN ${PAN}` },
		{ name: 'Ravi Rao', employeeId: 'E-2', aadhar: '', pan: '************' },
	],
	timeStamp: '',
};
const SECRETS = [AADHAAR, PAN, ACCOUNT, PERSONAL_EMAIL, '1990-04-12'];

function context(params: IDataObject, credentials: Record<string, IDataObject | undefined> = {}) {
	const rawBody = Buffer.from(JSON.stringify(payload));
	const ctx = mock<IWebhookFunctions>();
	const signature = createHmac('sha256', APP_KEY).update(rawBody).digest('hex');
	ctx.getRequestObject.mockReturnValue({
		rawBody,
		rawHeaders: ['Content-Type', 'application/json', 'Tartan-Signature', signature],
		headers: { 'content-type': 'application/json', 'tartan-signature': signature },
		ip: '203.0.113.7',
	} as never);
	ctx.getWorkflow.mockReturnValue({ id: 'wf', name: 'HR', active: true });
	ctx.getNode.mockReturnValue({ name: 'Tartan Trigger' } as INode);
	const response = { status: jest.fn(), json: jest.fn() };
	response.status.mockReturnValue(response);
	ctx.getResponseObject.mockReturnValue(response as never);
	Object.assign(ctx, { logger: { warn: jest.fn(), info: jest.fn(), debug: jest.fn(), error: jest.fn() } });
	const all: Record<string, IDataObject | undefined> = { tartanWebhookSigningApi: { appSecretKey: APP_KEY }, ...credentials };
	ctx.getCredentials.mockImplementation((async (type: string) => {
		if (!all[type]) throw new Error(`Node "Tartan Trigger" does not have any credentials of type "${type}" set`);
		return all[type];
	}) as never);
	// As n8n does: a parameter not set has the default from the node's description
	const values: IDataObject = { events: ['*'], customEvents: '', output: 'perWebhook', options: {}, ...params };
	ctx.getNodeParameter.mockImplementation(((name: string, fallback: unknown) => (name in values ? values[name] : defaultOf(name) ?? fallback)) as never);
	return ctx;
}

const properties = new TartanTrigger().description.properties;
function defaultOf(name: string): unknown {
	return properties.find((property) => property.name === name)?.default;
}

const run = async (params: IDataObject = {}, credentials: Record<string, IDataObject | undefined> = {}) =>
	new TartanTrigger().webhook.call(context(params, credentials));

describe('Tartan Trigger personal data: on by default', () => {
	it('the node\'s default is Protect, the same default the code falls back to', () => {
		expect(defaultOf('personalData')).toBe('protect');
		expect(DEFAULT_MODE).toBe('protect');
		expect(defaultOf('detectValues')).toBe(true);
	});

	it('a new trigger (no Personal Data setting) outputs no raw value, per webhook and per record, with a report of paths', async () => {
		for (const output of ['perWebhook', 'perRecord']) {
			const result = await run({ output });
			const items = result.workflowData![0];
			const text = JSON.stringify(items);
			for (const secret of SECRETS) expect(text).not.toContain(secret);
			const first = output === 'perRecord' ? items[0].json : (items[0].json.body as IDataObject[])[0];
			expect(first.aadhar).toBe(`xxxx-xxxx-${AADHAAR.slice(-4)}`);
			expect(first.notes).toBe('old PAN ******234F');
			expect(first).not.toHaveProperty('personalEmail');
			const report = items[0].json.personalData as IDataObject;
			const prefix = output === 'perRecord' ? '' : 'body.';
			expect(report).toEqual({
				policy: 'protect',
				dropped: expect.arrayContaining([`${prefix}personalEmail`, `${prefix}dob`]),
				masked: expect.arrayContaining([`${prefix}aadhar`, `${prefix}pan`, `${prefix}bankDetails.accountNumber`, `${prefix}notes`]),
				pseudonymised: [],
				detected: [`${prefix}notes`],
			});
			expect(result.webhookResponse).toEqual({ received: true, deliveryKey: 'req-1' });
		}
	});

	it('Off: records as Tartan sent them, no report', async () => {
		const result = await run({ personalData: 'off' });
		expect(result.workflowData![0][0].json).toEqual({ ...payload, deliveryKey: 'req-1' });
	});

	it('Pseudonymise: the same token in two deliveries, another under another key; the signing key does not matter', async () => {
		const params = { output: 'perRecord', fieldRules: { rules: [{ path: 'aadhaar', action: 'pseudonymise' }] } };
		const token = async (key: string) => (await run(params, { tartanPseudonymKeyApi: { secret: key } })).workflowData![0][0].json.aadhar;
		const first = await token(PSEUDONYM_KEY);
		expect(first).toMatch(/^tkn_[0-9a-f]{32}$/);
		expect(await token(PSEUDONYM_KEY)).toBe(first);
		expect(await token(`${PSEUDONYM_KEY}-rotated`)).not.toBe(first);
	});

	it('fails closed when a rule pseudonymises without a key: an error naming the credential, nothing output, no value in it', async () => {
		const params = { fieldRules: { rules: [{ path: 'aadhar', action: 'pseudonymise' }] } };
		const error = await run(params).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toBe('Personal Data: a field rule pseudonymises, so select a Tartan Pseudonymisation Key credential on the node');
		const short = await run(params, { tartanPseudonymKeyApi: { secret: 'short-key' } }).catch((e: unknown) => e);
		expect((short as Error).message).toMatch(/shorter than 16 characters/);
		expect(JSON.stringify(short)).not.toContain('short-key');
		for (const secret of SECRETS) expect(JSON.stringify(error)).not.toContain(secret);
	});

	it('a bad policy on a delivery throws (n8n answers 500, Tartan re-sends) and outputs nothing', async () => {
		const error = await run({ personalData: 'allowList', fieldRules: {} }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toMatch(/^Personal Data: Only Listed Fields needs at least one field rule/);
	});

	it('a body that is not JSON is refused without quoting it', async () => {
		const ctx = context({});
		const rawBody = Buffer.from(`{"aadhar": ${AADHAAR} oops`);
		const signature = createHmac('sha256', APP_KEY).update(rawBody).digest('hex');
		ctx.getRequestObject.mockReturnValue({ rawBody, rawHeaders: ['Tartan-Signature', signature], headers: { 'tartan-signature': signature } } as never);
		const response = ctx.getResponseObject() as unknown as { status: jest.Mock; json: jest.Mock };
		await new TartanTrigger().webhook.call(ctx);
		expect(response.status).toHaveBeenCalledWith(400);
		expect(JSON.stringify(response.json.mock.calls)).not.toContain(AADHAAR);
	});
});

describe('Tartan Trigger personal data: activation and the editor', () => {
	function hooks(params: IDataObject, credentials: Record<string, IDataObject> = {}) {
		const h = mock<IHookFunctions>();
		h.getNode.mockReturnValue({ name: 'Tartan Trigger' } as INode);
		h.getWorkflowStaticData.mockReturnValue({});
		h.getNodeWebhookUrl.mockReturnValue('http://n8n.local/webhook/x/webhook');
		const all: Record<string, IDataObject> = { tartanWebhookSigningApi: { appSecretKey: APP_KEY }, ...credentials };
		h.getCredentials.mockImplementation((async (type: string) => {
			if (!all[type]) throw new Error('no credential');
			return all[type];
		}) as never);
		h.getNodeParameter.mockImplementation(((name: string, fallback: unknown) => (name in params ? params[name] : defaultOf(name) ?? fallback)) as never);
		return h;
	}
	const activate = (params: IDataObject, credentials?: Record<string, IDataObject>) =>
		new TartanTrigger().webhookMethods.default.create.call(hooks(params, credentials));

	it.each([
		['an empty path', { fieldRules: { rules: [{ path: '', action: 'drop' }] } }, 'Personal Data: Field Rules, rule 1: Field Path is empty'],
		['a malformed path', { fieldRules: { rules: [{ path: 'bank..x', action: 'drop' }] } }, 'Field Path "bank..x" is not a field path'],
		['N out of range', { fieldRules: { rules: [{ path: 'pan', action: 'mask', keepLast: 9 }] } }, 'Keep Last Characters must be a whole number from 0 to 4'],
		['Pseudonymise without a key', { fieldRules: { rules: [{ path: 'pan', action: 'pseudonymise' }] } }, 'select a Tartan Pseudonymisation Key credential'],
		['an allow-list naming nothing', { personalData: 'allowList' }, 'Only Listed Fields needs at least one field rule'],
	])('refuses to activate with %s', async (_label, params, message) => {
		await expect(activate(params)).rejects.toThrow(message);
		await expect(activate(params)).rejects.toBeInstanceOf(NodeOperationError);
	});

	it('activates with the default policy, and with a pseudonymising rule and a key', async () => {
		await expect(activate({})).resolves.toBe(true);
		await expect(activate({ fieldRules: { rules: [{ path: 'pan', action: 'pseudonymise' }] } }, { tartanPseudonymKeyApi: { secret: PSEUDONYM_KEY } })).resolves.toBe(true);
	});

	it('the editor bounds Keep Last Characters to the table and requires a path; the key credential is optional', () => {
		const rules = properties.find((p) => p.name === 'fieldRules')!;
		const values = (rules.options![0] as { values: INodeProperties[] }).values;
		const keepLast = values.find((p) => p.name === 'keepLast')!;
		expect(keepLast.typeOptions).toEqual({ minValue: KEEP_LAST.min, maxValue: KEEP_LAST.max });
		expect(keepLast.default).toBe(KEEP_LAST.default);
		expect(values.find((p) => p.name === 'path')!.required).toBe(true);
		const credential = new TartanTrigger().description.credentials!.find((c) => c.name === 'tartanPseudonymKeyApi')!;
		expect(credential.required).toBe(false);
		expect(properties.find((p) => p.name === 'personalDataOffNotice')!.displayOptions).toEqual({ show: { personalData: ['off'] } });
	});

	it('tests the pseudonymisation key locally, without echoing it', async () => {
		const test = new TartanTrigger().methods.credentialTest.tartanPseudonymKeyTest;
		const check = (secret: string) => test.call(mock<ICredentialTestFunctions>(), { data: { secret } } as unknown as ICredentialsDecrypted);
		await expect(check(PSEUDONYM_KEY)).resolves.toEqual(expect.objectContaining({ status: 'OK' }));
		const bad = await check('too-short');
		expect(bad).toEqual({ status: 'Error', message: 'The Pseudonymisation Key is shorter than 16 characters' });
	});
});

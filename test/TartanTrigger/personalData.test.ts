import { createHmac } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import employeeAddInitial from '../fixtures/webhooks/employee-add-initial.json';
import connectionTerminated from '../fixtures/webhooks/connection-terminated.json';
import { addReports, buildPolicy, canonicalKey, protectPayload, type RuleInput } from '../../nodes/TartanTrigger/personalData';
import { PRESET_FIELDS } from '../../nodes/TartanTrigger/personalDataTable';
import {
	findSensitive,
	isAadhaar,
	isPan,
	maskValue,
	normalise,
	pseudonym,
	pseudonymKeyProblem,
	verhoeffDigit,
	verhoeffValid,
} from '../../nodes/TartanTrigger/personalDataValues';
import { toOutputItems } from '../../nodes/TartanTrigger/webhookPayload';

const KEY = 'k'.repeat(16) + '-pseudonym-key-one';
const OTHER_KEY = 'o'.repeat(16) + '-pseudonym-key-two';

/** A Verhoeff-valid Aadhaar number from 11 digits. */
const aadhaar = (first11: string) => first11 + verhoeffDigit(first11);
const AADHAAR = aadhaar('23456789012');
const AADHAAR_2 = aadhaar('98765432109');
const PAN = 'ABCPE1234F';

/** A record shaped like Tartan's documented employee record, with realistic synthetic values. */
function record(overrides: IDataObject = {}): IDataObject {
	return {
		name: 'Asha Verma',
		email: 'asha@example.com',
		employeeId: 'E-17',
		dob: '1990-04-12',
		pan: PAN,
		personalEmail: 'asha.verma@example.org',
		fatherName: 'Ravi Verma',
		bloodGroup: 'O +ve',
		mobileNumber: '9876543210',
		aadhar: AADHAAR,
		uan: '100123456789',
		bankDetails: { accountNumber: '50100012345678', ifscCode: 'HDFC0001234', bankName: 'HDFC' },
		currentAddress: { addressPincode: '560080', addressCity: 'Bengaluru', addressState: 'Karnataka', addressCountry: 'India', addressLine: '12 MG Road' },
		dependentDetails: [{ name: 'Meera Verma', relation: 'Mother', dob: '1960-01-01', email: 'meera@example.org', mobileNumber: '9123456780' }],
		...overrides,
	};
}

const payloadOf = (...records: unknown[]): IDataObject => ({ requestId: 'r-1', syncSessionId: 's', webhookCounter: 1, event: 'sync.events.employee.add', body: records });
const protect = (records: IDataObject[], input: { mode?: string; rules?: RuleInput[]; detect?: unknown } = {}, key?: string) =>
	protectPayload(payloadOf(...records), buildPolicy({ mode: 'protect', ...input }), key);
const first = (result: ReturnType<typeof protect>) => (result.payload.body as IDataObject[])[0];

describe('value detectors', () => {
	it('Verhoeff: valid numbers pass; one changed digit or two swapped neighbours fail', () => {
		expect(verhoeffValid('2363')).toBe(true); // the textbook example: 236 + check digit 3
		expect(verhoeffDigit('236')).toBe(3);
		expect(verhoeffValid(AADHAAR)).toBe(true);
		for (let i = 0; i < 12; i++) {
			const changed = AADHAAR.slice(0, i) + ((Number(AADHAAR[i]) + 1) % 10) + AADHAAR.slice(i + 1);
			expect(verhoeffValid(changed)).toBe(false);
		}
		const swapped = AADHAAR[1] + AADHAAR[0] + AADHAAR.slice(2);
		expect(verhoeffValid(swapped)).toBe(AADHAAR[0] === AADHAAR[1]);
	});

	it('Aadhaar: 12 digits, 4-4-4 spaced or dashed, first digit 2-9, check digit valid', () => {
		expect(isAadhaar(AADHAAR)).toBe(true);
		expect(isAadhaar(`${AADHAAR.slice(0, 4)} ${AADHAAR.slice(4, 8)} ${AADHAAR.slice(8)}`)).toBe(true);
		expect(isAadhaar(`${AADHAAR.slice(0, 4)}-${AADHAAR.slice(4, 8)}-${AADHAAR.slice(8)}`)).toBe(true);
		const one = aadhaar('13456789012');
		expect(verhoeffValid(one)).toBe(true);
		expect(isAadhaar(one)).toBe(false); // first digit 1
		expect(isAadhaar(aadhaar('03456789012'))).toBe(false);
		expect(isAadhaar(AADHAAR.slice(0, 11) + ((Number(AADHAAR[11]) + 1) % 10))).toBe(false); // wrong check digit
		expect(isAadhaar(AADHAAR.slice(0, 11))).toBe(false);
		expect(isAadhaar(`${AADHAAR}1`)).toBe(false);
		expect(isAadhaar(`${AADHAAR.slice(0, 3)} ${AADHAAR.slice(3)}`)).toBe(false); // grouped otherwise
	});

	it('PAN: AAAAA9999A with a holder-type 4th letter; near misses are not PANs', () => {
		for (const pan of ['ABCPE1234F', 'abcpe1234f', 'AAACT1234Z', 'AAAHB9999A', ' ABCFZ0000A ']) expect(isPan(pan)).toBe(true);
		for (const near of ['ABCXE1234F', 'ABCPE123F', 'ABCPE12345', '1BCPE1234F', 'ABCPE1234FF', 'ABCDE1234F']) expect(isPan(near)).toBe(false);
	});

	it('finds each number inside a text, not inside longer numbers or words', () => {
		const text = `Aadhaar ${AADHAAR}, PAN ${PAN}, call +91 98765 43210; ref 9${AADHAAR} and X${PAN}`;
		expect(findSensitive(text).map((f) => [f.kind, text.slice(f.start, f.end)])).toEqual([
			['aadhaar', AADHAAR],
			['pan', PAN],
			['mobile', '+91 98765 43210'],
		]);
		expect(findSensitive('9876543210')).toEqual([]); // a bare 10-digit number is not taken for a mobile
		expect(findSensitive('no digits at all')).toEqual([]);
	});
});

describe('actions', () => {
	it('mask keeps the last N (never more than half); Aadhaar in UIDAI form', () => {
		expect(maskValue(AADHAAR, 'aadhaar', 4)).toBe(`xxxx-xxxx-${AADHAAR.slice(-4)}`);
		expect(maskValue(AADHAAR, 'aadhaar', 0)).toBe('xxxx-xxxx-xxxx');
		expect(maskValue(PAN, 'pan', 4)).toBe('******234F');
		expect(maskValue('AB+', 'text', 4)).toBe('**+');
		expect(maskValue('12', 'text', 4)).toBe('*2');
		expect(maskValue('anything', 'text', 0)).toBe('********');
	});

	it('pseudonymise: tkn_ + 32 hex of a keyed HMAC of the normalised value, with the field kind as domain', () => {
		const token = pseudonym(KEY, 'pan', normalise(' abcpe1234f ', 'pan'));
		const expected = createHmac('sha256', KEY).update('tartan-pseudonym:v1:pan:ABCPE1234F').digest('hex').slice(0, 32);
		expect(token).toBe(`tkn_${expected}`);
		expect(pseudonym(OTHER_KEY, 'pan', 'ABCPE1234F')).not.toBe(token);
		expect(pseudonym(KEY, 'uan', 'ABCPE1234F')).not.toBe(token);
	});

	it('normalises spellings of one value to one form', () => {
		expect(normalise(`${AADHAAR.slice(0, 4)} ${AADHAAR.slice(4, 8)}-${AADHAAR.slice(8)}`, 'aadhaar')).toBe(AADHAAR);
		for (const mobile of ['+91 98765 43210', '09876543210', '919876543210', ' 9876543210']) expect(normalise(mobile, 'mobile')).toBe('9876543210');
		expect(normalise(' Asha.Verma@Example.org ', 'email')).toBe('asha.verma@example.org');
		expect(normalise('  Ravi   Verma ', 'text')).toBe('ravi verma');
	});

	it('checks the pseudonymisation key without echoing it', () => {
		expect(pseudonymKeyProblem(KEY)).toBeUndefined();
		for (const bad of ['', undefined, ' padded-key-1234567 ', 'tiny-k3y']) {
			const problem = pseudonymKeyProblem(bad);
			expect(problem).toBeDefined();
			if (typeof bad === 'string' && bad.trim() !== '') expect(problem).not.toContain(bad.trim());
		}
	});
});

describe('the preset (the default: needs no key)', () => {
	it('masks, drops and keeps the documented fields; the report names paths only', () => {
		const result = protect([record()]);
		const out = first(result);
		expect(out.aadhar).toBe(`xxxx-xxxx-${AADHAAR.slice(-4)}`);
		expect(out.pan).toBe('******234F');
		expect(out.uan).toBe('********6789');
		expect(out.mobileNumber).toBe('******3210');
		expect(out.bankDetails).toEqual({ accountNumber: '**********5678', ifscCode: 'HDFC0001234', bankName: 'HDFC' });
		for (const dropped of ['dob', 'personalEmail', 'fatherName', 'bloodGroup']) expect(out).not.toHaveProperty(dropped);
		expect(out.currentAddress).toEqual({ addressCity: 'Bengaluru', addressState: 'Karnataka', addressCountry: 'India' });
		expect(out.dependentDetails).toEqual([{ name: 'Meera Verma', relation: 'Mother', mobileNumber: '******6780' }]);
		expect(out).toEqual(expect.objectContaining({ name: 'Asha Verma', email: 'asha@example.com', employeeId: 'E-17' }));
		expect(result.records[0].dropped).toEqual(expect.arrayContaining(['dob', 'personalEmail', 'currentAddress.addressLine', 'currentAddress.addressPincode', 'dependentDetails.dob']));
		expect(result.records[0].masked).toEqual(expect.arrayContaining(['aadhar', 'pan', 'uan', 'mobileNumber', 'bankDetails.accountNumber']));
		const reported = JSON.stringify(result.records);
		for (const value of [AADHAAR, PAN, '9876543210', '50100012345678', 'asha.verma@example.org', '1990-04-12']) {
			expect(JSON.stringify(result.payload)).not.toContain(value);
			expect(reported).not.toContain(value);
		}
	});

	it('every preset field needs no key', () => {
		expect(buildPolicy({ mode: 'protect' }).needsKey).toBe(false);
		expect(PRESET_FIELDS.every((field) => field.action !== 'pseudonymise')).toBe(true);
	});

	it('leaves the envelope as sent and applies to other top-level keys as a record', () => {
		const payload = { ...payloadOf(record()), 'vendor.orgId': 'v', statusCode: '200', note: `aadhaar ${AADHAAR}` };
		const result = protectPayload(payload, buildPolicy({ mode: 'protect' }));
		expect(Object.keys(result.payload)).toEqual(Object.keys(payload));
		expect(result.payload['vendor.orgId']).toBe('v');
		expect(result.payload.note).toBe(`aadhaar xxxx-xxxx-${AADHAAR.slice(-4)}`);
		expect(result.rest.detected).toEqual(['note']);
	});

	it('matches Tartan-like spellings and case of the preset fields', () => {
		const out = first(protect([{ Aadhaar_Number: AADHAAR, PANNumber: PAN, phone: '9876543210', BankDetails: { account_no: '50100012345678' }, DateOfBirth: '1990-01-01' }]));
		expect(out).toEqual({ Aadhaar_Number: `xxxx-xxxx-${AADHAAR.slice(-4)}`, PANNumber: '******234F', phone: '******3210', BankDetails: { account_no: '**********5678' } });
	});

	it('leaves the documented fixtures\' already masked values masked, and a connection event as sent', () => {
		const out = first(protectPayload(employeeAddInitial as IDataObject, buildPolicy({ mode: 'protect' })) as never);
		expect(out.pan).toBe('************');
		const connection = protectPayload(connectionTerminated as IDataObject, buildPolicy({ mode: 'protect' }));
		expect(connection.payload).toEqual(connectionTerminated);
	});
});

describe('custom rules', () => {
	it('override the preset per field, by path, nested and through arrays', () => {
		const rules: RuleInput[] = [
			{ path: 'pan', action: 'keep' },
			{ path: 'dob', action: 'mask', keepLast: 2 },
			{ path: 'bankDetails.ifscCode', action: 'drop' },
			{ path: 'dependentDetails[].name', action: 'drop' },
			{ path: 'currentAddress.addressPincode', action: 'keep' },
		];
		const out = first(protect([record()], { rules }));
		expect(out.pan).toBe(PAN);
		expect(out.dob).toBe('********12');
		expect(out.bankDetails).toEqual({ accountNumber: '**********5678', bankName: 'HDFC' });
		expect(out.dependentDetails).toEqual([{ relation: 'Mother', mobileNumber: '******6780' }]);
		expect(out.currentAddress).toEqual({ addressPincode: '560080', addressCity: 'Bengaluru', addressState: 'Karnataka', addressCountry: 'India' });
	});

	it('keep on a field stops detection there; an unlisted field is detected', () => {
		const out = first(protect([{ notes: `PAN ${PAN}`, remarks: `PAN ${PAN}` }], { rules: [{ path: 'notes', action: 'keep' }] }));
		expect(out).toEqual({ notes: `PAN ${PAN}`, remarks: 'PAN ******234F' });
	});

	it('mask or pseudonymise of an object applies to each value in it (the user\'s rule beats the preset below it)', () => {
		const result = protect([record()], { rules: [{ path: 'bankDetails', action: 'pseudonymise' }] }, KEY);
		const bank = first(result).bankDetails as IDataObject;
		expect(bank.bankName).toBe(pseudonym(KEY, 'bankdetails.bankname', 'hdfc'));
		expect(bank.accountNumber).toBe(pseudonym(KEY, 'account', '50100012345678'));
		expect(result.records[0].pseudonymised).toEqual(['bankDetails.accountNumber', 'bankDetails.ifscCode', 'bankDetails.bankName']);
	});

	it('pseudonymises the same person to the same token across deliveries and spellings, and differently under another key', () => {
		const rules: RuleInput[] = [{ path: 'aadhar', action: 'pseudonymise' }, { path: 'pan', action: 'pseudonymise' }];
		const a = first(protect([record()], { rules }, KEY));
		const b = first(protect([record({ aadhar: `${AADHAAR.slice(0, 4)} ${AADHAAR.slice(4, 8)} ${AADHAAR.slice(8)}`, pan: PAN.toLowerCase() })], { rules }, KEY));
		const c = first(protect([record()], { rules }, OTHER_KEY));
		expect(a.aadhar).toMatch(/^tkn_[0-9a-f]{32}$/);
		expect(b.aadhar).toBe(a.aadhar);
		expect(b.pan).toBe(a.pan);
		expect(c.aadhar).not.toBe(a.aadhar);
		expect(first(protect([record({ aadhar: AADHAAR_2 })], { rules }, KEY)).aadhar).not.toBe(a.aadhar);
		// Found by value elsewhere, an Aadhaar number gets the aadhar rule's action: the same token
		const found = first(protect([{ notes: AADHAAR }], { rules }, KEY));
		expect(found.notes).toBe(a.aadhar);
	});

	it('fails closed when a rule pseudonymises and there is no key', () => {
		expect(() => protect([record()], { rules: [{ path: 'aadhar', action: 'pseudonymise' }] })).toThrow(/Pseudonymisation Key/);
		expect(buildPolicy({ mode: 'protect', rules: [{ path: 'aadhar', action: 'pseudonymise' }] }).needsKey).toBe(true);
	});
});

describe('Only Listed Fields', () => {
	it('outputs only the named fields (with the preset below them) and the envelope', () => {
		const rules: RuleInput[] = [
			{ path: 'employeeId', action: 'keep' },
			{ path: 'bankDetails', action: 'keep' },
			{ path: 'currentAddress.addressCity', action: 'keep' },
			{ path: 'pan', action: 'mask', keepLast: 2 },
		];
		const result = protectPayload({ ...payloadOf(record(), 'bare'), extra: 'x' }, buildPolicy({ mode: 'allowList', rules }));
		expect(result.payload).toEqual({
			requestId: 'r-1',
			syncSessionId: 's',
			webhookCounter: 1,
			event: 'sync.events.employee.add',
			body: [{ employeeId: 'E-17', pan: '********4F', bankDetails: { accountNumber: '**********5678', ifscCode: 'HDFC0001234', bankName: 'HDFC' }, currentAddress: { addressCity: 'Bengaluru' } }],
		});
		expect(result.records).toHaveLength(1);
		expect(result.records[0].dropped).toEqual(expect.arrayContaining(['name', 'email', 'aadhar', 'dependentDetails', 'currentAddress.addressLine']));
		expect(result.rest.dropped).toEqual(['extra']);
	});
});

describe('detection by value', () => {
	it('finds Aadhaar numbers and PANs anywhere: nested, in arrays, in text, as JSON numbers', () => {
		const input = { custom: { deep: [{ id: AADHAAR }, `my pan is ${PAN.toLowerCase()}`] }, numeric: Number(AADHAAR), ok: 'E-17', count: 123456789012 };
		const result = protect([input]);
		expect(first(result)).toEqual({
			custom: { deep: [{ id: `xxxx-xxxx-${AADHAAR.slice(-4)}` }, 'my pan is ******234f'] },
			numeric: `xxxx-xxxx-${AADHAAR.slice(-4)}`,
			ok: 'E-17',
			count: 123456789012,
		});
		expect(result.records[0].detected.sort()).toEqual(['custom.deep', 'custom.deep.id', 'numeric']);
	});

	it('can be turned off', () => {
		expect(first(protect([{ notes: AADHAAR }], { detect: false })).notes).toBe(AADHAAR);
	});

	it('drops the field when the kind\'s rule drops', () => {
		const result = protect([{ notes: `x ${PAN}` }], { rules: [{ path: 'pan', action: 'drop' }] });
		expect(first(result)).toEqual({});
		expect(result.records[0].dropped).toEqual(['notes']);
	});
});

describe('output items carry the report', () => {
	it('per record: its own paths; per webhook: every record\'s under body.', () => {
		const policy = buildPolicy({ mode: 'protect' });
		const result = protectPayload({ ...payloadOf(record(), { name: 'B', aadhar: AADHAAR_2 }), extra: PAN }, policy);
		const perRecord = toOutputItems(result.payload, 'perRecord', 'k');
		addReports(perRecord, true, result, 'protect');
		expect(perRecord[1].json.personalData).toEqual({ policy: 'protect', dropped: [], masked: ['aadhar', 'webhook.extra'], pseudonymised: [], detected: ['webhook.extra'] });
		const perWebhook = toOutputItems(result.payload, 'perWebhook', 'k');
		addReports(perWebhook, false, result, 'protect');
		const report = perWebhook[0].json.personalData as IDataObject;
		expect(report.masked).toEqual(expect.arrayContaining(['body.aadhar', 'body.pan', 'extra']));
		expect(JSON.stringify(perWebhook)).not.toContain(AADHAAR_2);
	});
});

describe('bad policy input: a clear error naming the field, never a value', () => {
	it.each([
		['an unknown mode', { mode: 'sometimes' }, /Personal Data must be one of/],
		['an empty path', { mode: 'protect', rules: [{ path: '  ', action: 'drop' }] }, /Field Rules, rule 1: Field Path is empty/],
		['a missing path', { mode: 'protect', rules: [{ action: 'drop' }] }, /rule 1: Field Path is empty/],
		['a path with an empty segment', { mode: 'protect', rules: [{ path: 'a', action: 'keep' }, { path: 'bankDetails..x', action: 'drop' }] }, /rule 2: Field Path "bankDetails..x" is not a field path/],
		['a path with other characters', { mode: 'protect', rules: [{ path: 'a/b', action: 'drop' }] }, /is not a field path/],
		['a path ending in a dot', { mode: 'protect', rules: [{ path: 'pan.', action: 'drop' }] }, /is not a field path/],
		['an unknown action', { mode: 'protect', rules: [{ path: 'pan', action: 'hash' }] }, /rule 1: Action must be one of Drop, Keep, Mask, Pseudonymise/],
		['N above the range', { mode: 'protect', rules: [{ path: 'pan', action: 'mask', keepLast: 5 }] }, /Keep Last Characters must be a whole number from 0 to 4/],
		['N below the range', { mode: 'protect', rules: [{ path: 'pan', action: 'mask', keepLast: -1 }] }, /from 0 to 4/],
		['N not whole', { mode: 'protect', rules: [{ path: 'pan', action: 'mask', keepLast: 1.5 }] }, /from 0 to 4/],
		['two rules for one field (spelled differently)', { mode: 'protect', rules: [{ path: 'aadhar', action: 'mask' }, { path: 'Aadhaar Number', action: 'drop' }] }, /rule 2 names the same field as rule 1/],
		['an allow-list naming nothing', { mode: 'allowList', rules: [] }, /Only Listed Fields needs at least one field rule/],
		['an allow-list that only drops', { mode: 'allowList', rules: [{ path: 'pan', action: 'drop' }] }, /Only Listed Fields needs at least one/],
	])('%s', (_label, input, message) => {
		expect(() => buildPolicy(input as never)).toThrow(message);
	});

	it('Off needs no valid rules (they are not applied)', () => {
		expect(buildPolicy({ mode: 'off', rules: [{ path: '', action: 'x' }] }).mode).toBe('off');
	});

	it('canonical keys: case, separators and Tartan\'s spellings', () => {
		expect(['aadhar', 'Aadhaar', 'aadhar_number', 'AADHAAR NO'].map(canonicalKey)).toEqual(Array(4).fill('aadhar'));
		expect(['PAN', 'panNumber', 'pan_no'].map(canonicalKey)).toEqual(['pan', 'pan', 'pan']);
		expect(['mobile', 'mobileNumber', 'phone'].map(canonicalKey)).toEqual(Array(3).fill('mobilenumber'));
	});
});

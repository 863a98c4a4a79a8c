import { buildResendBody, type FieldName } from '../../nodes/TartanResend/searchTypes';
import { validateEmployee } from '../../nodes/TartanSyncCallback/employeePayload';

/**
 * The exact user-facing text of every kind of refusal, and the edge cases where
 * zod 3 and zod 4 behave differently on their own (type errors, UUID and email
 * formats, unsafe integers, infinities). This file runs in both jest projects
 * ("zod 3" and "zod 4"), so each expectation holds for both.
 */
const UTC = { relaxIds: false, timeZone: 'UTC' };
const SESSION = '6754fec7-d3db-458a-942b-85bfc5822c82';

function resendError(searchType: string, params: Partial<Record<FieldName, unknown>>, relaxIds = false): string {
	try {
		buildResendBody(searchType, params, { ...UTC, relaxIds });
	} catch (error) {
		return (error as Error).message;
	}
	throw new Error('expected a refusal');
}

function employeeError(record: unknown): string {
	try {
		validateEmployee(record);
	} catch (error) {
		return (error as Error).message;
	}
	throw new Error('expected a refusal');
}

const NOT_UUID =
	'"Sync Session ID" (syncSessionId) must be a UUID (e.g. 6754fec7-d3db-458a-942b-85bfc5822c82); see Options > Allow Non-UUID IDs';
const COUNTERS = '"Webhook Counters" (webhookCounter) must be whole numbers of 1 or more, e.g. 1, 2, 5';

describe('Resend: the same messages whatever zod n8n ships', () => {
	it.each<[string, string, Partial<Record<FieldName, unknown>>, string]>([
		['missing ID', 'sync_session', {}, '"Sync Session ID" (syncSessionId) is required'],
		['blank ID', 'sync_session', { syncSessionId: '  ' }, '"Sync Session ID" (syncSessionId) is required'],
		['null ID', 'sync_session', { syncSessionId: null }, '"Sync Session ID" (syncSessionId) must be text'],
		['object ID', 'sync_session', { syncSessionId: { id: SESSION } }, '"Sync Session ID" (syncSessionId) must be text'],
		['non-UUID ID', 'sync_session', { syncSessionId: 'dsfdbgklvboknbsx' }, NOT_UUID],
		['number as ID', 'sync_session', { syncSessionId: 42 }, NOT_UUID],
		['missing counters', 'sync_session_counter', { syncSessionId: SESSION }, '"Webhook Counters" (webhookCounter) is required'],
		['object as counters', 'sync_session_counter', { syncSessionId: SESSION, webhookCounter: { a: 1 } }, '"Webhook Counters" (webhookCounter) must be a list of numbers, e.g. 1, 2, 5'],
		['no counter', 'sync_session_counter', { syncSessionId: SESSION, webhookCounter: '' }, '"Webhook Counters" (webhookCounter) needs at least one counter, e.g. 1, 2, 5'],
		['word as counter', 'sync_session_counter', { syncSessionId: SESSION, webhookCounter: 'one' }, COUNTERS],
		['word in an array', 'sync_session_counter', { syncSessionId: SESSION, webhookCounter: [1, 'x'] }, COUNTERS],
		['undefined in an array', 'sync_session_counter', { syncSessionId: SESSION, webhookCounter: [1, undefined] }, COUNTERS],
		['counter 0', 'sync_session_counter', { syncSessionId: SESSION, webhookCounter: '0' }, COUNTERS],
		['fraction', 'sync_session_counter', { syncSessionId: SESSION, webhookCounter: '1.5' }, COUNTERS],
		['infinite counter', 'sync_session_counter', { syncSessionId: SESSION, webhookCounter: [Number.POSITIVE_INFINITY] }, COUNTERS],
		['counter beyond 2^53 (zod 3 took it, zod 4 did not)', 'sync_session_counter', { syncSessionId: SESSION, webhookCounter: [1e20] }, COUNTERS],
		['missing status', 'sync_session_status', { syncSessionId: SESSION }, '"Status" (status) must be one of success, fail, all'],
		['null status', 'sync_session_status', { syncSessionId: SESSION, status: null }, '"Status" (status) must be one of success, fail, all'],
		['number as status', 'sync_session_status', { syncSessionId: SESSION, status: 1 }, '"Status" (status) must be one of success, fail, all'],
		['unknown status', 'sync_session_status', { syncSessionId: SESSION, status: 'failed' }, '"Status" (status) must be one of success, fail, all'],
		['missing time', 'time_range', { endRequestTimestamp: 1748217600 }, '"From" (requestTimestamp) is required'],
		['milliseconds', 'time_range', { requestTimestamp: 1748131200000, endRequestTimestamp: 1748217600 }, '"From" (requestTimestamp) looks like epoch milliseconds (1748131200000); Tartan expects seconds: divide by 1000, or use {{ $now.toSeconds() }}'],
		['end before start', 'time_range', { requestTimestamp: 1748217600, endRequestTimestamp: 1748131200 }, '"To" (endRequestTimestamp) must not be before From'],
	])('%s', (_label, searchType, params, message) => {
		expect(resendError(searchType, params)).toBe(message);
	});

	it('names the first invalid field when several are invalid', () => {
		expect(resendError('sync_session_counter_status', { syncSessionId: 'x', webhookCounter: 'y', status: 'z' })).toBe(NOT_UUID);
		expect(resendError('time_range_status', { requestTimestamp: 'soon', endRequestTimestamp: 1, status: 'z' })).toMatch(
			/^"From" \(requestTimestamp\) is not a date: "soon"/,
		);
	});

	it('with relaxed IDs: any non-blank text without white space', () => {
		expect(resendError('sync_session', { syncSessionId: 'a b' }, true)).toBe(
			'"Sync Session ID" (syncSessionId) must not contain white space',
		);
		expect(resendError('sync_session', {}, true)).toBe('"Sync Session ID" (syncSessionId) is required');
		expect(resendError('sync_session', { syncSessionId: ['x'] }, true)).toBe('"Sync Session ID" (syncSessionId) must be text');
	});

	it('accepts any 8-4-4-4-12 hexadecimal ID, as zod 3 did (zod 4\'s own uuid() requires an RFC version and variant)', () => {
		for (const id of [
			SESSION,
			SESSION.toUpperCase(),
			'6754fec7-d3db-058a-042b-85bfc5822c82', // version 0, variant 0: not RFC 9562
			'00000000-0000-0000-0000-000000000000',
		]) {
			expect(buildResendBody('sync_session', { syncSessionId: ` ${id} ` }, UTC)).toEqual({
				search_type: 'sync_session',
				sync_session_id: id,
			});
		}
		for (const id of [`${SESSION}0`, SESSION.replace(/-/g, ''), `{${SESSION}}`, SESSION.replace('6', 'g')]) {
			expect(resendError('sync_session', { syncSessionId: id })).toBe(NOT_UUID);
		}
	});

	it('extra parameters never reach the body (strict object)', () => {
		expect(buildResendBody('org_only', { clientOrgId: SESSION, syncSessionId: SESSION }, UTC)).toEqual({
			search_type: 'org_only',
			client_org_id: SESSION,
		});
	});
});

describe('Sync Callback: the same messages whatever zod n8n ships', () => {
	it.each<[string, unknown, string]>([
		['a numeric name', { name: 1 }, '"name" must be text'],
		['a null name', { name: null }, '"name" must be text'],
		['an object name', { name: { first: 'A' } }, '"name" must be text'],
		['a blank name', { name: ' ' }, '"name" must not be empty'],
		['a numeric email', { email: 42 }, '"email" must be text'],
		['a null email', { email: null }, '"email" must be text'],
		['an empty email', { email: '' }, '"email" must be an email address, e.g. name@example.com'],
		['an email without a domain', { email: 'asha@' }, '"email" must be an email address, e.g. name@example.com'],
		['an email with a space inside', { email: 'asha @example.com' }, '"email" must be an email address, e.g. name@example.com'],
		['an email with two dots in a row', { email: 'asha..k@example.com' }, '"email" must be an email address, e.g. name@example.com'],
		['an email starting with a dot', { email: '.asha@example.com' }, '"email" must be an email address, e.g. name@example.com'],
		['an email with a one-letter top-level domain', { email: 'asha@example.c' }, '"email" must be an email address, e.g. name@example.com'],
	])('refuses %s', (_label, record, message) => {
		expect(employeeError(record)).toBe(message);
	});

	it('accepts the same addresses, trims them, and keeps other fields', () => {
		for (const email of ["o'neil@example.com", 'a+tag@sub.example.co.in', 'A.B-C_D@Example.COM']) {
			expect(validateEmployee({ email: ` ${email}\n`, x: null })).toEqual({ email, x: null });
		}
		expect(validateEmployee({ name: 'Asha', extra: { nested: [1] } })).toEqual({ name: 'Asha', extra: { nested: [1] } });
	});
});

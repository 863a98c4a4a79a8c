import { loadSpec } from '../sandbox/spec';
import { toEpochSeconds } from '../../nodes/TartanResend/epoch';
import {
	FIELDS,
	SEARCH_TYPES,
	ResendValidationError,
	buildResendBody,
	fieldProperties,
	operationProperty,
	type FieldName,
} from '../../nodes/TartanResend/searchTypes';

const spec = loadSpec().resend;
const UTC = { relaxIds: false, timeZone: 'UTC' };

/** A valid value for each UI field. */
const VALID: Record<FieldName, unknown> = {
	syncSessionId: '6754fec7-d3db-458a-942b-85bfc5822c82',
	webhookCounter: '1, 2, 5',
	status: 'fail',
	requestTimestamp: '2025-05-25T00:00:00Z',
	endRequestTimestamp: '2025-05-26T00:00:00Z',
	clientOrgId: 'f47ac10b-58cc-4372-a567-0e02b2c3d479',
	requestId: 'b7cc9282-3587-4403-8589-fd0e9f87cf97',
};

const validParams = (fields: readonly FieldName[]) => Object.fromEntries(fields.map((f) => [f, VALID[f]]));

describe('the search-type table against the seed', () => {
	it('has exactly the seed\'s ten search types, in its order', () => {
		expect(SEARCH_TYPES.map((t) => t.value)).toEqual(spec.searchTypes);
		expect(operationProperty.options!.map((o) => ('value' in o ? o.value : undefined))).toEqual(spec.searchTypes);
	});

	it.each(SEARCH_TYPES.map((t) => [t.value, t] as const))(
		'%s: its fields are exactly the schema\'s properties, all required',
		(value, searchType) => {
			const schema = spec.effectiveSchemas[spec.schemaFor(value)!] as {
				properties: Record<string, unknown>;
				required: string[];
			};
			const apiFields = (searchType.fields as readonly FieldName[]).map((f) => FIELDS[f].api);
			expect(apiFields.sort()).toEqual(Object.keys(schema.properties).filter((p) => p !== 'search_type').sort());
			expect([...schema.required].filter((p) => p !== 'search_type').sort()).toEqual(apiFields.sort());
		},
	);

	it.each(SEARCH_TYPES.map((t) => [t.value, t] as const))(
		'%s: the UI shows exactly its fields, each required',
		(value, searchType) => {
			const shown = fieldProperties
				.filter((p) => (p.displayOptions?.show?.operation as string[]).includes(value))
				.map((p) => p.name);
			expect(shown.sort()).toEqual([...searchType.fields].sort());
			for (const property of fieldProperties) expect(property.required).toBe(true);
		},
	);

	it.each(SEARCH_TYPES.map((t) => [t.value, t] as const))(
		'%s: the body built from valid parameters is valid against the seed, with nothing extra',
		(value, searchType) => {
			const body = buildResendBody(value, validParams(searchType.fields), UTC);
			expect(spec.validate(body)).toEqual(expect.objectContaining({ ok: true }));
			expect(Object.keys(body).sort()).toEqual(
				['search_type', ...(searchType.fields as readonly FieldName[]).map((f) => FIELDS[f].api)].sort(),
			);
			expect(body.search_type).toBe(value);
		},
	);

	it('ignores parameters of other search types (the body holds only the chosen schema\'s fields)', () => {
		const body = buildResendBody('org_only', { ...VALID }, UTC);
		expect(body).toEqual({ search_type: 'org_only', client_org_id: VALID.clientOrgId });
	});

	it('converts counters and timestamps to the API\'s types', () => {
		expect(
			buildResendBody(
				'sync_session_counter_status',
				{ syncSessionId: VALID.syncSessionId, webhookCounter: ' 3,1 ; 7 ', status: 'all' },
				UTC,
			),
		).toEqual({
			search_type: 'sync_session_counter_status',
			sync_session_id: VALID.syncSessionId,
			webhook_counter: [3, 1, 7],
			status: 'all',
		});
		expect(buildResendBody('sync_session_counter', { syncSessionId: VALID.syncSessionId, webhookCounter: [2, '4'] }, UTC).webhook_counter).toEqual([2, 4]);
		expect(buildResendBody('sync_session_counter', { syncSessionId: VALID.syncSessionId, webhookCounter: 9 }, UTC).webhook_counter).toEqual([9]);
		expect(
			buildResendBody('time_range', { requestTimestamp: 1748131200, endRequestTimestamp: '2025-05-26T00:00:00Z' }, UTC),
		).toEqual({ search_type: 'time_range', request_timestamp: 1748131200, end_request_timestamp: 1748217600 });
	});

	it('accepts non-UUID IDs only when relaxed', () => {
		const tartanExampleId = 'dsfdbgklvboknbsx';
		expect(() => buildResendBody('sync_session', { syncSessionId: tartanExampleId }, UTC)).toThrow(/must be a UUID/);
		expect(buildResendBody('sync_session', { syncSessionId: ` ${tartanExampleId} ` }, { ...UTC, relaxIds: true })).toEqual({
			search_type: 'sync_session',
			sync_session_id: tartanExampleId,
		});
		expect(() => buildResendBody('sync_session', { syncSessionId: 'has space' }, { ...UTC, relaxIds: true })).toThrow(
			/white space/,
		);
	});
});

describe('invalid parameters are refused before any request, naming the field', () => {
	const session = VALID.syncSessionId as string;
	const range = { requestTimestamp: VALID.requestTimestamp, endRequestTimestamp: VALID.endRequestTimestamp };
	const cases: Array<[string, string, Record<string, unknown>, FieldName | 'operation', RegExp]> = [
		// IDs
		['missing sync session', 'sync_session', {}, 'syncSessionId', /is required/],
		['empty sync session', 'sync_session', { syncSessionId: '' }, 'syncSessionId', /is required/],
		['blank sync session', 'sync_session', { syncSessionId: '   ' }, 'syncSessionId', /is required/],
		['non-UUID sync session', 'sync_session', { syncSessionId: 'dsfdbgklvboknbsx' }, 'syncSessionId', /UUID/],
		['truncated UUID', 'sync_session', { syncSessionId: session.slice(0, 30) }, 'syncSessionId', /UUID/],
		['UUID with junk', 'sync_session_status', { syncSessionId: `${session}x`, status: 'fail' }, 'syncSessionId', /UUID/],
		['object as sync session', 'sync_session', { syncSessionId: { id: session } }, 'syncSessionId', /must be text/],
		['array as sync session', 'sync_session', { syncSessionId: [session] }, 'syncSessionId', /must be text/],
		['missing org', 'org_only', {}, 'clientOrgId', /is required/],
		['non-UUID org', 'org_only', { clientOrgId: 'acme-corp' }, 'clientOrgId', /UUID/],
		['org in a time range, not a UUID', 'time_range_org', { ...range, clientOrgId: '1234' }, 'clientOrgId', /UUID/],
		['missing org in a status range', 'time_range_status_org', { ...range, status: 'fail' }, 'clientOrgId', /is required/],
		['missing request id', 'request_id', {}, 'requestId', /is required/],
		['non-UUID request id', 'request_id', { requestId: '3ddd414-12d4-2la6-9ff7-10dvwedb8123' }, 'requestId', /UUID/],
		['number as request id', 'request_id', { requestId: 42 }, 'requestId', /UUID/],
		// counters
		['missing counters', 'sync_session_counter', { syncSessionId: session }, 'webhookCounter', /required|list/],
		['empty counters', 'sync_session_counter', { syncSessionId: session, webhookCounter: '' }, 'webhookCounter', /at least one/],
		['only separators', 'sync_session_counter', { syncSessionId: session, webhookCounter: ' , ; ' }, 'webhookCounter', /at least one/],
		['empty counter array', 'sync_session_counter', { syncSessionId: session, webhookCounter: [] }, 'webhookCounter', /at least one/],
		['counter 0', 'sync_session_counter', { syncSessionId: session, webhookCounter: '0' }, 'webhookCounter', /1 or more/],
		['negative counter', 'sync_session_counter', { syncSessionId: session, webhookCounter: '2, -1' }, 'webhookCounter', /1 or more/],
		['fractional counter', 'sync_session_counter', { syncSessionId: session, webhookCounter: '1.5' }, 'webhookCounter', /whole numbers/],
		['word as counter', 'sync_session_counter', { syncSessionId: session, webhookCounter: 'one, two' }, 'webhookCounter', /whole numbers/],
		['counter with unit', 'sync_session_counter', { syncSessionId: session, webhookCounter: '3rd' }, 'webhookCounter', /whole numbers/],
		['array with a word', 'sync_session_counter', { syncSessionId: session, webhookCounter: [1, 'x'] }, 'webhookCounter', /whole numbers/],
		['array with zero', 'sync_session_counter_status', { syncSessionId: session, webhookCounter: [0], status: 'fail' }, 'webhookCounter', /1 or more/],
		['object as counters', 'sync_session_counter', { syncSessionId: session, webhookCounter: { a: 1 } }, 'webhookCounter', /list of numbers/],
		// status
		['missing status', 'sync_session_status', { syncSessionId: session }, 'status', /success, fail, all/],
		['unknown status', 'sync_session_status', { syncSessionId: session, status: 'failed' }, 'status', /success, fail, all/],
		['upper-case status', 'time_range_status', { ...range, status: 'FAIL' }, 'status', /success, fail, all/],
		['empty status', 'time_range_status_org', { ...range, status: '', clientOrgId: VALID.clientOrgId }, 'status', /success, fail, all/],
		// timestamps
		['missing start', 'time_range', { endRequestTimestamp: VALID.endRequestTimestamp }, 'requestTimestamp', /is required/],
		['missing end', 'time_range', { requestTimestamp: VALID.requestTimestamp }, 'endRequestTimestamp', /is required/],
		['start after end', 'time_range', { requestTimestamp: 1748217600, endRequestTimestamp: 1748131200 }, 'endRequestTimestamp', /not be before From/],
		['start after end (dates)', 'time_range_status', { requestTimestamp: '2025-06-02', endRequestTimestamp: '2025-06-01', status: 'fail' }, 'endRequestTimestamp', /not be before/],
		['milliseconds start', 'time_range', { ...range, requestTimestamp: 1748131200000 }, 'requestTimestamp', /milliseconds/],
		['milliseconds end as text', 'time_range_org', { ...range, endRequestTimestamp: '1748217600000', clientOrgId: VALID.clientOrgId }, 'endRequestTimestamp', /milliseconds/],
		['negative epoch', 'time_range', { ...range, requestTimestamp: -5 }, 'requestTimestamp', /1970/],
		['not a date', 'time_range', { ...range, requestTimestamp: 'yesterday' }, 'requestTimestamp', /is not a date/],
		['impossible date', 'time_range', { ...range, endRequestTimestamp: '2025-02-30T00:00:00' }, 'endRequestTimestamp', /not a valid date/],
		['US-style date', 'time_range', { ...range, requestTimestamp: '05/25/2025' }, 'requestTimestamp', /is not a date/],
		['boolean as date', 'time_range', { ...range, requestTimestamp: true }, 'requestTimestamp', /date or epoch/],
		['infinite epoch', 'time_range', { ...range, requestTimestamp: Number.POSITIVE_INFINITY }, 'requestTimestamp', /date or epoch/],
		// operation
		['unknown search type', 'by_magic', {}, 'operation', /must be one of sync_session,/],
		['empty search type', '', {}, 'operation', /must be one of/],
		['n8n\'s Custom API Call entry', '__CUSTOM_API_CALL__', {}, 'operation', /HTTP Request node with the predefined credential type "Tartan API"/],
	];

	it('has at least 40 cases across every search type', () => {
		expect(cases.length).toBeGreaterThanOrEqual(40);
		const covered = new Set(cases.map(([, type]) => type));
		for (const t of SEARCH_TYPES) expect(covered).toContain(t.value);
	});

	it.each(cases)('%s', (_label, searchType, params, field, reason) => {
		let caught: unknown;
		try {
			buildResendBody(searchType, params, UTC);
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(ResendValidationError);
		const error = caught as ResendValidationError;
		expect(error.field).toBe(field);
		expect(error.message).toContain(`(${field})`);
		expect(error.message).toMatch(reason);
	});
});

describe('toEpochSeconds', () => {
	it('reads epoch seconds as numbers and text, dropping fractions', () => {
		expect(toEpochSeconds(1748131200, 'UTC')).toBe(1748131200);
		expect(toEpochSeconds('1748131200', 'UTC')).toBe(1748131200);
		expect(toEpochSeconds(1748131200.9, 'UTC')).toBe(1748131200);
		expect(toEpochSeconds(0, 'UTC')).toBe(0);
	});

	it('reads ISO strings with an offset as that instant', () => {
		expect(toEpochSeconds('2025-05-26T03:18:30Z', 'Asia/Kolkata')).toBe(Date.UTC(2025, 4, 26, 3, 18, 30) / 1000);
		expect(toEpochSeconds('2025-05-26T08:48:30+05:30', 'UTC')).toBe(Date.UTC(2025, 4, 26, 3, 18, 30) / 1000);
		expect(toEpochSeconds('2025-05-26T03:18:30.750Z', 'UTC')).toBe(Date.UTC(2025, 4, 26, 3, 18, 30) / 1000);
	});

	it('reads dates without an offset in the workflow time zone (as the date picker shows them)', () => {
		expect(toEpochSeconds('2025-05-26T08:48:30', 'Asia/Kolkata')).toBe(Date.UTC(2025, 4, 26, 3, 18, 30) / 1000);
		expect(toEpochSeconds('2025-05-26 03:18:30', 'UTC')).toBe(Date.UTC(2025, 4, 26, 3, 18, 30) / 1000);
		expect(toEpochSeconds('2025-05-26', 'UTC')).toBe(Date.UTC(2025, 4, 26) / 1000);
		// New York is UTC-4 in summer and UTC-5 in winter.
		expect(toEpochSeconds('2025-07-01T12:00:00', 'America/New_York')).toBe(Date.UTC(2025, 6, 1, 16) / 1000);
		expect(toEpochSeconds('2025-01-01T12:00:00', 'America/New_York')).toBe(Date.UTC(2025, 0, 1, 17) / 1000);
		// An unknown zone falls back to UTC rather than failing.
		expect(toEpochSeconds('2025-05-26T03:18:30', 'Not/AZone')).toBe(Date.UTC(2025, 4, 26, 3, 18, 30) / 1000);
	});

	it('reads Date objects and Luxon-like DateTimes from expressions', () => {
		expect(toEpochSeconds(new Date(Date.UTC(2025, 4, 26, 3, 18, 30, 500)), 'UTC')).toBe(Date.UTC(2025, 4, 26, 3, 18, 30) / 1000);
		expect(toEpochSeconds({ toMillis: () => 1748229510123 }, 'UTC')).toBe(1748229510);
	});
});

// The Tartan Resend cases the e2e suites share (single process and queue
// mode): one per search type, with the node's parameters (as the editor saves
// them) and exactly the body Tartan must receive.

export const SYNC_SESSION = '6754fec7-d3db-458a-942b-85bfc5822c82';
export const ORG = 'f47ac10b-58cc-4372-a567-0e02b2c3d479';
export const REQUEST = 'b7cc9282-3587-4403-8589-fd0e9f87cf97';
// 2025-05-26T03:18:30Z and one day later, in epoch seconds
export const FROM = 1748229510;
export const TO = 1748315910;

/**
 * One case per search type: the node's parameters (as the editor saves them,
 * with a mix of literal values, expressions, date formats and time zones) and
 * exactly the body Tartan must receive.
 */
export const CASES = [
	{
		operation: 'sync_session',
		parameters: { syncSessionId: SYNC_SESSION },
		body: { sync_session_id: SYNC_SESSION },
	},
	{
		operation: 'sync_session_counter',
		parameters: { syncSessionId: SYNC_SESSION, webhookCounter: '1, 2, 5' },
		body: { sync_session_id: SYNC_SESSION, webhook_counter: [1, 2, 5] },
	},
	{
		operation: 'sync_session_status',
		// an expression, and white space around the ID
		parameters: { syncSessionId: `={{ "  6754fec7-d3db-458a-" + "942b-85bfc5822c82 " }}`, status: 'fail' },
		body: { sync_session_id: SYNC_SESSION, status: 'fail' },
	},
	{
		operation: 'sync_session_counter_status',
		// counters as an array from an expression
		parameters: { syncSessionId: SYNC_SESSION, webhookCounter: '={{ [3, 4] }}', status: 'success' },
		body: { sync_session_id: SYNC_SESSION, webhook_counter: [3, 4], status: 'success' },
	},
	{
		operation: 'time_range',
		parameters: { requestTimestamp: '2025-05-26T03:18:30Z', endRequestTimestamp: '2025-05-27T03:18:30Z' },
		body: { request_timestamp: FROM, end_request_timestamp: TO },
	},
	{
		operation: 'time_range_status',
		// an ISO offset, and epoch seconds as a number from an expression
		parameters: { requestTimestamp: '2025-05-26T08:48:30+05:30', endRequestTimestamp: `={{ ${TO} }}`, status: 'all' },
		body: { request_timestamp: FROM, end_request_timestamp: TO, status: 'all' },
	},
	{
		operation: 'time_range_org',
		// dates without a zone (as the date picker saves them), read in the workflow's time zone
		timezone: 'Asia/Kolkata',
		parameters: { requestTimestamp: '2025-05-26T08:48:30', endRequestTimestamp: '2025-05-27 08:48:30', clientOrgId: ORG },
		body: { request_timestamp: FROM, end_request_timestamp: TO, client_org_id: ORG },
	},
	{
		operation: 'time_range_status_org',
		// a Luxon DateTime from an expression, and epoch seconds as text
		parameters: {
			requestTimestamp: "={{ DateTime.fromISO('2025-05-26T03:18:30Z') }}",
			endRequestTimestamp: `${TO}`,
			status: 'fail',
			clientOrgId: ORG,
		},
		body: { request_timestamp: FROM, end_request_timestamp: TO, status: 'fail', client_org_id: ORG },
	},
	{
		operation: 'org_only',
		parameters: { clientOrgId: ORG },
		body: { client_org_id: ORG },
	},
	{
		operation: 'request_id',
		parameters: { requestId: REQUEST },
		body: { request_id: REQUEST },
	},
];

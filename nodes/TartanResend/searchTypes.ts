import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { fail, isString, present, UUID } from '../shared/validation';
import { toEpochSeconds } from './epoch';

/**
 * The one description of Tartan's webhook resend API (seed 002): its fields and
 * its ten search types. The node's UI fields, the zod schemas and the request
 * bodies are all derived from these two tables.
 */

type FieldKind = 'id' | 'counters' | 'status' | 'epoch';

interface FieldSpec {
	/** The API's field name in the request body. */
	api: string;
	kind: FieldKind;
	/** The UI field, without name/required/displayOptions (derived). */
	ui: Omit<INodeProperties, 'name' | 'required' | 'displayOptions'>;
}

const ID_HINT =
	'Tartan documents this ID as a UUID, but its own example webhooks use other IDs (e.g. "dsfdbgklvboknbsx"). If yours is not a UUID, turn on Options > Allow Non-UUID IDs.';

export const FIELDS = {
	syncSessionId: {
		api: 'sync_session_id',
		kind: 'id',
		ui: {
			displayName: 'Sync Session ID',
			type: 'string',
			default: '',
			placeholder: 'e.g. {{ $json.syncSessionId }}',
			description: 'The syncSessionId of the webhooks to resend',
			hint: ID_HINT,
		},
	},
	webhookCounter: {
		api: 'webhook_counter',
		kind: 'counters',
		ui: {
			displayName: 'Webhook Counters',
			type: 'string',
			default: '',
			placeholder: 'e.g. 1, 2, 5',
			description:
				'The webhookCounter values to resend, separated by commas (whole numbers of 1 or more). An expression may also give an array.',
		},
	},
	requestTimestamp: {
		api: 'request_timestamp',
		kind: 'epoch',
		ui: {
			displayName: 'From',
			type: 'dateTime',
			default: '',
			description:
				'Start of the time range (inclusive). A date, an ISO 8601 string or epoch seconds; dates without a time zone are in the workflow\'s time zone. Sent as epoch seconds.',
		},
	},
	endRequestTimestamp: {
		api: 'end_request_timestamp',
		kind: 'epoch',
		ui: {
			displayName: 'To',
			type: 'dateTime',
			default: '',
			description:
				'End of the time range, not before From. A date, an ISO 8601 string or epoch seconds; sent as epoch seconds.',
		},
	},
	status: {
		api: 'status',
		kind: 'status',
		ui: {
			displayName: 'Status',
			type: 'options',
			options: [
				{ name: 'Failed', value: 'fail', description: 'Only webhooks whose delivery failed' },
				{ name: 'Succeeded', value: 'success', description: 'Only webhooks that were delivered' },
				{ name: 'All', value: 'all', description: 'Every webhook, whatever its delivery status' },
			],
			default: 'fail',
			description: 'Which webhooks to resend, by delivery status',
		},
	},
	clientOrgId: {
		api: 'client_org_id',
		kind: 'id',
		ui: {
			displayName: 'Client Org ID',
			type: 'string',
			default: '',
			placeholder: 'e.g. {{ $json.orgId }}',
			description: "The client organisation's ID (orgId in Tartan's webhooks)",
			hint: ID_HINT,
		},
	},
	requestId: {
		api: 'request_id',
		kind: 'id',
		ui: {
			displayName: 'Request ID',
			type: 'string',
			default: '',
			placeholder: 'e.g. {{ $json.requestId }}',
			description: 'The requestId of the webhook to resend',
			hint: ID_HINT,
		},
	},
} satisfies Record<string, FieldSpec>;

export type FieldName = keyof typeof FIELDS;

/** Every search_type of the API, in the order the seed lists them. All their fields are required. */
export const SEARCH_TYPES = [
	{
		value: 'sync_session',
		name: 'By Sync Session',
		action: 'Resend the webhooks of a sync session',
		description: 'Resend every webhook of one sync session',
		fields: ['syncSessionId'],
	},
	{
		value: 'sync_session_counter',
		name: 'By Sync Session and Webhook Counters',
		action: 'Resend webhooks of a sync session by counter',
		description: 'Resend chosen webhooks (by webhookCounter) of one sync session',
		fields: ['syncSessionId', 'webhookCounter'],
	},
	{
		value: 'sync_session_status',
		name: 'By Sync Session and Status',
		action: 'Resend webhooks of a sync session by status',
		description: 'Resend the webhooks of one sync session with a given delivery status',
		fields: ['syncSessionId', 'status'],
	},
	{
		value: 'sync_session_counter_status',
		name: 'By Sync Session, Webhook Counters and Status',
		action: 'Resend webhooks of a sync session by counter and status',
		description: 'Resend chosen webhooks of one sync session with a given delivery status',
		fields: ['syncSessionId', 'webhookCounter', 'status'],
	},
	{
		value: 'time_range',
		name: 'By Time Range',
		action: 'Resend webhooks sent in a time range',
		description: 'Resend every webhook sent between two times',
		fields: ['requestTimestamp', 'endRequestTimestamp'],
	},
	{
		value: 'time_range_status',
		name: 'By Time Range and Status',
		action: 'Resend webhooks sent in a time range by status',
		description: 'Resend the webhooks sent between two times with a given delivery status',
		fields: ['requestTimestamp', 'endRequestTimestamp', 'status'],
	},
	{
		value: 'time_range_org',
		name: 'By Time Range and Organisation',
		action: 'Resend webhooks of an organisation in a time range',
		description: "Resend one client organisation's webhooks sent between two times",
		fields: ['requestTimestamp', 'endRequestTimestamp', 'clientOrgId'],
	},
	{
		value: 'time_range_status_org',
		name: 'By Time Range, Status and Organisation',
		action: 'Resend webhooks of an organisation in a time range by status',
		description: "Resend one client organisation's webhooks sent between two times with a given delivery status",
		fields: ['requestTimestamp', 'endRequestTimestamp', 'status', 'clientOrgId'],
	},
	{
		value: 'org_only',
		name: 'By Organisation',
		action: 'Resend the webhooks of an organisation',
		description: "Resend every webhook of one client organisation",
		fields: ['clientOrgId'],
	},
	{
		value: 'request_id',
		name: 'By Request ID',
		action: 'Resend a webhook by request ID',
		description: 'Resend the webhook with a given requestId',
		fields: ['requestId'],
	},
] as const satisfies ReadonlyArray<{
	value: string;
	name: string;
	action: string;
	description: string;
	fields: readonly FieldName[];
}>;

export type SearchType = (typeof SEARCH_TYPES)[number]['value'];

/** The value n8n gives the resource or operation when a user picks its injected "Custom API Call" entry. */
export const CUSTOM_API_CALL = '__CUSTOM_API_CALL__';
export const SEARCH_TYPE_VALUES = SEARCH_TYPES.map((t) => t.value) as SearchType[];

export function searchTypeOf(value: string) {
	return SEARCH_TYPES.find((t) => t.value === value);
}

// ---------------------------------------------------------------- UI

/** The one resource: n8n writes an AI tool's automatic description from a `resource`'s operation action. */
export const RESOURCE = 'webhook';

/**
 * The resource selector, with a single value. With it, n8n's automatic tool
 * description is the chosen operation's action ("Resend a webhook by request
 * ID in Tartan Resend") instead of the node's description for every
 * operation; n8n appends its "Custom API Call" entry here too.
 */
export const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [{ name: 'Webhook', value: RESOURCE, description: 'Webhooks Tartan sent, or failed to send, to your endpoint' }],
	default: RESOURCE,
};

/** The operation selector: one option per search type. */
export const operationProperty: INodeProperties = {
	displayName: 'Find Webhooks',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: [RESOURCE] } },
	options: SEARCH_TYPES.map(({ name, value, action, description }) => ({ name, value, action, description })),
	default: 'sync_session',
};

/** The canvas subtitle: the chosen operation's name. */
export const OPERATION_SUBTITLE = `={{ ${JSON.stringify(
	Object.fromEntries(SEARCH_TYPES.map((t) => [t.value, t.name])),
)}[$parameter["operation"]] }}`;

/** One UI field per API field, shown (and required) for exactly the search types that have it. */
export const fieldProperties: INodeProperties[] = (Object.keys(FIELDS) as FieldName[]).map((name) => ({
	...FIELDS[name].ui,
	name,
	required: true,
	displayOptions: {
		show: { resource: [RESOURCE], operation: SEARCH_TYPES.filter((t) => (t.fields as readonly FieldName[]).includes(name)).map((t) => t.value) },
	},
}));

/** Search types with at least one ID field (where the UUID check can be relaxed). */
export const SEARCH_TYPES_WITH_IDS = SEARCH_TYPES.filter((t) =>
	(t.fields as readonly FieldName[]).some((f) => FIELDS[f].kind === 'id'),
).map((t) => t.value);

// ---------------------------------------------------------------- validation

export interface ValidationContext {
	/** Accept any non-blank ID without white space instead of requiring a UUID. */
	relaxIds: boolean;
	/** Time zone for dates given without one (the workflow's). */
	timeZone: string;
}

/** Reads "1, 2, 5", 3, "3" or [1, 2] as a list of values to validate. */
function counterList(value: unknown): unknown {
	if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' && v.trim() !== '' ? Number(v.trim()) : v));
	if (typeof value === 'number') return [value];
	if (typeof value === 'string') {
		const parts = value.split(/[\s,;]+/).filter((p) => p !== '');
		return parts.map((p) => (/^[+-]?\d+(\.\d+)?$/.test(p) ? Number(p) : p));
	}
	return value;
}

function trimmed(value: unknown): unknown {
	return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : value;
}

const COUNTERS_MESSAGE = 'must be whole numbers of 1 or more, e.g. 1, 2, 5';
const STATUSES: readonly unknown[] = ['success', 'fail', 'all'];

function isCounter(value: unknown): value is number {
	return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}

/** One field's schema; see nodes/shared/validation.ts for why the messages are given this way. */
function fieldSchema(kind: FieldKind, context: ValidationContext): z.ZodTypeAny {
	switch (kind) {
		case 'id':
			return z.preprocess(
				trimmed,
				present(isString, 'must be text').pipe(
					context.relaxIds
						? z.string().min(1, 'is required').regex(/^\S+$/, 'must not contain white space')
						: z
								.string()
								.min(1, 'is required')
								.regex(UUID, 'must be a UUID (e.g. 6754fec7-d3db-458a-942b-85bfc5822c82); see Options > Allow Non-UUID IDs'),
				),
			);
		case 'counters':
			return z.preprocess(
				counterList,
				present(Array.isArray, 'must be a list of numbers, e.g. 1, 2, 5').pipe(
					z
						.array(z.custom<number>(isCounter, COUNTERS_MESSAGE))
						.min(1, 'needs at least one counter, e.g. 1, 2, 5'),
				),
			);
		case 'status':
			return z.custom<'success' | 'fail' | 'all'>(
				(value) => STATUSES.includes(value),
				'must be one of success, fail, all',
			);
		case 'epoch':
			return z.unknown().transform((value, ctx) => {
				const result = toEpochSeconds(value, context.timeZone);
				return typeof result === 'string' ? fail(ctx, result) : result;
			});
	}
}

/** The zod schema of one search type's parameters (keyed by UI field name). */
export function schemaFor(searchType: SearchType, context: ValidationContext) {
	const spec = searchTypeOf(searchType)!;
	const fields = spec.fields as readonly FieldName[];
	const shape = Object.fromEntries(fields.map((f) => [f, fieldSchema(FIELDS[f].kind, context)]));
	return z.strictObject(shape).superRefine((value: Record<string, unknown>, ctx) => {
		const start = value.requestTimestamp;
		const end = value.endRequestTimestamp;
		if (typeof start === 'number' && typeof end === 'number' && start > end) {
			ctx.addIssue({ code: 'custom', path: ['endRequestTimestamp'], message: 'must not be before From' });
		}
	});
}

export class ResendValidationError extends Error {
	constructor(
		readonly field: FieldName | 'operation',
		readonly reason: string,
	) {
		const label = field === 'operation' ? 'Find Webhooks' : FIELDS[field].ui.displayName;
		super(`"${label}" (${field}) ${reason}`);
		this.name = 'ResendValidationError';
	}
}

/**
 * Validates one item's parameters for a search type and returns the request
 * body: search_type plus exactly that schema's fields, under the API's names.
 */
export function buildResendBody(
	searchType: string,
	params: Partial<Record<FieldName, unknown>>,
	context: ValidationContext,
): IDataObject {
	const spec = searchTypeOf(searchType);
	if (searchType === CUSTOM_API_CALL) {
		// n8n adds "Custom API Call" to the operation list of nodes whose credential authenticates.
		throw new ResendValidationError(
			'operation',
			'is "Custom API Call", which this node does not make: use an HTTP Request node with the predefined credential type "Tartan API"',
		);
	}
	if (!spec) {
		throw new ResendValidationError('operation', `must be one of ${SEARCH_TYPE_VALUES.join(', ')}`);
	}
	const fields = spec.fields as readonly FieldName[];
	const input = Object.fromEntries(fields.map((f) => [f, params[f]]));
	const parsed = schemaFor(spec.value, context).safeParse(input);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const field = (issue.path[0] as FieldName | undefined) ?? fields[0];
		throw new ResendValidationError(field, issue.message);
	}
	const body: IDataObject = { search_type: spec.value };
	for (const f of fields) body[FIELDS[f].api] = (parsed.data as IDataObject)[f];
	return body;
}

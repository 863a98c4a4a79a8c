import type { INodeProperties } from 'n8n-workflow';

import { ACTIONS, DEFAULT_MODE, KEEP_LAST, POLICY_MODES, PRESET_FIELDS } from './personalDataTable';

const ON = { show: { personalData: ['protect', 'allowList'] } };

/** The preset as one sentence per action, from the table (shown in the editor). */
function presetSummary(): string {
	const byAction = (action: string) => PRESET_FIELDS.filter((field) => field.action === action).map((field) => field.path);
	const masked = byAction('mask').map((path) => (path === 'aadhar' ? 'aadhar (xxxx-xxxx-1234)' : path));
	const kept = byAction('keep');
	return (
		`Masked to the last ${KEEP_LAST.default} characters: ${masked.join(', ')}. ` +
		`Dropped: ${byAction('drop').join(', ')} (of the addresses only ${[...new Set(kept.map((path) => path.split('.').pop()))].join(', ')} are kept). ` +
		'Aadhaar numbers, PANs and +91 mobile numbers found in other fields are masked too. Field rules override any of these.'
	);
}

/** The trigger's personal-data parameters, derived from personalDataTable.ts. */
export const personalDataProperties: INodeProperties[] = [
	{
		displayName: 'Personal Data',
		name: 'personalData',
		type: 'options',
		noDataExpression: true,
		options: POLICY_MODES.map((mode) => ({ ...mode })),
		default: DEFAULT_MODE,
		description:
			'What this node does with the employee fields in each record before the workflow (and n8n\'s saved execution data) gets them',
	},
	{
		displayName: `Protected before any item leaves this node. ${presetSummary()} Each item lists what was changed under "personalData" (field names only).`,
		name: 'personalDataNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { personalData: ['protect'] } },
	},
	{
		displayName:
			'Personal data protection is off: PAN, Aadhaar, bank account and other employee fields leave this node as Tartan sent them, and n8n saves them with every execution unless the workflow\'s settings say otherwise.',
		name: 'personalDataOffNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { personalData: ['off'] } },
	},
	{
		displayName: 'Field Rules',
		name: 'fieldRules',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Field Rule',
		default: {},
		displayOptions: ON,
		description:
			'Per field: what to do with it. Paths are relative to an employee record; nested keys with dots (bankDetails.accountNumber). Case and spelling variants match (aadhaar, Aadhar Number, panNumber, phone).',
		options: [
			{
				displayName: 'Rule',
				name: 'rules',
				values: [
					{
						displayName: 'Field Path',
						name: 'path',
						type: 'string',
						required: true,
						default: '',
						placeholder: 'e.g. bankDetails.accountNumber',
						description: 'The field, with dots for nested keys. Arrays are passed through (dependentDetails.dob).',
					},
					{
						displayName: 'Action',
						name: 'action',
						type: 'options',
						options: ACTIONS.map((action) => ({ ...action })),
						default: 'mask',
					},
					{
						displayName: 'Keep Last Characters',
						name: 'keepLast',
						type: 'number',
						typeOptions: { minValue: KEEP_LAST.min, maxValue: KEEP_LAST.max },
						// KEEP_LAST.default (the lint wants a literal; a test checks they agree)
						default: 4,
						description: `How many trailing characters stay visible (${KEEP_LAST.min}–${KEEP_LAST.max}; never more than half the value)`,
						displayOptions: { show: { action: ['mask'] } },
					},
				],
			},
		],
	},
	{
		displayName: 'Detect Aadhaar and PAN in Other Fields',
		name: 'detectValues',
		type: 'boolean',
		default: true,
		displayOptions: ON,
		description:
			'Whether to also protect Aadhaar numbers (Verhoeff-checked), PANs and +91 mobile numbers found in fields no rule names, nested or in text',
	},
];

/**
 * The one table of the Tartan Trigger's personal-data policy: the actions, the
 * preset of Tartan's sensitive fields with their default actions, the key
 * spellings treated as the same field, and the envelope keys. The node's
 * parameters (personalDataProperties.ts), the policy's validation and its
 * behaviour (personalData.ts) are all derived from it.
 *
 * Field names follow Tartan's documented employee record
 * (https://docs.hypersync.tartanhq.com/api-reference/employees/employee-details-api)
 * and webhook envelope
 * (https://docs.hypersync.tartanhq.com/api-reference/webhooks/webhook-events-V2/introduction).
 */

export type ActionName = 'keep' | 'drop' | 'mask' | 'pseudonymise';

export const ACTIONS: ReadonlyArray<{ name: string; value: ActionName; description: string }> = [
	{ name: 'Drop', value: 'drop', description: 'Remove the field: its key is gone from the output' },
	{ name: 'Keep', value: 'keep', description: 'Output the field as Tartan sent it' },
	{
		name: 'Mask',
		value: 'mask',
		description: 'Replace all but the last characters with * (Aadhaar in UIDAI\'s masked form, xxxx-xxxx-1234)',
	},
	{
		name: 'Pseudonymise',
		value: 'pseudonymise',
		description:
			'Replace the value with a token (tkn_ + 32 hex characters, a keyed HMAC-SHA256 under the Tartan Pseudonymisation Key): the same value always gives the same token, so workflows can still match and de-duplicate',
	},
];

export const POLICY_MODES = [
	{
		name: 'Protect Sensitive Fields (Recommended)',
		value: 'protect',
		description:
			"Tartan's sensitive fields are masked or dropped (see the notice), your field rules override them, and every other field is output",
	},
	{
		name: 'Only Listed Fields',
		value: 'allowList',
		description:
			"Only the fields your rules name (and the webhook's envelope: requestId, syncSessionId, event…) leave the trigger",
	},
	{
		name: 'Off: Output Records as Tartan Sent Them',
		value: 'off',
		description: 'No field is dropped, masked or pseudonymised',
	},
] as const;

export type PolicyMode = (typeof POLICY_MODES)[number]['value'];

export const DEFAULT_MODE: PolicyMode = 'protect';

/** Mask: how many trailing characters may stay visible. UIDAI's masked Aadhaar shows 4, the most any field keeps. */
export const KEEP_LAST = { min: 0, max: 4, default: 4 } as const;

/** Pseudonym: prefix and length in hex characters (32 hex = 128 bits of HMAC-SHA256). */
export const PSEUDONYM = { prefix: 'tkn_', hexLength: 32, minKeyLength: 16 } as const;

/** How a value is normalised before pseudonymising, and which detector finds it by value. */
export type FieldKind = 'aadhaar' | 'pan' | 'uan' | 'mobile' | 'email' | 'account' | 'text';

export interface PresetField {
	/** The path as Tartan spells it, dot-separated (arrays are passed through). */
	path: string;
	action: ActionName;
	keepLast?: number;
	/** Why this default: shown nowhere, kept for reviewers. */
	why: string;
}

/**
 * Tartan's documented sensitive fields and their defaults: none needs a key, so
 * a new trigger protects out of the box. Fields not listed (name, work email,
 * employeeId, department, salary…) are output, and checked by value for Aadhaar
 * and PAN numbers.
 */
export const PRESET_FIELDS: readonly PresetField[] = [
	{ path: 'aadhar', action: 'mask', keepLast: 4, why: "UIDAI's masked Aadhaar: xxxx-xxxx-1234" },
	{ path: 'pan', action: 'mask', keepLast: 4, why: 'identifies a taxpayer; last 4 is enough to tell records apart' },
	{ path: 'uan', action: 'mask', keepLast: 4, why: 'EPFO account number' },
	{ path: 'mobileNumber', action: 'mask', keepLast: 4, why: 'a personal contact number' },
	{ path: 'bankDetails.accountNumber', action: 'mask', keepLast: 4, why: 'a bank account number' },
	{ path: 'personalEmail', action: 'drop', why: 'the work email (email) is the usual key' },
	{ path: 'dob', action: 'drop', why: 'with a name, identifies a person' },
	{ path: 'fatherName', action: 'drop', why: "a relative's name" },
	{ path: 'bloodGroup', action: 'drop', why: 'health data' },
	{ path: 'employeeMetadata.marriageDate', action: 'drop', why: 'family life' },
	// Addresses: the street line and pincode locate a home; city, state and country
	// are what payroll needs (metro HRA, professional tax by state).
	{ path: 'currentAddress', action: 'drop', why: 'a home address' },
	{ path: 'currentAddress.addressCity', action: 'keep', why: 'metro HRA' },
	{ path: 'currentAddress.addressState', action: 'keep', why: 'professional tax by state' },
	{ path: 'currentAddress.addressCountry', action: 'keep', why: 'country' },
	{ path: 'permanentAddress', action: 'drop', why: 'a home address' },
	{ path: 'permanentAddress.addressCity', action: 'keep', why: 'metro HRA' },
	{ path: 'permanentAddress.addressState', action: 'keep', why: 'professional tax by state' },
	{ path: 'permanentAddress.addressCountry', action: 'keep', why: 'country' },
	// Dependants: name and relation kept for benefits; their own identifiers are not the employee's to share.
	{ path: 'dependentDetails.dob', action: 'drop', why: "a dependant's date of birth" },
	{ path: 'dependentDetails.email', action: 'drop', why: "a dependant's email" },
	{ path: 'dependentDetails.mobileNumber', action: 'mask', keepLast: 4, why: "a dependant's number" },
];

/**
 * Key spellings that name the same field, compared after lower-casing and
 * removing everything but letters and digits (so `aadhaar_number`, `Aadhar No`
 * and `aadharNumber` all match Tartan's `aadhar`). Each entry: Tartan's
 * spelling (lower-cased), its kind, and the other spellings.
 */
export const KEY_SPELLINGS: ReadonlyArray<{ key: string; kind: FieldKind; aliases: string[] }> = [
	{ key: 'aadhar', kind: 'aadhaar', aliases: ['aadhaar', 'aadharnumber', 'aadhaarnumber', 'aadharno', 'aadhaarno', 'aadharcardnumber', 'aadhaarcardnumber', 'uidnumber'] },
	{ key: 'pan', kind: 'pan', aliases: ['pannumber', 'panno', 'pancardnumber'] },
	{ key: 'uan', kind: 'uan', aliases: ['uannumber', 'uanno'] },
	{ key: 'mobilenumber', kind: 'mobile', aliases: ['mobile', 'mobileno', 'phone', 'phonenumber', 'phoneno', 'contactnumber'] },
	{ key: 'personalemail', kind: 'email', aliases: ['personalemailid', 'personalmail'] },
	{ key: 'email', kind: 'email', aliases: ['emailid', 'workemail'] },
	{ key: 'dob', kind: 'text', aliases: ['dateofbirth', 'birthdate'] },
	{ key: 'fathername', kind: 'text', aliases: ['fathersname'] },
	{ key: 'bloodgroup', kind: 'text', aliases: ['bloodtype'] },
	{ key: 'accountnumber', kind: 'account', aliases: ['accountno', 'bankaccountnumber', 'acno', 'accno'] },
	{ key: 'bankdetails', kind: 'text', aliases: ['bankdetail', 'bankaccount'] },
	{ key: 'dependentdetails', kind: 'text', aliases: ['dependents', 'dependantdetails', 'dependants'] },
];

/**
 * The webhook envelope Tartan documents (every key beside `body`): ids and
 * metadata, no personal data. It leaves the trigger in every mode.
 */
export const ENVELOPE_KEYS: readonly string[] = [
	'syncSessionId',
	'webhookCounter',
	'requestId',
	'orgId',
	'vendor.orgId',
	'event',
	'eventType',
	'recordCount',
	'timeStamp',
	'statusCode',
	'message',
];

/**
 * Value detectors run on fields no rule names. Aadhaar: 12 digits (spaced or
 * dashed in 4-4-4), first digit 2-9, Verhoeff check digit valid (UIDAI). PAN:
 * 5 letters, 4 digits, a letter, the 4th letter a holder type (P person, C
 * company, H HUF, F firm, A AOP, T trust, B BOI, L local authority, J
 * artificial juridical person, G government). Mobile: only with the +91
 * country code (a bare 10-digit number is as likely an account or id).
 * Each detected value gets the action of its field in the policy (the `aadhar`
 * rule for an Aadhaar number found elsewhere), or Mask when that is Keep.
 */
export const DETECTORS: ReadonlyArray<{ kind: FieldKind; field: string; label: string }> = [
	{ kind: 'aadhaar', field: 'aadhar', label: 'Aadhaar number' },
	{ kind: 'pan', field: 'pan', label: 'PAN' },
	{ kind: 'mobile', field: 'mobileNumber', label: 'mobile number with +91' },
];

import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { MultipartPart } from '../shared/multipart';
import { EMAIL, isString } from '../shared/validation';
import { isPlainObject } from '../shared/values';

/**
 * The Sync Callback's documented fields (seed 000: EmployeeData and
 * EmployeeFormData, both `name` and `email` strings). Checked when present;
 * anything else is passed through as the user gave it. (See
 * nodes/shared/validation.ts for why the messages are given this way.)
 */
const knownFields = z
	.object({
		name: z
			.custom<string>(isString, 'must be text')
			.refine((value) => value.trim() !== '', 'must not be empty')
			.optional(),
		email: z
			.custom<string>(isString, 'must be text')
			.pipe(z.string().trim().regex(EMAIL, 'must be an email address, e.g. name@example.com'))
			.optional(),
	})
	.catchall(z.unknown());

export class EmployeeValidationError extends Error {
	constructor(
		readonly field: string,
		readonly reason: string,
	) {
		super(`"${field}" ${reason}`);
		this.name = 'EmployeeValidationError';
	}
}

export interface FieldPair {
	name?: unknown;
	value?: unknown;
}

/**
 * The record given as "Fields below": name, email and additional name/value
 * pairs. Empty name/email fields are left out; a field named twice is an error.
 */
export function recordFromFields(name: unknown, email: unknown, extra: FieldPair[]): IDataObject {
	const record: IDataObject = {};
	if (name !== undefined && name !== null && name !== '') record.name = name as IDataObject[string];
	if (email !== undefined && email !== null && email !== '') record.email = email as IDataObject[string];
	for (const [position, pair] of extra.entries()) {
		const key = typeof pair.name === 'string' ? pair.name.trim() : '';
		if (key === '') {
			throw new EmployeeValidationError(`Additional Fields #${position + 1}`, 'has no field name');
		}
		if (key in record) throw new EmployeeValidationError(key, 'is given more than once');
		record[key] = (pair.value ?? '') as IDataObject[string];
	}
	return record;
}

/** Checks name and email where present; returns the record with email trimmed. */
export function validateEmployee(record: unknown): IDataObject {
	if (!isPlainObject(record)) {
		throw new EmployeeValidationError('item', 'must be a JSON object');
	}
	if (Object.keys(record).length === 0) {
		throw new EmployeeValidationError('item', 'has no fields to send');
	}
	const parsed = knownFields.safeParse(record);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new EmployeeValidationError(String(issue.path[0] ?? 'item'), issue.message);
	}
	return parsed.data as IDataObject;
}

/**
 * A record as multipart/form-data text fields: strings as they are, numbers and
 * booleans as text, null as an empty field, nested objects and arrays as JSON
 * text (multipart has no nesting).
 */
export function recordToFormFields(record: IDataObject): MultipartPart[] {
	return Object.entries(record)
		.filter(([, value]) => value !== undefined)
		.map(([name, value]) => ({
			name,
			value:
				value === null
					? ''
					: typeof value === 'object'
						? JSON.stringify(value)
						: String(value),
		}));
}

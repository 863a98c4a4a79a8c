import { z } from 'zod';

/**
 * The nodes use the `zod` that n8n ships (3.25.x today; zod 4 possibly later),
 * so the schemas keep to what zod 3 and zod 4 both do alike, and every message
 * a user sees is ours. Both majors accept a plain string as the message of a
 * check (`.min(1, '…')`, `.regex(re, '…')`, `.refine(fn, '…')`, `z.custom(fn, '…')`)
 * and of an issue added in `.transform` / `.superRefine`; they differ in how a
 * type error's message is set (zod 3: required_error, invalid_type_error,
 * errorMap; zod 4: error; `message`, the one spelling both take, is deprecated
 * in 4) and in their own wording, so type errors are raised here instead.
 * Format checks (UUID, email) are our own regular expressions: zod 4's differ.
 * test/shared/zodRuntime.*.test.ts and the `zod4` jest project prove it.
 */

/** Adds our message as an issue; the value returned makes the result invalid. */
export function fail(ctx: z.RefinementCtx, message: string): never {
	ctx.addIssue({ code: 'custom', message });
	return z.NEVER;
}

/**
 * The value when it is given (not undefined) and passes `guard`: "is required"
 * or `wrongType` otherwise. Pipe it into a zod schema for the checks.
 */
export function present<T>(guard: (value: unknown) => value is T, wrongType: string) {
	return z.unknown().transform((value, ctx): T => {
		if (value === undefined) return fail(ctx, 'is required');
		if (!guard(value)) return fail(ctx, wrongType);
		return value;
	});
}

export function isString(value: unknown): value is string {
	return typeof value === 'string';
}

/** Any 8-4-4-4-12 hexadecimal ID, as zod 3's `.uuid()` accepts (zod 4's requires an RFC 9562 version and variant). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** zod 3's `.email()` pattern, kept so that zod 4 (whose pattern differs) accepts the same addresses. */
export const EMAIL = /^(?!\.)(?!.*\.\.)([A-Z0-9_'+\-.]*)[A-Z0-9_+-]@([A-Z0-9][A-Z0-9-]*\.)+[A-Z]{2,}$/i;

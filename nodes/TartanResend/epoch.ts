import { DateTime, Info } from 'luxon';

/**
 * Tartan's time-range fields are integer epoch seconds. Users give dates from
 * the date picker, ISO 8601 strings or epoch numbers from expressions, or date
 * objects ($now). This turns any of them into epoch seconds, or explains why not.
 * Time zones are Luxon's (n8n's own date library, loaded from n8n at run time).
 */

/** Above this, a number is almost certainly milliseconds (seconds would be past the year 5000). */
const MILLISECONDS_THRESHOLD = 100_000_000_000;

/**
 * The ISO 8601 forms accepted: a date, or a date and time (seconds and a
 * fraction optional), with or without an offset (Z, ±HH:MM or ±HHMM). Luxon
 * alone would also take week dates, ordinal dates and times without a date.
 */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-](?:0\d|1[0-4]):?[0-5]\d)?)?$/i;

function fromNumber(value: number): number | string {
	if (!Number.isFinite(value)) return 'must be a date or epoch seconds';
	if (value < 0) return 'must not be before 1970';
	if (value >= MILLISECONDS_THRESHOLD) {
		return `looks like epoch milliseconds (${value}); Tartan expects seconds: divide by 1000, or use {{ $now.toSeconds() }}`;
	}
	return Math.floor(value);
}

/**
 * Epoch seconds, or a message (starting lower-case) saying what is wrong.
 * Text without an offset is a wall-clock time in `timeZone` (UTC if n8n gives
 * an unknown zone). Around a DST change Luxon moves a time in the gap forward
 * by the gap (02:30 becomes 03:30 on a spring-forward night) and reads a time in
 * the repeated hour at its later offset (standard time).
 */
export function toEpochSeconds(value: unknown, timeZone: string): number | string {
	if (value === undefined || value === null || value === '') return 'is required';
	if (typeof value === 'number') return fromNumber(value);
	if (value instanceof Date) {
		const ms = value.getTime();
		return Number.isNaN(ms) ? 'is not a valid date' : fromNumber(Math.floor(ms / 1000));
	}
	if (typeof value === 'object' && typeof (value as { toMillis?: unknown }).toMillis === 'function') {
		// A Luxon DateTime from an expression such as {{ $now.minus({ days: 1 }) }}.
		const ms = (value as { toMillis: () => number }).toMillis();
		return Number.isFinite(ms) ? fromNumber(Math.floor(ms / 1000)) : 'is not a valid date';
	}
	if (typeof value !== 'string') return 'must be a date or epoch seconds';

	const text = value.trim();
	if (text === '') return 'is required';
	if (/^[+-]?\d+(\.\d+)?$/.test(text)) return fromNumber(Number(text));
	if (!ISO_DATE_TIME.test(text)) {
		return `is not a date: "${text}" (use ISO 8601 such as 2025-05-26T03:18:30Z, or epoch seconds)`;
	}
	const zone = Info.isValidIANAZone(timeZone) ? timeZone : 'UTC';
	const date = DateTime.fromISO(text.toUpperCase().replace(' ', 'T'), { zone });
	// Luxon refuses dates that do not exist (2025-02-30, 23:59:60).
	return date.isValid ? fromNumber(Math.floor(date.toSeconds())) : `is not a valid date: "${text}"`;
}

/**
 * Tartan's time-range fields are integer epoch seconds. Users give dates from
 * the date picker, ISO 8601 strings or epoch numbers from expressions, or date
 * objects ($now). This turns any of them into epoch seconds, or explains why not.
 */

/** Above this, a number is almost certainly milliseconds (seconds would be past the year 5000). */
const MILLISECONDS_THRESHOLD = 100_000_000_000;

const NAIVE_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;

/** Offset of a time zone from UTC at an instant, in milliseconds. */
function zoneOffsetMs(epochMs: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(epochMs));
	const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
	const wallClock = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
	return wallClock - Math.floor(epochMs / 1000) * 1000;
}

/** A wall-clock time in a time zone, as epoch milliseconds. */
function zonedTimeToEpochMs(fields: number[], timeZone: string): number {
	const [y, mo, d, h, mi, s] = fields;
	const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
	let zone = timeZone;
	try {
		new Intl.DateTimeFormat('en-US', { timeZone: zone });
	} catch {
		zone = 'UTC';
	}
	const first = asUtc - zoneOffsetMs(asUtc, zone);
	// Around a DST change the offset at the result can differ from the first guess.
	const second = asUtc - zoneOffsetMs(first, zone);
	return second;
}

function fromNumber(value: number): number | string {
	if (!Number.isFinite(value)) return 'must be a date or epoch seconds';
	if (value < 0) return 'must not be before 1970';
	if (value >= MILLISECONDS_THRESHOLD) {
		return `looks like epoch milliseconds (${value}); Tartan expects seconds: divide by 1000, or use {{ $now.toSeconds() }}`;
	}
	return Math.floor(value);
}

/** Epoch seconds, or a message (starting lower-case) saying what is wrong. */
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

	const naive = NAIVE_DATE_TIME.exec(text);
	if (naive) {
		const fields = naive.slice(1).map((part) => (part === undefined ? 0 : Number(part)));
		const [y, mo, d, h, mi, s] = fields;
		const check = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
		if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
			return `is not a valid date: "${text}"`;
		}
		return fromNumber(Math.floor(zonedTimeToEpochMs(fields, timeZone) / 1000));
	}

	// ISO 8601 with an offset or Z, e.g. 2025-05-26T03:18:30Z or 2025-05-26T08:48:30+05:30.
	if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text)) {
		const ms = Date.parse(text);
		if (!Number.isNaN(ms)) return fromNumber(Math.floor(ms / 1000));
	}
	return `is not a date: "${text}" (use ISO 8601 such as 2025-05-26T03:18:30Z, or epoch seconds)`;
}

import { toEpochSeconds } from '../../nodes/TartanResend/epoch';

const utc = (...parts: [number, number, number, number?, number?, number?]) => Date.UTC(...parts) / 1000;

describe('toEpochSeconds: dates without an offset around DST changes', () => {
	it('reads each side of a change at its own offset', () => {
		// New York: EST (UTC-5) until 2025-03-09 02:00, then EDT (UTC-4).
		expect(toEpochSeconds('2025-03-09T01:59:59', 'America/New_York')).toBe(utc(2025, 2, 9, 6, 59, 59));
		expect(toEpochSeconds('2025-03-09T03:00:00', 'America/New_York')).toBe(utc(2025, 2, 9, 7));
		// Berlin: CEST (UTC+2) until 2025-10-26 03:00, then CET (UTC+1).
		expect(toEpochSeconds('2025-10-26T01:59:59', 'Europe/Berlin')).toBe(utc(2025, 9, 25, 23, 59, 59));
		expect(toEpochSeconds('2025-10-26T03:00:00', 'Europe/Berlin')).toBe(utc(2025, 9, 26, 2));
	});

	it('moves a time that does not exist (spring forward) ahead by the gap, west and east of UTC alike', () => {
		// 02:30 does not exist in New York on 2025-03-09: read as 03:30 EDT.
		expect(toEpochSeconds('2025-03-09T02:30:00', 'America/New_York')).toBe(utc(2025, 2, 9, 7, 30));
		expect(toEpochSeconds('2025-03-09T02:30:00', 'America/New_York')).toBe(
			toEpochSeconds('2025-03-09T03:30:00', 'America/New_York'),
		);
		// 02:30 does not exist in Berlin on 2025-03-30: read as 03:30 CEST.
		expect(toEpochSeconds('2025-03-30T02:30:00', 'Europe/Berlin')).toBe(utc(2025, 2, 30, 1, 30));
	});

	it('reads a time that happens twice (fall back) at its later offset, west and east of UTC alike', () => {
		// 01:30 happens at 05:30Z (EDT) and 06:30Z (EST) in New York on 2025-11-02.
		expect(toEpochSeconds('2025-11-02T01:30:00', 'America/New_York')).toBe(utc(2025, 10, 2, 6, 30));
		// 02:30 happens at 00:30Z (CEST) and 01:30Z (CET) in Berlin on 2025-10-26.
		expect(toEpochSeconds('2025-10-26T02:30:00', 'Europe/Berlin')).toBe(utc(2025, 9, 26, 1, 30));
	});

	it('reads a date whose midnight does not exist as the first moment of that day', () => {
		// Santiago springs forward at midnight: 2024-09-08 starts at 01:00 (UTC-3).
		expect(toEpochSeconds('2024-09-08', 'America/Santiago')).toBe(utc(2024, 8, 8, 4));
	});

	it('leaves instants with an offset alone, whatever the workflow zone', () => {
		expect(toEpochSeconds('2025-03-09T02:30:00-05:00', 'America/New_York')).toBe(utc(2025, 2, 9, 7, 30));
		expect(toEpochSeconds('2025-11-02T01:30:00-04:00', 'America/New_York')).toBe(utc(2025, 10, 2, 5, 30));
		expect(toEpochSeconds('2025-11-02T01:30:00Z', 'America/New_York')).toBe(utc(2025, 10, 2, 1, 30));
	});
});

describe('toEpochSeconds: forms and refusals', () => {
	it('takes offsets as Z, ±HH:MM or ±HHMM, either letter case, and a space instead of T', () => {
		const instant = utc(2025, 4, 26, 3, 18, 30);
		expect(toEpochSeconds('2025-05-26T08:48:30+0530', 'UTC')).toBe(instant);
		expect(toEpochSeconds('2025-05-26t03:18:30z', 'UTC')).toBe(instant);
		expect(toEpochSeconds('2025-05-26 08:48:30+05:30', 'UTC')).toBe(instant);
		expect(toEpochSeconds(' 2025-05-26T03:18 ', 'UTC')).toBe(utc(2025, 4, 26, 3, 18));
		expect(toEpochSeconds('2025-05-25T22:18:30.999999-05:00', 'UTC')).toBe(instant);
	});

	it('refuses dates and times that do not exist', () => {
		for (const text of ['2025-02-30', '2025-02-29T00:00:00', '2025-13-01', '2025-05-26T25:00', '2025-05-26T12:60', '2025-05-26T23:59:60', '2025-02-30T00:00:00Z']) {
			expect(toEpochSeconds(text, 'UTC')).toBe(`is not a valid date: "${text}"`);
		}
		expect(toEpochSeconds('2024-02-29', 'UTC')).toBe(utc(2024, 1, 29));
	});

	it('refuses forms other than a date or a date and time', () => {
		for (const text of ['2025-W22-1', '2025-146', '12:00', '2025-05', '2025-05-26T03', '2025-05-26T03:18:30+25:00', 'May 26, 2025', '05/25/2025']) {
			expect(toEpochSeconds(text, 'UTC')).toBe(
				`is not a date: "${text}" (use ISO 8601 such as 2025-05-26T03:18:30Z, or epoch seconds)`,
			);
		}
	});

	it('refuses milliseconds with a hint, and dates before 1970', () => {
		expect(toEpochSeconds(1748131200000, 'UTC')).toBe(
			'looks like epoch milliseconds (1748131200000); Tartan expects seconds: divide by 1000, or use {{ $now.toSeconds() }}',
		);
		expect(toEpochSeconds('1969-12-31T23:59:59Z', 'UTC')).toBe('must not be before 1970');
		expect(toEpochSeconds(new Date(Number.NaN), 'UTC')).toBe('is not a valid date');
		expect(toEpochSeconds({ toMillis: () => Number.NaN }, 'UTC')).toBe('is not a valid date');
	});

	it('reads digits alone as epoch seconds, even when they look like a basic-format date', () => {
		expect(toEpochSeconds('20250526', 'UTC')).toBe(20250526);
	});

	it('reads dates in UTC when the workflow zone is unknown', () => {
		expect(toEpochSeconds('2025-05-26', 'Not/AZone')).toBe(utc(2025, 4, 26));
		expect(toEpochSeconds('2025-05-26', '')).toBe(utc(2025, 4, 26));
	});
});

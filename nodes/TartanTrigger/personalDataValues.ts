import { createHmac } from 'crypto';

import { KEEP_LAST, PSEUDONYM, type FieldKind } from './personalDataTable';

/* Verhoeff check digit (the scheme UIDAI uses for the 12th Aadhaar digit). */
const D = [
	[0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
	[1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
	[2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
	[3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
	[4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
	[5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
	[6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
	[7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
	[8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
	[9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const P = [
	[0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
	[1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
	[5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
	[8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
	[9, 4, 5, 3, 1, 2, 7, 6, 8, 0],
	[4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
	[2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
	[7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

/** Whether a string of digits ends in a valid Verhoeff check digit. */
export function verhoeffValid(digits: string): boolean {
	if (!/^\d+$/.test(digits)) return false;
	let c = 0;
	for (let i = 0; i < digits.length; i++) {
		c = D[c][P[i % 8][Number(digits[digits.length - 1 - i])]];
	}
	return c === 0;
}

/** The Verhoeff check digit for a string of digits (to build valid test numbers). */
export function verhoeffDigit(digits: string): number {
	let c = 0;
	for (let i = 0; i < digits.length; i++) {
		c = D[c][P[(i + 1) % 8][Number(digits[digits.length - 1 - i])]];
	}
	return INV[c];
}

/** An Aadhaar number: 12 digits, optionally 4-4-4 with spaces or dashes, first digit 2-9, Verhoeff valid. */
export function isAadhaar(text: string): boolean {
	const match = /^([2-9]\d{3})[ -]?(\d{4})[ -]?(\d{4})$/.exec(text.trim());
	return match !== null && verhoeffValid(match.slice(1).join(''));
}

const PAN_SHAPE = '[A-Z]{3}[PCHFATBLJG][A-Z][0-9]{4}[A-Z]';

/** A PAN: AAAAA9999A with a holder-type 4th letter (upper or lower case). */
export function isPan(text: string): boolean {
	return new RegExp(`^${PAN_SHAPE}$`, 'i').test(text.trim());
}

/** Where detectors look inside a longer text: each pattern's matches are checked again as a whole. */
const FINDERS: Array<{ kind: FieldKind; pattern: RegExp; check: (match: string) => boolean }> = [
	{ kind: 'aadhaar', pattern: /(?<![0-9])[2-9]\d{3}[ -]?\d{4}[ -]?\d{4}(?![0-9])/g, check: isAadhaar },
	{ kind: 'pan', pattern: new RegExp(`(?<![A-Za-z0-9])${PAN_SHAPE}(?![A-Za-z0-9])`, 'gi'), check: isPan },
	{ kind: 'mobile', pattern: /(?<![0-9+])\+91[ -]?[6-9]\d{4}[ -]?\d{5}(?![0-9])/g, check: () => true },
];

export interface Finding {
	kind: FieldKind;
	start: number;
	end: number;
}

/** Every Aadhaar number, PAN and +91 mobile number in a text, in order, not overlapping. */
export function findSensitive(text: string): Finding[] {
	// Cheap exit: every detector needs a digit.
	if (!/\d/.test(text)) return [];
	const found: Finding[] = [];
	for (const { kind, pattern, check } of FINDERS) {
		pattern.lastIndex = 0;
		for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
			if (check(m[0])) found.push({ kind, start: m.index, end: m.index + m[0].length });
		}
	}
	found.sort((a, b) => a.start - b.start);
	return found.filter((f, i) => i === 0 || f.start >= found[i - 1].end);
}

/**
 * Masks all but the last `keepLast` characters with `*`, never showing more
 * than half the value. An Aadhaar number comes out in UIDAI's form,
 * `xxxx-xxxx-1234` (the digits hidden with x).
 */
export function maskValue(text: string, kind: FieldKind, keepLast: number): string {
	const visible = Math.max(KEEP_LAST.min, Math.min(keepLast, KEEP_LAST.max));
	const digits = text.replace(/\D/g, '');
	if (kind === 'aadhaar' && digits.length === 12) {
		const shown = 'x'.repeat(4 - visible) + (visible > 0 ? digits.slice(-visible) : '');
		return `xxxx-xxxx-${shown}`;
	}
	const chars = Array.from(text);
	const keep = Math.min(visible, Math.floor(chars.length / 2));
	return '*'.repeat(chars.length - keep) + (keep > 0 ? chars.slice(-keep).join('') : '');
}

/**
 * The value as pseudonymised: the same person gets the same token however the
 * value was spelled (spaces, case, +91 or a leading 0).
 */
export function normalise(text: string, kind: FieldKind): string {
	const plain = text.normalize('NFKC').trim();
	switch (kind) {
		case 'aadhaar':
		case 'uan':
			return plain.replace(/\D/g, '');
		case 'mobile': {
			const digits = plain.replace(/\D/g, '');
			return digits.length > 10 && /^(91|0)/.test(digits) ? digits.slice(-10) : digits;
		}
		case 'pan':
		case 'account':
			return plain.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
		case 'email':
			return plain.toLowerCase();
		default:
			return plain.replace(/\s+/g, ' ').toLowerCase();
	}
}

/**
 * `tkn_` + the first 32 hex characters (128 bits) of HMAC-SHA256(key,
 * "tartan-pseudonym:v1:<domain>:<normalised value>"). The domain (the field's
 * kind, or its path for other fields) keeps equal values of different fields
 * apart; without the key a token cannot be recomputed from a guessed value.
 */
export function pseudonym(key: string, domain: string, normalised: string): string {
	const mac = createHmac('sha256', key).update(`tartan-pseudonym:v1:${domain}:${normalised}`, 'utf8').digest('hex');
	return PSEUDONYM.prefix + mac.slice(0, PSEUDONYM.hexLength);
}

/** What is wrong with a pseudonymisation key, or undefined. Never includes the key. */
export function pseudonymKeyProblem(key: unknown): string | undefined {
	if (typeof key !== 'string' || key === '') return 'the Pseudonymisation Key is empty';
	if (key.trim() !== key) return 'the Pseudonymisation Key starts or ends with white space';
	if (key.length < PSEUDONYM.minKeyLength) return `the Pseudonymisation Key is shorter than ${PSEUDONYM.minKeyLength} characters`;
	return undefined;
}

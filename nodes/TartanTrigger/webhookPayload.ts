import { createHash } from 'crypto';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { isPlainObject } from '../shared/values';

/** The webhook events Tartan documents; free text covers the ones it adds later. */
export const KNOWN_EVENTS = [
	{
		name: 'Sync Initiated',
		value: 'sync.events.initiated',
		description: 'A sync session started; body holds the expected new and updated record counts',
	},
	{
		name: 'Employee Added',
		value: 'sync.events.employee.add',
		description: 'Up to 10 new employee records (initial sync or delta)',
	},
	{
		name: 'Employee Updated',
		value: 'sync.events.employee.update',
		description: 'Up to 10 employee records whose fields changed since the last sync',
	},
	{
		name: 'Connection Requested',
		value: 'connection.events.requested',
		description: 'An organisation was invited to connect its HRMS',
	},
	{
		name: 'Connection Terminated',
		value: 'connection.events.terminated',
		description: 'A client or corporate terminated the connection',
	},
] as const;

export const ALL_EVENTS = '*';

export type OutputMode = 'perWebhook' | 'perRecord';

/** The key Remove Duplicates can use to drop Tartan's end-of-day re-deliveries. */
export const DELIVERY_KEY_FIELD = 'deliveryKey';

/** Key under which per-record items carry the webhook's envelope. */
export const ENVELOPE_FIELD = 'webhook';

/** Splits the free-text event list ("a, b\nc") into names. */
export function parseEventList(text: string | undefined): string[] {
	return (text ?? '')
		.split(/[\s,]+/)
		.map((name) => name.trim())
		.filter((name) => name !== '');
}

/** True when the node should start a workflow for this event. */
export function isEventSelected(event: unknown, selected: string[], custom: string[]): boolean {
	if (selected.length === 0 && custom.length === 0) return true;
	if (selected.includes(ALL_EVENTS)) return true;
	return typeof event === 'string' && (selected.includes(event) || custom.includes(event));
}

/**
 * A stable identity for one delivery: Tartan's requestId, else the sync session
 * and webhook counter, else a hash of the signed bytes (an exact re-delivery has
 * the same bytes). The same webhook re-sent at end of day gets the same key.
 */
export function deliveryKeyOf(payload: IDataObject, rawBody: Uint8Array): string {
	const { requestId, syncSessionId, webhookCounter } = payload;
	if (typeof requestId === 'string' && requestId.trim() !== '') return requestId.trim();
	if (
		typeof syncSessionId === 'string' &&
		syncSessionId.trim() !== '' &&
		(typeof webhookCounter === 'number' || typeof webhookCounter === 'string') &&
		String(webhookCounter).trim() !== ''
	) {
		return `${syncSessionId.trim()}:${String(webhookCounter).trim()}`;
	}
	return `sha256:${createHash('sha256').update(rawBody).digest('hex')}`;
}

const TARTAN_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

/**
 * Tartan's `timeStamp` ("YYYY-MM-DD HH:MM:SS", UTC) as epoch milliseconds.
 * `null` when it is empty (Tartan sends it empty on initial-sync events),
 * `NaN` when it is present but not in that format.
 */
export function parseTartanTimestamp(value: unknown): number | null {
	if (value === undefined || value === null || value === '') return null;
	if (typeof value !== 'string') return NaN;
	const match = TARTAN_TIMESTAMP.exec(value.trim());
	if (!match) return NaN;
	const [, y, mo, d, h, mi, s] = match.map(Number);
	const ms = Date.UTC(y, mo - 1, d, h, mi, s);
	const check = new Date(ms);
	// Reject calendar overflow such as 2025-02-31.
	if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return NaN;
	return ms;
}

export type AgeCheck = { ok: true } | { ok: false; reason: string };

/**
 * With a maximum age set, refuses webhooks whose `timeStamp` is older than it
 * (or unreadable). An empty `timeStamp` cannot be judged and is accepted.
 */
export function checkAge(timeStamp: unknown, maxAgeMinutes: number, now: number): AgeCheck {
	if (!(maxAgeMinutes > 0)) return { ok: true };
	const sent = parseTartanTimestamp(timeStamp);
	if (sent === null) return { ok: true };
	if (Number.isNaN(sent)) return { ok: false, reason: 'timeStamp is not in the format YYYY-MM-DD HH:MM:SS' };
	const ageMinutes = (now - sent) / 60000;
	if (ageMinutes > maxAgeMinutes) {
		return { ok: false, reason: `timeStamp is ${Math.floor(ageMinutes)} minutes old (maximum ${maxAgeMinutes})` };
	}
	return { ok: true };
}

/**
 * Turns a verified payload into the trigger's output items.
 *
 * - perWebhook: one item, the payload with its keys exactly as sent, plus the delivery key.
 * - perRecord: one item per element of `body`, with every other top-level key of
 *   the payload (the envelope) under `webhook`. Each record's delivery key is the
 *   webhook's key plus its position, so de-duplication keeps all records of a
 *   delivery but drops them all when the delivery repeats. A webhook without
 *   records still gives one item (the envelope alone), so no event is lost.
 */
export function toOutputItems(
	payload: IDataObject,
	output: OutputMode,
	deliveryKey: string,
	extra: IDataObject = {},
): INodeExecutionData[] {
	if (output !== 'perRecord') {
		return [{ json: { ...payload, [DELIVERY_KEY_FIELD]: deliveryKey, ...extra } }];
	}
	const { body, ...envelope } = payload;
	const records = Array.isArray(body) ? body : body === undefined || body === null ? [] : [body];
	if (records.length === 0) {
		return [{ json: { [ENVELOPE_FIELD]: envelope, [DELIVERY_KEY_FIELD]: deliveryKey, ...extra } }];
	}
	return records.map((record, index) => ({
		json: {
			...(isPlainObject(record) ? record : { record }),
			[ENVELOPE_FIELD]: envelope,
			[DELIVERY_KEY_FIELD]: `${deliveryKey}#${index + 1}`,
			...extra,
		},
	}));
}

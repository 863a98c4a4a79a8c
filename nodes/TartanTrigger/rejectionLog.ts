/**
 * Log lines about deliveries the Tartan Trigger refused (or ignored), so that
 * an n8n admin can see why a workflow never runs. Pure: the caller passes the
 * clock and writes the line through n8n's logger. Lines carry a reason code,
 * the workflow, the node, the remote address and the body length: never a
 * key, a signature or any of the body.
 */

/** One line per key per window; the count of those held back comes with the next line. */
export const REJECTION_LOG_WINDOW_MS = 60_000;

/** Keys remembered at most (reasons × trigger nodes); the oldest is forgotten first. */
const MAX_KEYS = 1000;

export interface Refusal {
	/** Reason code, e.g. `signature_mismatch`, `missing_signature`, `invalid_json`. */
	reason: string;
	/** The HTTP status answered. */
	status: number;
	workflowId?: string;
	workflowName?: string;
	node: string;
	remoteAddress?: string;
	bodyBytes?: number;
}

export type Admission = { log: false } | { log: true; heldBack: number };

/**
 * Rate limit for refusal lines: the first of a kind is written at once, then
 * at most one per `windowMs`; each written line says how many of its kind
 * were held back since the previous one. A flood therefore costs a few lines
 * a minute, whatever its size.
 */
export class RejectionLog {
	private readonly seen = new Map<string, { since: number; heldBack: number }>();

	constructor(
		private readonly windowMs = REJECTION_LOG_WINDOW_MS,
		private readonly maxKeys = MAX_KEYS,
	) {}

	admit(key: string, now: number): Admission {
		const entry = this.seen.get(key);
		if (entry && now - entry.since < this.windowMs) {
			entry.heldBack += 1;
			return { log: false };
		}
		const heldBack = entry?.heldBack ?? 0;
		this.seen.delete(key);
		if (this.seen.size >= this.maxKeys) {
			const oldest = this.seen.keys().next();
			if (!oldest.done) this.seen.delete(oldest.value);
		}
		this.seen.set(key, { since: now, heldBack: 0 });
		return { log: true, heldBack };
	}
}

/** The rate-limit key of a refusal: one stream of lines per trigger node and reason. */
export function refusalKey(refusal: Refusal): string {
	return JSON.stringify([refusal.workflowId ?? '', refusal.node, refusal.reason]);
}

/** Keeps a user-chosen name on one line and short (workflow and node names are user data, not secrets). */
function oneLine(text: string): string {
	// Line breaks and other control characters (code points below 32, and 127) become spaces
	const flat = Array.from(text, (ch) => (ch.charCodeAt(0) < 32 || ch.charCodeAt(0) === 127 ? ' ' : ch))
		.join('')
		.replace(/ {2,}/g, ' ')
		.trim();
	return flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
}

/** The log line for a refusal (key=value pairs, so it can be searched for). */
export function refusalLine(refusal: Refusal, heldBack: number, windowMs = REJECTION_LOG_WINDOW_MS): string {
	const what = refusal.status < 300 ? 'ignored' : 'refused';
	const parts = [
		`Tartan Trigger ${what} a delivery: reason=${refusal.reason}`,
		`status=${refusal.status}`,
		`workflow=${refusal.workflowId ?? 'unknown'}`,
	];
	if (refusal.workflowName) parts.push(`workflowName=${JSON.stringify(oneLine(refusal.workflowName))}`);
	parts.push(`node=${JSON.stringify(oneLine(refusal.node))}`);
	parts.push(`remoteAddress=${refusal.remoteAddress ?? 'unknown'}`);
	parts.push(`bodyBytes=${refusal.bodyBytes ?? 0}`);
	let line = parts.join(' ');
	if (heldBack > 0) {
		line += ` (${heldBack} more like it since the previous line were not logged: at most one line per ${Math.round(windowMs / 1000)} s)`;
	}
	return line;
}

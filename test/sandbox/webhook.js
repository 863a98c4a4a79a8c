'use strict';
/**
 * Tartan-style signed webhooks: the example payloads in test/fixtures/webhooks
 * and a sender that signs them the way Tartan does (seed 001):
 *
 *   hmac.new(app_key.encode("utf-8"), payload.encode("utf-8"), hashlib.sha256).hexdigest()
 *
 * i.e. `tartan-signature` = lower-case hex HMAC-SHA256 of the exact body bytes,
 * keyed with the UTF-8 bytes of the app key.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { SANDBOX_CREDENTIALS } = require('./credentials');

const FIXTURES_DIR = path.resolve(__dirname, '..', 'fixtures', 'webhooks');
const SIGNATURE_HEADER = 'tartan-signature';

function toBytes(value) {
	if (Buffer.isBuffer(value)) return value;
	if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
	if (typeof value === 'string') return Buffer.from(value, 'utf8');
	throw new TypeError('expected a Buffer, Uint8Array or string');
}

/** HMAC-SHA256 hex of the raw bytes, keyed with the UTF-8 app key (seed 001). */
function sign(appSecretKey, bytes) {
	if (typeof appSecretKey !== 'string' || appSecretKey.length === 0) throw new TypeError('appSecretKey must be a non-empty string');
	return crypto.createHmac('sha256', Buffer.from(appSecretKey, 'utf8')).update(toBytes(bytes)).digest('hex');
}

function readFixture(name) {
	const bytes = fs.readFileSync(path.join(FIXTURES_DIR, `${name}.json`));
	const json = JSON.parse(bytes.toString('utf8'));
	return { name, event: json.event, eventType: json.eventType === undefined ? null : json.eventType, bytes, json };
}

function fixtureNames() {
	return fs
		.readdirSync(FIXTURES_DIR)
		.filter((f) => f.endsWith('.json'))
		.map((f) => f.slice(0, -'.json'.length))
		.sort();
}

/** All fixtures, sorted by name: [{ name, event, eventType }]. */
function listFixtures() {
	return fixtureNames().map((name) => {
		const { event, eventType } = readFixture(name);
		return { name, event, eventType };
	});
}

/**
 * Fixture name for a fixture name ("employee-add-initial", ".json" optional) or
 * an event name ("sync.events.employee.add"). An event with several fixtures
 * resolves to the first by name (sync.events.employee.add -> employee-add-delta);
 * name the fixture to pick another. Returns null when nothing matches.
 */
function resolveFixtureName(nameOrEvent) {
	if (typeof nameOrEvent !== 'string' || nameOrEvent === '') return null;
	const names = fixtureNames();
	const bare = nameOrEvent.endsWith('.json') ? nameOrEvent.slice(0, -'.json'.length) : nameOrEvent;
	if (names.includes(bare)) return bare;
	const byEvent = listFixtures().find((f) => f.event === nameOrEvent);
	return byEvent ? byEvent.name : null;
}

/** { name, event, eventType, bytes (exact file bytes), json } for a fixture or event name. */
function loadFixture(nameOrEvent) {
	const name = resolveFixtureName(nameOrEvent);
	if (!name) {
		const known = listFixtures()
			.map((f) => `${f.name} (${f.event})`)
			.join(', ');
		throw new Error(`unknown webhook fixture or event "${nameOrEvent}"; available: ${known}`);
	}
	return readFixture(name);
}

/**
 * POSTs a webhook the way Tartan does. Exactly one of `fixture` (fixture or
 * event name; its file bytes are sent unchanged) and `payload` (Buffer/string
 * sent as is, anything else JSON.stringify-ed). The signature is
 * sign(appSecretKey, bytes) unless `signature` is given or `omitSignature` is true;
 * appSecretKey defaults to the sandbox's. `headers` are added last (they win).
 */
async function sendSignedWebhook(url, options = {}) {
	const { fixture, payload, signature, headers, omitSignature = false, timeoutMs = 30000 } = options;
	const appSecretKey = options.appSecretKey === undefined ? SANDBOX_CREDENTIALS.appSecretKey : options.appSecretKey;
	if ((fixture === undefined) === (payload === undefined)) {
		throw new TypeError('sendSignedWebhook needs exactly one of { fixture, payload }');
	}
	let bytes;
	if (fixture !== undefined) bytes = loadFixture(fixture).bytes;
	else if (Buffer.isBuffer(payload) || payload instanceof Uint8Array || typeof payload === 'string') {
		bytes = toBytes(payload);
	} else bytes = Buffer.from(JSON.stringify(payload), 'utf8');

	const outHeaders = { 'content-type': 'application/json' };
	if (!omitSignature) outHeaders[SIGNATURE_HEADER] = signature !== undefined ? signature : sign(appSecretKey, bytes);
	for (const [k, v] of Object.entries(headers || {})) outHeaders[k.toLowerCase()] = v;

	const res = await fetch(url, {
		method: 'POST',
		headers: outHeaders,
		body: bytes,
		signal: AbortSignal.timeout(timeoutMs),
	});
	const body = await res.text();
	let json = null;
	try {
		json = body === '' ? null : JSON.parse(body);
	} catch {
		json = null;
	}
	return { status: res.status, headers: Object.fromEntries(res.headers.entries()), body, json };
}

module.exports = {
	sign,
	sendSignedWebhook,
	listFixtures,
	loadFixture,
	resolveFixtureName,
	FIXTURES_DIR,
	SIGNATURE_HEADER,
};

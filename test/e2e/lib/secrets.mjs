// Secrets in a real n8n: distinctive random credential values per run, and a
// scan of the raw bytes of everything n8n wrote in its user folder (SQLite
// database and its -wal/-shm files, n8n.log, config, binary data, ...) for them.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * A secret nobody else would write: `<label>-<24 random base64url chars>`. Its
 * random core is searched for too, so that a truncated or re-prefixed copy
 * (e.g. "Bearer <token>" cut short) is still found.
 */
export function randomSecret(label) {
	return `${label}-${randomBytes(18).toString('base64url')}`;
}

/** A JWT-shaped bearer token (header.payload.signature) with a random signature and `jti`. */
export function randomJwt() {
	const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
	const header = b64({ alg: 'HS256', typ: 'JWT' });
	const payload = b64({ sub: 'n8n-nodes-tartan-e2e', jti: randomBytes(9).toString('hex'), exp: 4102444800 });
	return `${header}.${payload}.${randomBytes(32).toString('base64url')}`;
}

/** A suite's four Tartan secrets (`label` names them): { appSecretKey, apiKey, bearerToken, password }. */
export function suiteSecrets(label) {
	return {
		appSecretKey: randomSecret(`tartan-${label}-app-key`),
		apiKey: randomSecret(`tartan-${label}-api-key`),
		bearerToken: randomJwt(),
		password: randomSecret(`tartan-${label}-password`),
	};
}

/** The byte strings to look for: each secret, and its random core (the part after the last '-' or '.'). */
function needles(secrets) {
	const out = [];
	for (const [name, value] of Object.entries(secrets)) {
		if (typeof value !== 'string' || value.length < 8) throw new Error(`secret ${name} is too short to search for`);
		out.push({ name, what: 'value', bytes: Buffer.from(value, 'utf8') });
		const core = value.split(/[-.]/).pop();
		if (core && core !== value && core.length >= 16) out.push({ name, what: 'random core', bytes: Buffer.from(core, 'utf8') });
	}
	return out;
}

function* walk(dir) {
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) yield* walk(full);
		else if (entry.isFile()) yield full;
	}
}

/**
 * Searches the raw bytes of every file under `folder` for each secret.
 * Returns { files: [relative paths scanned], hits: [{ file, secret, what, offset }],
 * contains(text): [files whose bytes contain text] } — `contains` is for a
 * positive control (something that must be found, proving the scan reads the
 * database in clear where n8n stores things in clear).
 */
export function scanForSecrets(folder, secrets) {
	const list = needles(secrets);
	const files = [];
	const hits = [];
	const contents = new Map();
	for (const file of walk(folder)) {
		const rel = path.relative(folder, file);
		const bytes = fs.readFileSync(file);
		files.push(rel);
		contents.set(rel, bytes);
		for (const needle of list) {
			const offset = bytes.indexOf(needle.bytes);
			if (offset !== -1) hits.push({ file: rel, secret: needle.name, what: needle.what, offset });
		}
	}
	return {
		files,
		hits,
		contains: (text) => [...contents].filter(([, bytes]) => bytes.includes(Buffer.from(text, 'utf8'))).map(([rel]) => rel),
	};
}

/**
 * Stops n8n (so SQLite is checkpointed and the log flushed), scans its user
 * folder for the secrets, then removes the folder (unless N8N_E2E_KEEP=1).
 * `mustContain`: texts that must be found in the database (positive control).
 */
export async function stopAndScanForSecrets(n8n, secrets, { mustContain = [] } = {}) {
	await n8n.stop({ keepFolder: true, quiet: true });
	try {
		const scan = scanForSecrets(n8n.userFolder, secrets);
		const database = scan.files.filter((file) => /database\.sqlite/.test(file));
		const logs = scan.files.filter((file) => /\.log$/.test(file));
		const missing = mustContain.filter((text) => scan.contains(text).filter((f) => /database\.sqlite/.test(f)).length === 0);
		return { ...scan, database, logs, missing };
	} finally {
		if (process.env.N8N_E2E_KEEP !== '1') fs.rmSync(n8n.userFolder, { recursive: true, force: true });
		else process.stderr.write(`[n8n] kept ${n8n.userFolder}\n`);
	}
}

/** Headers with every secret value replaced by `<name masked>`, for evidence printed or written to disk. */
export function maskHeaders(headers, secrets) {
	const out = {};
	for (const [key, value] of Object.entries(headers)) {
		let text = Array.isArray(value) ? value.join(', ') : String(value);
		for (const [name, secret] of Object.entries(secrets)) text = text.split(secret).join(`<${name} masked>`);
		out[key] = text;
	}
	return out;
}

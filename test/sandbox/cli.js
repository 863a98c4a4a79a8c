#!/usr/bin/env node
'use strict';
/**
 * npm run sandbox [-- --deliver-to URL]: starts the local Tartan sandbox on
 * 127.0.0.1:$SANDBOX_PORT (default 5680), prints the credential values to paste
 * into n8n and the sending-side and sink endpoints, and logs one line per
 * request (method, path, status; never headers or bodies) and per webhook
 * delivery attempt (event, counter, outcome; never the payload) until Ctrl-C.
 * The delivery URL is --deliver-to, else $TARTAN_WEBHOOK_URL, else unset
 * (POST /sandbox/sessions can pass one).
 */
const { startSandbox } = require('./server');

const DEFAULT_PORT = 5680;
const HOST = '127.0.0.1';

function parsePort(raw) {
	if (raw === undefined || raw === '') return DEFAULT_PORT;
	const port = Number(raw);
	if (!Number.isInteger(port) || port < 0 || port > 65535) {
		throw new Error(`SANDBOX_PORT must be an integer between 0 and 65535 (got "${raw}")`);
	}
	return port;
}

const USAGE = 'usage: npm run sandbox [-- --deliver-to URL]   (env: SANDBOX_PORT, TARTAN_WEBHOOK_URL)';

/** { deliverTo } from argv (--deliver-to URL or --deliver-to=URL), falling back to env.TARTAN_WEBHOOK_URL. */
function parseArgs(argv, env = {}) {
	let deliverTo = env.TARTAN_WEBHOOK_URL || null;
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg.startsWith('--deliver-to=')) deliverTo = arg.slice('--deliver-to='.length);
		else if (arg === '--deliver-to' && i + 1 < argv.length) deliverTo = argv[++i];
		else throw new Error(`${arg === '--deliver-to' ? '--deliver-to needs a URL' : `unknown argument ${arg}`}\n${USAGE}`);
	}
	if (deliverTo !== null) {
		let url;
		try {
			url = new URL(deliverTo);
		} catch {
			url = null;
		}
		if (!url || !['http:', 'https:'].includes(url.protocol)) throw new Error(`--deliver-to must be an http(s) URL (got "${deliverTo}")`);
	}
	return { deliverTo };
}

function sendingSideLines(sandbox) {
	const u = sandbox.url;
	const target = sandbox.sender.url || 'not set: --deliver-to URL, TARTAN_WEBHOOK_URL, or "url" in a sessions body';
	return [
		"Tartan's sending side (signed webhooks to a Tartan Trigger; loopback only):",
		`  Delivers to:  ${target}`,
		`  curl -X POST ${u}/sandbox/sessions -d '{"adds":25}'      # a sync session, delivered in the background`,
		`  curl -X POST ${u}/sandbox/sessions -d '{"adds":25,"updates":5,"url":"<n8n webhook URL>"}'`,
		`  curl -X POST ${u}/sandbox/end-of-day                     # re-send every failed webhook (Tartan's EOD)`,
		`  curl ${u}/sandbox/deliveries                             # delivery log: status and attempts, no payloads`,
		'  A valid POST /api/webhooks/resend re-delivers the webhooks it selects (same bytes, same requestId).',
		'',
		'Target-system sink (point a workflow\'s HTTP Request node at it; unauthenticated, loopback only):',
		`  POST ${u}/sink/records   (one JSON record; optional idempotency-key header)`,
		`  curl ${u}/sink/records                                   # counts: received, applied, missing, duplicated`,
		'',
	];
}

function banner(sandbox) {
	const c = sandbox.credentials;
	const u = sandbox.url;
	return [
		`Tartan sandbox listening on ${u}`,
		'',
		'Routes:',
		`  POST ${u}/api/webhooks/resend          (Authorization: <apiKey>)`,
		`  POST ${u}/api/external/sync/callback   (JSON: Authorization: Bearer <token>; multipart: username/password headers)`,
		'',
		'Credentials to paste into n8n (fake values, valid only against this sandbox):',
		'  Tartan API (tartanApi)',
		'    Environment:  leave as is (Base URL overrides it)',
		`    Base URL:     ${u}`,
		`    API Key:      ${c.apiKey}`,
		'  Tartan Bearer Token API (tartanBearerApi)',
		`    Base URL:     ${u}`,
		`    Token:        ${c.bearerToken}`,
		'  Tartan Username & Password API (tartanUsernamePasswordApi)',
		`    Base URL:     ${u}`,
		`    Username:     ${c.username}`,
		`    Password:     ${c.password}`,
		'  Tartan Webhook Signing Key API (tartanWebhookSigningApi)',
		`    App Key:      ${c.appSecretKey}`,
		'',
		'Send a signed example webhook to a Tartan Trigger:',
		'  npm run send-event -- sync.events.employee.add --url <n8n webhook URL>',
		'',
		...sendingSideLines(sandbox),
		'Requests (Ctrl-C to stop):',
	].join('\n');
}

function logLine(record) {
	const time = new Date().toISOString().slice(11, 23);
	const r = record.response || {};
	const outcome = r.dropped ? 'dropped' : r.aborted ? 'client gone' : String(r.status);
	const marker = r.scripted ? ' (scripted)' : r.fault ? ' (sink fault)' : '';
	// record.path is the pathname only: no query string, no headers, no body.
	return `${time} ${record.method} ${record.path} -> ${outcome}${marker}`;
}

/** One line per delivery attempt: event, session counter, outcome, kind. Never the payload or the key. */
function deliveryLine(webhook, attempt) {
	const time = new Date().toISOString().slice(11, 23);
	const outcome = attempt.error === undefined ? String(attempt.status) : attempt.error;
	return `${time} DELIVER ${webhook.event} #${webhook.webhookCounter} -> ${outcome} (${attempt.kind}, ${attempt.ms} ms)`;
}

async function main() {
	const port = parsePort(process.env.SANDBOX_PORT);
	const { deliverTo } = parseArgs(process.argv.slice(2), process.env);
	const sandbox = await startSandbox({
		port,
		host: HOST,
		deliverTo,
		onResponse: (record) => console.log(logLine(record)),
		sender: { onAttempt: (webhook, attempt) => console.log(deliveryLine(webhook, attempt)) },
	});
	console.log(banner(sandbox));
	let stopping = false;
	const stop = async (signal) => {
		if (stopping) return;
		stopping = true;
		console.log(`\n${signal}: stopping sandbox`);
		await sandbox.close();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop('SIGINT'));
	process.on('SIGTERM', () => void stop('SIGTERM'));
}

if (require.main === module) {
	main().catch((error) => {
		console.error(`sandbox: ${error.code === 'EADDRINUSE' ? `port already in use (${error.message}); set SANDBOX_PORT` : error.message}`);
		process.exit(1);
	});
}

module.exports = { banner, logLine, deliveryLine, parseArgs, parsePort, DEFAULT_PORT };

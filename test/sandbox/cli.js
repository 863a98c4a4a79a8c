#!/usr/bin/env node
'use strict';
/**
 * npm run sandbox: starts the local Tartan sandbox on 127.0.0.1:$SANDBOX_PORT
 * (default 5680), prints the credential values to paste into n8n, and logs one
 * line per request (method, path, status; never headers or bodies) until Ctrl-C.
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
		'Requests (Ctrl-C to stop):',
	].join('\n');
}

function logLine(record) {
	const time = new Date().toISOString().slice(11, 23);
	const r = record.response || {};
	const outcome = r.dropped ? 'dropped' : String(r.status);
	const scripted = r.scripted ? ' (scripted)' : '';
	// record.path is the pathname only: no query string, no headers, no body.
	return `${time} ${record.method} ${record.path} -> ${outcome}${scripted}`;
}

async function main() {
	const port = parsePort(process.env.SANDBOX_PORT);
	const sandbox = await startSandbox({ port, host: HOST, onResponse: (record) => console.log(logLine(record)) });
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

module.exports = { banner, logLine, parsePort, DEFAULT_PORT };

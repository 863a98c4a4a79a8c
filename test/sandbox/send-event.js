#!/usr/bin/env node
'use strict';
/**
 * npm run send-event -- <event or fixture name> [--url URL] [--key APP_KEY]
 *
 * POSTs the exact bytes of an example webhook (test/fixtures/webhooks) with a
 * tartan-signature computed like Tartan does. URL defaults to
 * $TARTAN_WEBHOOK_URL; the key to $TARTAN_APP_KEY, else the sandbox app key.
 * Prints the status and the response body; exits 1 on a non-2xx answer or a
 * network error, 2 on a usage error (no/unknown event, no URL).
 */
const { sendSignedWebhook, listFixtures, resolveFixtureName } = require('./webhook');
const { SANDBOX_CREDENTIALS } = require('./credentials');

const USAGE = 'usage: npm run send-event -- <event or fixture name> [--url URL] [--key APP_KEY] [--list]';

function parseArgs(argv) {
	const out = { event: undefined, url: undefined, key: undefined, list: false, help: false, errors: [] };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const value = (flag) => {
			if (arg.startsWith(`${flag}=`)) return arg.slice(flag.length + 1);
			if (i + 1 >= argv.length) {
				out.errors.push(`${flag} needs a value`);
				return undefined;
			}
			return argv[++i];
		};
		if (arg === '--url' || arg.startsWith('--url=')) out.url = value('--url');
		else if (arg === '--key' || arg.startsWith('--key=')) out.key = value('--key');
		else if (arg === '--list') out.list = true;
		else if (arg === '--help' || arg === '-h') out.help = true;
		else if (arg.startsWith('-')) out.errors.push(`unknown option ${arg}`);
		else if (out.event === undefined) out.event = arg;
		else out.errors.push(`unexpected argument ${arg}`);
	}
	return out;
}

function fixtureTable() {
	const lines = ['Available events (fixture name, event):'];
	for (const f of listFixtures()) lines.push(`  ${f.name.padEnd(24)} ${f.event}`);
	lines.push('An event name with several fixtures sends the first one listed; name the fixture to choose.');
	return lines.join('\n');
}

async function main(argv, env, out = console.log, err = console.error) {
	const args = parseArgs(argv);
	if (args.help || args.list) {
		out(`${USAGE}\n\n${fixtureTable()}`);
		return 0;
	}
	if (args.errors.length > 0) {
		err(`${args.errors.join('; ')}\n${USAGE}`);
		return 2;
	}
	if (args.event === undefined) {
		err(`no event given\n${USAGE}\n\n${fixtureTable()}`);
		return 2;
	}
	const fixture = resolveFixtureName(args.event);
	if (!fixture) {
		err(`unknown event or fixture "${args.event}"\n\n${fixtureTable()}`);
		return 2;
	}
	const url = args.url || env.TARTAN_WEBHOOK_URL;
	if (!url) {
		err(`no webhook URL: pass --url or set TARTAN_WEBHOOK_URL\n${USAGE}`);
		return 2;
	}
	const appSecretKey = args.key || env.TARTAN_APP_KEY || SANDBOX_CREDENTIALS.appSecretKey;
	const keySource = args.key ? '--key' : env.TARTAN_APP_KEY ? 'TARTAN_APP_KEY' : 'sandbox app key';
	out(`POST ${url}  fixture=${fixture}  signed with ${keySource}`);
	let result;
	try {
		result = await sendSignedWebhook(url, { fixture, appSecretKey });
	} catch (error) {
		err(`request failed: ${error.cause ? `${error.message} (${error.cause.code || error.cause.message})` : error.message}`);
		return 1;
	}
	out(`status: ${result.status}`);
	out(result.body === '' ? '(empty body)' : result.body);
	return result.status >= 200 && result.status < 300 ? 0 : 1;
}

if (require.main === module) {
	main(process.argv.slice(2), process.env).then(
		(code) => {
			process.exitCode = code;
		},
		(error) => {
			console.error(error.message);
			process.exitCode = 1;
		},
	);
}

module.exports = { main, parseArgs };

// The package installed from a packed tarball, the way the README tells users
// to until the first release: `npm pack` of the build, the README's
// tarball-install block run as it stands in a fresh home folder (TARBALL set to
// the packed file), then n8n started on that folder with nothing copied by the
// harness: the nodes load as n8n-nodes-tartan.<node> (as a community install
// registers them), and the Tartan Trigger answers a signed delivery (200, one
// execution) and a wrongly signed one (401, none).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { N8nApi } from '../../scripts/lib/api.mjs';
import { cleanNpmEnv } from '../../scripts/lib/n8n-install.mjs';
import { PACKAGE_ROOT, packageBuildState, startN8n } from '../../scripts/lib/n8n.mjs';
import { triggerWorkflowVars } from './lib/trigger-workflow.mjs';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

const build = packageBuildState();
const pkg = build.pkg;

/** The README's tarball-install block: the ```bash fence after the `tarball-install` marker. */
function readmeTarballBlock() {
	const readme = fs.readFileSync(path.join(PACKAGE_ROOT, 'README.md'), 'utf8');
	const match = /<!-- tarball-install[^>]*-->\s*```bash\n([\s\S]*?)```/.exec(readme);
	assert.ok(match, 'README.md has no ```bash block after a <!-- tarball-install --> marker');
	return match[1];
}

/** npm's environment for a user whose home is `home` (nothing from an enclosing `npm run`). */
function npmEnv(home, extra = {}) {
	const env = { ...cleanNpmEnv(), HOME: home, ...extra };
	delete env.npm_config_ignore_scripts;
	return env;
}

describe('installed from a packed tarball as the README says, in a real n8n', { skip: build.reason, timeout: 600_000 }, () => {
	let work;
	let tarball; // npm pack --json entry
	let home; // HOME and N8N_USER_FOLDER of the n8n user
	let n8n;
	let api;
	let wf;
	const appSecretKey = `e2e-app-key-${randomBytes(12).toString('base64url')}`;
	const removeWork = () => {
		if (work && process.env.N8N_E2E_KEEP !== '1') fs.rmSync(work, { recursive: true, force: true });
	};

	before(() => {
		work = fs.mkdtempSync(path.join(os.tmpdir(), 'tarball-install-e2e-'));
		process.once('exit', removeWork);
		home = path.join(work, 'home');
		fs.mkdirSync(home);
	});

	after(async () => {
		await n8n?.stop({ quiet: true });
		removeWork();
		process.removeListener('exit', removeWork);
	});

	test("npm pack, then the README's tarball-install block installs exactly this one package from the file", async () => {
		const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], {
			cwd: PACKAGE_ROOT,
			env: npmEnv(path.join(work, 'packer')),
			timeout: 60_000,
		});
		[tarball] = JSON.parse(stdout);
		assert.equal(tarball.name, pkg.name);
		const file = path.join(work, tarball.filename);
		const block = readmeTarballBlock();
		assert.match(block, /npm install "\$TARBALL" --legacy-peer-deps/);
		// No registry is needed: point npm at one that does not exist, so any lookup fails
		await run('bash', ['-euo', 'pipefail', '-c', block], {
			cwd: home,
			env: npmEnv(home, { TARBALL: file, npm_config_registry: 'http://127.0.0.1:9/', npm_config_fetch_retries: '0' }),
			timeout: 120_000,
		});
		const nodesDir = path.join(home, '.n8n', 'nodes');
		const modules = fs.readdirSync(path.join(nodesDir, 'node_modules')).filter((name) => !name.startsWith('.'));
		assert.deepEqual(modules, [pkg.name], 'only the package: no n8n-workflow beside it');
		const lock = JSON.parse(fs.readFileSync(path.join(nodesDir, 'node_modules', '.package-lock.json'), 'utf8'));
		const entry = lock.packages[`node_modules/${pkg.name}`];
		assert.equal(entry.version, pkg.version);
		assert.equal(entry.integrity, tarball.integrity, 'the packed file');
		const manifest = JSON.parse(fs.readFileSync(path.join(nodesDir, 'package.json'), 'utf8'));
		assert.match(manifest.dependencies?.[pkg.name] ?? '', /^file:/, 'saved as a file dependency');
	});

	test('n8n started on that user folder loads the nodes as n8n-nodes-tartan.<node>, with their icons', async () => {
		assert.ok(tarball, 'not installed');
		n8n = await startN8n({ load: false, userFolder: home });
		api = new N8nApi(n8n.url);
		await api.bootstrap();
		const names = (await api.nodeTypes()).map((type) => type.name);
		for (const node of ['tartanTrigger', 'tartanResend', 'tartanSyncCallback', 'tartanResendTool', 'tartanSyncCallbackTool']) {
			assert.ok(names.includes(`${pkg.name}.${node}`), `${pkg.name}.${node} not loaded`);
		}
		assert.deepEqual(names.filter((name) => name.startsWith('CUSTOM.')), [], 'nothing loaded as a custom extension');
		const trigger = (await api.nodeTypes()).find((type) => type.name === `${pkg.name}.tartanTrigger`);
		for (const iconUrl of Object.values(trigger.iconUrl ?? {})) {
			const res = await fetch(`${n8n.url}/${iconUrl.replace(/^\/+/, '')}`);
			assert.equal(res.status, 200, iconUrl);
		}
		assert.doesNotMatch(n8n.logText(), /error.*n8n-nodes-tartan|n8n-nodes-tartan.*error/i);
	});

	test('a Tartan Trigger workflow: signed -> 200 and one execution; wrongly signed -> 401 and none', async () => {
		assert.ok(api, 'n8n not started');
		const credential = await api.createCredential({ name: 'Tartan signing key (tarball e2e)', type: 'tartanWebhookSigningApi', data: { appSecretKey } });
		const webhookId = randomUUID();
		const created = await api.importWorkflow(
			path.join(here, 'workflows', 'tartan-trigger.json'),
			triggerWorkflowVars({ name: `tarball install ${webhookId.slice(0, 8)}`, webhookId, credential }),
		);
		await api.activateWorkflow(created.id);
		await n8n.waitForWebhook(`${webhookId}/webhook`);
		wf = { id: created.id, url: `${n8n.url}/webhook/${webhookId}/webhook` };
		const webhook = require(path.join(PACKAGE_ROOT, 'test', 'sandbox', 'webhook.js'));
		const signed = await webhook.sendSignedWebhook(wf.url, { fixture: 'employee-update', appSecretKey });
		assert.equal(signed.status, 200, signed.body);
		const [execution] = await api.waitForExecutions(wf.id, 1);
		assert.equal(execution.status, 'success');
		const forged = await webhook.sendSignedWebhook(wf.url, { fixture: 'employee-update', appSecretKey: `${appSecretKey}-wrong` });
		assert.equal(forged.status, 401, forged.body);
		assert.equal(await api.countExecutionsAfter(wf.id), 1);
	});
});

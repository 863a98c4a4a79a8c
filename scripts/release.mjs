#!/usr/bin/env node
// Releases a version: `npm run release -- <version | patch | minor | major> [--push]`.
//
// 1. Refuses unless on `main` with a clean work tree, the tag v<version> is
//    new, and CHANGELOG.md has a non-empty "## Unreleased" section.
// 2. Runs the fast checks: build, strict lint, jest, the package checks
//    (actionlint, n8n's scanner on the source and the tarball). The whole
//    suite, e2e included, runs in GitHub Actions on the tag before publishing.
// 3. Sets the version (package.json, package-lock.json), renames
//    "## Unreleased" to "## <version> (<date>)", commits "Release <version>"
//    and makes the annotated tag v<version>.
// 4. With --push, pushes main and the tag; without it, prints the command.
//    The tag starts .github/workflows/publish.yml, which tests and publishes
//    to npm with provenance. Nothing is published from this machine.
//
// `node scripts/release.mjs --check-tag <tag>` (publish.yml) checks that the
// tag is v<package.json version> and that CHANGELOG.md has that section.
//
// Not `n8n-node release`: locally that runs release-it, which regenerates
// CHANGELOG.md from commit messages with auto-changelog (this one is written
// by hand) and creates a GitHub release with a token.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const VERSION = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/;
const UNRELEASED = /^## Unreleased[ \t]*$/m;

/** The version a release argument names: an exact version, or patch/minor/major of the current one. */
export function nextVersion(current, arg) {
	const m = VERSION.exec(current);
	if (!m) throw new Error(`package.json has no plain version: ${current}`);
	const [major, minor, patch] = m.slice(1, 4).map(Number);
	if (arg === 'major') return `${major + 1}.0.0`;
	if (arg === 'minor') return `${major}.${minor + 1}.0`;
	if (arg === 'patch') return m[4] ? `${major}.${minor}.${patch}` : `${major}.${minor}.${patch + 1}`;
	if (!VERSION.test(arg ?? '')) throw new Error(`not a version nor patch/minor/major: ${arg}`);
	if (compareVersions(arg, current) < 0) throw new Error(`${arg} is older than the current version ${current}`);
	return arg;
}

/** Compares two versions (a pre-release sorts before its release; pre-release tags compared as text). */
export function compareVersions(a, b) {
	const [pa, pb] = [VERSION.exec(a), VERSION.exec(b)];
	for (let i = 1; i <= 3; i++) if (Number(pa[i]) !== Number(pb[i])) return Number(pa[i]) - Number(pb[i]);
	if (pa[4] === pb[4]) return 0;
	if (!pa[4]) return 1;
	if (!pb[4]) return -1;
	return pa[4] < pb[4] ? -1 : 1;
}

/** CHANGELOG.md with "## Unreleased" renamed "## <version> (<date>)"; throws if that section is missing or empty. */
export function datedChangelog(text, version, date) {
	const m = UNRELEASED.exec(text);
	if (!m) throw new Error('CHANGELOG.md has no "## Unreleased" section: add the changes of this release under it');
	const rest = text.slice(m.index + m[0].length);
	const next = rest.search(/^## /m);
	const body = next === -1 ? rest : rest.slice(0, next);
	if (!/\S/.test(body)) throw new Error('the "## Unreleased" section of CHANGELOG.md is empty');
	if (new RegExp(`^## ${version.replaceAll('.', '\\.')}[ (]`, 'm').test(text)) throw new Error(`CHANGELOG.md already has a section for ${version}`);
	return `${text.slice(0, m.index)}## ${version} (${date})${rest}`;
}

/** Problems with publishing `tag` from this package.json version and CHANGELOG (none: []). */
export function tagProblems(tag, version, changelog) {
	const problems = [];
	if (tag !== `v${version}`) problems.push(`the tag ${tag} is not v${version} (package.json's version)`);
	if (!new RegExp(`^## ${version.replaceAll('.', '\\.')} \\(\\d{4}-\\d{2}-\\d{2}\\)`, 'm').test(changelog)) {
		problems.push(`CHANGELOG.md has no dated section "## ${version} (YYYY-MM-DD)"`);
	}
	return problems;
}

const git = (...args) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
const npm = (...args) => execFileSync('npm', args, { cwd: ROOT, stdio: 'inherit' });
const readPackage = () => JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const changelogPath = path.join(ROOT, 'CHANGELOG.md');

function release(args) {
	const push = args.includes('--push');
	const [arg] = args.filter((a) => a !== '--push');
	if (!arg) throw new Error('usage: npm run release -- <version | patch | minor | major> [--push]');

	const branch = git('rev-parse', '--abbrev-ref', 'HEAD');
	if (branch !== 'main') throw new Error(`releases are made from main, not ${branch}`);
	if (git('status', '--porcelain') !== '') throw new Error('the work tree has uncommitted changes');
	const current = readPackage().version;
	const version = nextVersion(current, arg);
	const tag = `v${version}`;
	if (git('tag', '--list', tag) !== '') throw new Error(`the tag ${tag} exists already`);
	const date = new Date().toISOString().slice(0, 10);
	const changelog = datedChangelog(fs.readFileSync(changelogPath, 'utf8'), version, date);

	console.log(`Releasing ${version} (now ${current}): checks first`);
	for (const script of ['build', 'lint', 'test:unit', 'test:package']) npm('run', script);

	if (version !== current) npm('version', version, '--no-git-tag-version');
	fs.writeFileSync(changelogPath, changelog);
	git('add', 'package.json', 'package-lock.json', 'CHANGELOG.md');
	git('commit', '-m', `Release ${version}`);
	git('tag', '-a', tag, '-m', `n8n-nodes-tartan ${version}`);
	console.log(`Committed "Release ${version}" and tagged ${tag}.`);

	const pushArgs = ['push', '--atomic', 'origin', 'main', tag];
	if (push) {
		git(...pushArgs);
		console.log(`Pushed: GitHub Actions (publish.yml) now tests and publishes ${version} with provenance.`);
	} else {
		console.log(`Check the commit, then push it and the tag; publish.yml tests and publishes with provenance:\n  git ${pushArgs.join(' ')}`);
	}
}

function checkTag(tag) {
	const problems = tagProblems(tag ?? '', readPackage().version, fs.readFileSync(changelogPath, 'utf8'));
	for (const p of problems) console.error(p);
	if (problems.length) process.exit(1);
	console.log(`${tag}: package.json and CHANGELOG.md agree`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
	try {
		const args = process.argv.slice(2);
		if (args[0] === '--check-tag') checkTag(args[1]);
		else release(args);
	} catch (error) {
		console.error(`release: ${error.message}`);
		process.exit(1);
	}
}

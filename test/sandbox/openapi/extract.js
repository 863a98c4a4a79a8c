#!/usr/bin/env node
'use strict';
/**
 * Extracts the OpenAPI YAML blocks from Tartan's documentation seeds into
 * test/sandbox/openapi/*.yaml, or checks that the committed files still equal
 * what the seeds say.
 *
 *   node test/sandbox/openapi/extract.js            # check (exit 1 on drift)
 *   node test/sandbox/openapi/extract.js --write    # (re)write the YAML files
 *   node test/sandbox/openapi/extract.js --seeds DIR
 *
 * A seed is a Markdown page holding a block fenced by a line
 * "````yaml <METHOD> <PATH>" and a line "````". The text between those two
 * lines is copied byte for byte. The seeds folder defaults to ../shared/seeds
 * relative to the repository root; clones without it get status "skipped".
 */
const fs = require('node:fs');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const DEFAULT_SEEDS_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'seeds');
const DEFAULT_OPENAPI_DIR = __dirname;

/** Which fenced block goes into which committed file. */
const TARGETS = Object.freeze([
	Object.freeze({ file: 'resend.yaml', operation: 'POST /api/webhooks/resend' }),
	Object.freeze({ file: 'sync-callback.yaml', operation: 'POST /api/external/sync/callback' }),
]);

const OPEN_FENCE = /^````yaml[ \t]+(.*?)[ \t]*$/;
const CLOSE_FENCE = /^````[ \t]*$/;

/** Every "````yaml OPERATION" block in one text: [{ operation, text }]. */
function findYamlBlocks(source) {
	const blocks = [];
	let pos = 0;
	let open = null; // { operation, start }
	while (pos <= source.length) {
		const nl = source.indexOf('\n', pos);
		const lineEnd = nl === -1 ? source.length : nl;
		const line = source.slice(pos, lineEnd).replace(/\r$/, '');
		const next = nl === -1 ? source.length + 1 : nl + 1;
		if (open === null) {
			const m = OPEN_FENCE.exec(line);
			if (m) open = { operation: m[1], start: Math.min(next, source.length) };
		} else if (CLOSE_FENCE.test(line)) {
			blocks.push({ operation: open.operation, text: source.slice(open.start, pos) });
			open = null;
		}
		pos = next;
	}
	return blocks;
}

/**
 * Reads every file of seedsDir and returns { [file]: yamlText } for TARGETS.
 * Throws when the folder is missing, or a target block is missing or duplicated.
 */
function extractOpenApi(seedsDir = DEFAULT_SEEDS_DIR) {
	const found = new Map();
	const names = fs.readdirSync(seedsDir).sort();
	for (const name of names) {
		const full = path.join(seedsDir, name);
		if (!fs.statSync(full).isFile()) continue;
		for (const block of findYamlBlocks(fs.readFileSync(full, 'utf8'))) {
			const target = TARGETS.find((t) => t.operation === block.operation);
			if (!target) continue;
			if (found.has(target.file)) {
				throw new Error(`"${target.operation}" appears in more than one seed block (${found.get(target.file).seed}, ${name})`);
			}
			found.set(target.file, { seed: name, text: block.text });
		}
	}
	const result = {};
	for (const t of TARGETS) {
		if (!found.has(t.file)) throw new Error(`no "\`\`\`\`yaml ${t.operation}" block found in ${seedsDir}`);
		result[t.file] = found.get(t.file).text;
	}
	return result;
}

/**
 * Compares the committed YAML files with a fresh extraction.
 * @returns {{ status: 'ok'|'mismatch'|'skipped', seedsDir: string, openapiDir: string,
 *            files: Array<{ file: string, status: 'ok'|'differs'|'missing' }>, message: string }}
 */
function checkOpenApi({ seedsDir = DEFAULT_SEEDS_DIR, openapiDir = DEFAULT_OPENAPI_DIR } = {}) {
	if (!fs.existsSync(seedsDir)) {
		return { status: 'skipped', seedsDir, openapiDir, files: [], message: `skipped: no seeds folder at ${seedsDir}` };
	}
	const extracted = extractOpenApi(seedsDir);
	const files = TARGETS.map(({ file }) => {
		const committedPath = path.join(openapiDir, file);
		if (!fs.existsSync(committedPath)) return { file, status: 'missing' };
		const committed = fs.readFileSync(committedPath, 'utf8');
		return { file, status: committed === extracted[file] ? 'ok' : 'differs' };
	});
	const bad = files.filter((f) => f.status !== 'ok');
	return bad.length === 0
		? { status: 'ok', seedsDir, openapiDir, files, message: `ok: ${files.map((f) => f.file).join(', ')} equal the seeds in ${seedsDir}` }
		: {
				status: 'mismatch',
				seedsDir,
				openapiDir,
				files,
				message: `mismatch: ${bad.map((f) => `${f.file} ${f.status}`).join(', ')} (run: node test/sandbox/openapi/extract.js --write)`,
			};
}

/** Writes the extracted blocks into openapiDir; returns the paths written. */
function writeOpenApi({ seedsDir = DEFAULT_SEEDS_DIR, openapiDir = DEFAULT_OPENAPI_DIR } = {}) {
	const extracted = extractOpenApi(seedsDir);
	fs.mkdirSync(openapiDir, { recursive: true });
	return Object.entries(extracted).map(([file, text]) => {
		const out = path.join(openapiDir, file);
		fs.writeFileSync(out, text);
		return out;
	});
}

function main(argv) {
	let seedsDir = DEFAULT_SEEDS_DIR;
	let write = false;
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--write') write = true;
		else if (arg === '--seeds' && argv[i + 1]) seedsDir = path.resolve(argv[++i]);
		else if (arg.startsWith('--seeds=')) seedsDir = path.resolve(arg.slice('--seeds='.length));
		else {
			console.error(`usage: extract.js [--write] [--seeds DIR]   (unknown argument: ${arg})`);
			return 2;
		}
	}
	if (write) {
		if (!fs.existsSync(seedsDir)) {
			console.error(`no seeds folder at ${seedsDir}`);
			return 1;
		}
		for (const out of writeOpenApi({ seedsDir })) console.log(`wrote ${path.relative(process.cwd(), out)}`);
		return 0;
	}
	const result = checkOpenApi({ seedsDir });
	(result.status === 'mismatch' ? console.error : console.log)(result.message);
	return result.status === 'mismatch' ? 1 : 0;
}

if (require.main === module) {
	try {
		process.exitCode = main(process.argv.slice(2));
	} catch (error) {
		console.error(error.message);
		process.exitCode = 1;
	}
}

module.exports = { extractOpenApi, checkOpenApi, writeOpenApi, findYamlBlocks, TARGETS, DEFAULT_SEEDS_DIR, DEFAULT_OPENAPI_DIR };

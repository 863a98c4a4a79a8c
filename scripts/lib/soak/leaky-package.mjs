// The soak's leak check: a throwaway copy of the built package (package.json
// and dist/) whose compiled Tartan Trigger keeps every request body it reads
// in a module-level array, the leak the soak must catch. Never the committed
// source or this repository's dist/: the copy goes to a temp folder, which
// startN8n loads as `packageRoot`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { PACKAGE_ROOT } from '../n8n.mjs';

const TRIGGER_JS = path.join('dist', 'nodes', 'TartanTrigger', 'TartanTrigger.node.js');
// In webhook(): the line after the body has been read (by n8n or the trigger)
const ANCHOR = /\n(\s*)(const signature = \(0, verifySignature_1\.headerValues\)\(req, verifySignature_1\.SIGNATURE_HEADER\);)/;
const MODULE_TOP = "const CREDENTIAL = 'tartanWebhookSigningApi';";

/** Makes the leaking copy: { root, label, remove() }. */
export function makeLeakyPackage(from = PACKAGE_ROOT) {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-nodes-tartan-leaky-'));
	fs.copyFileSync(path.join(from, 'package.json'), path.join(root, 'package.json'));
	fs.cpSync(path.join(from, 'dist'), path.join(root, 'dist'), { recursive: true });
	const file = path.join(root, TRIGGER_JS);
	const source = fs.readFileSync(file, 'utf8');
	if (!ANCHOR.test(source) || !source.includes(MODULE_TOP)) {
		fs.rmSync(root, { recursive: true, force: true });
		throw new Error(`leak check: ${TRIGGER_JS} no longer has the lines the patch goes after; update scripts/lib/soak/leaky-package.mjs`);
	}
	const patched = source
		.replace(MODULE_TOP, `${MODULE_TOP}\n/** SOAK LEAK CHECK: every body ever read, kept for good. */\nconst SOAK_KEPT_BODIES = [];`)
		.replace(ANCHOR, '\n$1SOAK_KEPT_BODIES.push(req.rawBody);\n$1$2');
	fs.writeFileSync(file, patched);
	return { root, label: 'a copy of the build whose Tartan Trigger keeps every body it reads (leak check)', remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}

// The progress line of a long npm install (scripts/lib/n8n-install.mjs): time
// so far, packages in node_modules (scoped ones counted one by one) and disk
// used, instead of whatever npm last wrote to its log.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { installProgress } from '../../scripts/lib/n8n-install.mjs';

test('install progress: elapsed time, packages so far and disk space used', () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'install-progress-'));
	try {
		for (const name of ['a', 'b', '@scope/c', '@scope/d', '.bin']) fs.mkdirSync(path.join(dir, 'node_modules', name), { recursive: true });
		const line = installProgress(dir, Date.now() - 247_000)();
		assert.match(line, /^4 min 0[67] s, 4 packages in node_modules, \d+\.\d GB less free disk space so far$/);
		assert.doesNotMatch(line, /EBADENGINE|npm warn/);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
});

test('install progress before node_modules exists: 0 packages', () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'install-progress-'));
	try {
		assert.match(installProgress(dir)(), /^0 min 00 s, 0 packages in node_modules/);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
});

// Writes what a scenario observed (e.g. a request the sandbox recorded, secrets
// masked) to test-results/e2e/<name>.json, git-ignored, for reports and CI artifacts.
import fs from 'node:fs';
import path from 'node:path';

import { PACKAGE_ROOT } from '../../../scripts/lib/n8n.mjs';

export const EVIDENCE_DIR = path.join(PACKAGE_ROOT, 'test-results', 'e2e');

export function writeEvidence(name, data) {
	fs.mkdirSync(EVIDENCE_DIR, { recursive: true });
	const file = path.join(EVIDENCE_DIR, `${name}.json`);
	fs.writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
	return file;
}

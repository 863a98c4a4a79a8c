// The example workflows users import (docs/workflows/*.json), read by the dev
// launcher, the e2e suites and the chaos run, and pointed at local stand-ins.
import fs from 'node:fs';
import path from 'node:path';

import { PACKAGE_ROOT } from './n8n.mjs';

export const TEMPLATES_DIR = path.join(PACKAGE_ROOT, 'docs', 'workflows');

export const TEMPLATES = Object.freeze({
	route: 'tartan-route-employee-events.json',
	nightly: 'tartan-nightly-reconciliation.json',
	push: 'tartan-push-employees.json',
	agent: 'tartan-ai-agent-tools.json',
});

/** The placeholder address of "your HR system" in the route template's write steps. */
export const HR_SYSTEM_URL = 'https://hr.example.com/api/employees';

export function readTemplate(file) {
	return JSON.parse(fs.readFileSync(path.join(TEMPLATES_DIR, file), 'utf8'));
}

/** A copy of a template whose HTTP Request steps that write to the placeholder HR system write to `url` instead. */
export function withHrSystemAt(workflow, url) {
	const nodes = workflow.nodes.map((node) =>
		node.type === 'n8n-nodes-base.httpRequest' && node.parameters?.url === HR_SYSTEM_URL
			? { ...node, parameters: { ...node.parameters, url } }
			: node,
	);
	return { ...workflow, nodes };
}

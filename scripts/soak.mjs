#!/usr/bin/env node
// npm run soak -- [--requests N] [--queue | --queue-shared] [--leak-check] [--out DIR] [--update-docs]
//                 [--concurrency C] [--interval SECONDS]
// Months of Tartan traffic in minutes, on loopback only: two n8n processes of
// the same version and settings, one with Tartan Trigger workflows and one
// with the same workflows on n8n's Webhook node, get the same requests at the
// same time (signed deliveries, wrongly signed and malformed ones, a churn of
// source addresses and of refusal-log keys, the odd 1.5 MB body), and their
// memory is sampled every few seconds after a forced GC. Figures: growth after
// warm-up and the second-half slope (MiB per 10,000 requests) of each, for RSS
// and heap, and the ratio Tartan ÷ Webhook node (goal <= 1.1). See docs/soak.md.
//   --queue        queue mode instead: the webhook processors of two stacks
//   --queue-shared queue mode, one stack with two webhook processors (shows
//                  n8n's own growth with the other processor's executions)
//   --leak-check   against a throwaway copy of the build that keeps every
//                  request body (must be caught: exit 0 when it is)
//   --out DIR      where <run>.json and <run>.svg go (default test-results/soak)
//   --update-docs  also write them to docs/soak/ and refresh docs/soak.md's table
// Needs `npm run build` first. Exit 1 on a gross leak, a trigger answer that
// does not fit its request, or a heap slope ratio over the goal.
import path from 'node:path';
import { parseArgs } from 'node:util';

import { PACKAGE_ROOT, packageBuildState } from './lib/n8n.mjs';
import { makeLeakyPackage } from './lib/soak/leaky-package.mjs';
import { summaryLines, updateDocsTable, writeRun } from './lib/soak/report.mjs';
import { MAX_REQUESTS, runSoak } from './lib/soak/run.mjs';

const DOCS_DIR = path.join(PACKAGE_ROOT, 'docs', 'soak');
const DOCS_PAGE = path.join(PACKAGE_ROOT, 'docs', 'soak.md');
const log = (line) => process.stderr.write(`[soak] ${line}\n`);

function options() {
	const { values } = parseArgs({
		options: {
			requests: { type: 'string', default: '6000' },
			queue: { type: 'boolean', default: false },
			'queue-shared': { type: 'boolean', default: false },
			'leak-check': { type: 'boolean', default: false },
			out: { type: 'string', default: path.join(PACKAGE_ROOT, 'test-results', 'soak') },
			'update-docs': { type: 'boolean', default: false },
			concurrency: { type: 'string', default: '8' },
			interval: { type: 'string', default: '3' },
		},
	});
	const requests = Number(values.requests);
	const concurrency = Number(values.concurrency);
	const intervalMs = Number(values.interval) * 1000;
	if (!Number.isInteger(requests) || requests < 100 || requests > MAX_REQUESTS || !(concurrency >= 1 && concurrency <= 32) || !(intervalMs >= 1000)) {
		log(`usage: npm run soak -- [--requests 100..${MAX_REQUESTS}] [--queue | --queue-shared] [--leak-check] [--out DIR] [--update-docs] [--concurrency 1..32] [--interval SECONDS >= 1]`);
		process.exit(2);
	}
	const modes = [values.queue && 'queue', values['queue-shared'] && 'queue-shared'].filter(Boolean);
	if (modes.length > 1 || (modes.length && values['leak-check'])) {
		log('one of --queue, --queue-shared and --leak-check (the leak check runs two single processes: the leaking copy is loaded with startN8n)');
		process.exit(2);
	}
	const mode = modes[0] ?? 'single';
	const name = values['leak-check'] ? 'leak-check' : mode;
	return { ...values, requests, concurrency, intervalMs, mode, name };
}

async function main() {
	const opts = options();
	const build = packageBuildState();
	if (!build.built) {
		log(build.reason);
		process.exit(2);
	}
	const leaky = opts.name === 'leak-check' ? makeLeakyPackage() : undefined;
	if (leaky) log(`leak check: a copy of the build whose Tartan Trigger keeps every body it reads, in ${leaky.root}`);
	let report;
	try {
		report = await runSoak({ requests: opts.requests, mode: opts.mode, packageRoot: leaky?.root, packageLabel: leaky?.label, concurrency: opts.concurrency, intervalMs: opts.intervalMs, log });
	} finally {
		leaky?.remove();
	}
	const written = writeRun(path.resolve(opts.out), opts.name, report);
	process.stdout.write(`\n${summaryLines(opts.name, report).join('\n')}\n  wrote ${path.relative(PACKAGE_ROOT, written.json)} and ${path.basename(written.svg)}\n`);
	if (opts['update-docs']) {
		writeRun(DOCS_DIR, opts.name, report);
		updateDocsTable(DOCS_PAGE, DOCS_DIR);
		process.stdout.write(`  updated docs/soak/${opts.name}.json, .svg and the table in docs/soak.md\n`);
	}
	const { figures, traffic } = report;
	if (leaky) {
		process.stdout.write(figures.grossLeak.leak ? '\nleak check: the leaking build was caught, as it must be.\n' : '\nleak check: the leaking build was NOT caught.\n');
		return figures.grossLeak.leak ? 0 : 1;
	}
	return figures.grossLeak.leak || traffic.unexpected.length > 0 || !figures.ratios.heap.met ? 1 : 0;
}

main().then(
	(code) => process.exit(code),
	(error) => {
		log(error.stack ?? String(error));
		process.exit(1);
	},
);

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { isPlainObject } from '../shared/values';
import {
	ACTIONS,
	DETECTORS,
	ENVELOPE_KEYS,
	KEEP_LAST,
	KEY_SPELLINGS,
	POLICY_MODES,
	PRESET_FIELDS,
	type ActionName,
	type FieldKind,
	type PolicyMode,
} from './personalDataTable';
import { findSensitive, maskValue, normalise, pseudonym } from './personalDataValues';

/** A policy input the trigger cannot apply: `field` names the parameter, the message never holds a value. */
export class PolicyProblem extends Error {
	constructor(
		readonly field: string,
		message: string,
	) {
		super(message);
		this.name = 'PolicyProblem';
	}
}

export interface RuleInput {
	path?: unknown;
	action?: unknown;
	keepLast?: unknown;
}

interface Rule {
	action: ActionName;
	keepLast: number;
}

export interface Policy {
	mode: PolicyMode;
	custom: Map<string, Rule>;
	preset: Map<string, Rule>;
	/** Canonical paths below which a rule (of the set) lets something through. */
	openCustom: Set<string>;
	openAll: Set<string>;
	detect: boolean;
	/** The action for a value a detector found, per kind. */
	detectAction: Map<FieldKind, Rule>;
	needsKey: boolean;
}

const SPELLING = new Map<string, string>();
const KIND = new Map<string, FieldKind>();
for (const { key, kind, aliases } of KEY_SPELLINGS) {
	for (const name of [key, ...aliases]) SPELLING.set(name, key);
	KIND.set(key, kind);
}

/** A key as compared: lower case, letters and digits only, Tartan's spelling for a known alias. */
export function canonicalKey(key: string): string {
	const plain = key.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
	return SPELLING.get(plain) ?? plain;
}

const SEGMENT = /^[\p{L}\p{N}_\- ]+$/u;

/** A rule path (`bankDetails.accountNumber`, `dependentDetails[].dob`) as canonical keys joined by dots. */
export function canonicalPath(path: string, field: string): string {
	const text = path.trim();
	if (text === '') throw new PolicyProblem(field, `${field} is empty: enter a field name such as aadhar or bankDetails.accountNumber`);
	const segments = text.split('.').map((segment) => segment.trim().replace(/\[\]$/, ''));
	for (const segment of segments) {
		if (segment === '' || !SEGMENT.test(segment) || canonicalKey(segment) === '') {
			throw new PolicyProblem(
				field,
				`${field} "${text}" is not a field path: use field names separated by dots (letters, digits, _ and -), such as bankDetails.accountNumber`,
			);
		}
	}
	return segments.map(canonicalKey).join('.');
}

const ACTION_VALUES = new Set<string>(ACTIONS.map((action) => action.value));
const MODE_VALUES = new Set<string>(POLICY_MODES.map((mode) => mode.value));

function ruleOf(input: RuleInput, field: string): Rule {
	if (typeof input.action !== 'string' || !ACTION_VALUES.has(input.action)) {
		throw new PolicyProblem(field, `${field}: Action must be one of ${ACTIONS.map((a) => a.name).join(', ')}`);
	}
	const action = input.action as ActionName;
	const keepLast = input.keepLast === undefined || input.keepLast === '' ? KEEP_LAST.default : Number(input.keepLast);
	if (action === 'mask' && (!Number.isInteger(keepLast) || keepLast < KEEP_LAST.min || keepLast > KEEP_LAST.max)) {
		throw new PolicyProblem(field, `${field}: Keep Last Characters must be a whole number from ${KEEP_LAST.min} to ${KEEP_LAST.max}`);
	}
	return { action, keepLast };
}

/** The paths below which something in `rules` is let through (so a dropped parent keeps those). */
function openPrefixes(rules: Map<string, Rule>): Set<string> {
	const open = new Set<string>();
	for (const [path, rule] of rules) {
		if (rule.action === 'drop') continue;
		const segments = path.split('.');
		for (let i = 1; i < segments.length; i++) open.add(segments.slice(0, i).join('.'));
	}
	return open;
}

function presetRules(): Map<string, Rule> {
	const preset = new Map<string, Rule>();
	for (const field of PRESET_FIELDS) {
		preset.set(canonicalPath(field.path, 'preset'), { action: field.action, keepLast: field.keepLast ?? KEEP_LAST.default });
	}
	return preset;
}

/** Parses the custom rules: each path once, each rule valid. Field names are 1-based as the editor shows them. */
function customRules(rules: RuleInput[]): Map<string, Rule> {
	const custom = new Map<string, Rule>();
	const first = new Map<string, number>();
	rules.forEach((input, index) => {
		const field = `Field Rules, rule ${index + 1}`;
		const path = canonicalPath(typeof input.path === 'string' ? input.path : '', `${field}: Field Path`);
		if (first.has(path)) {
			throw new PolicyProblem(field, `${field} names the same field as rule ${first.get(path)}: keep one of them`);
		}
		first.set(path, index + 1);
		custom.set(path, ruleOf(input, field));
	});
	return custom;
}

/**
 * Builds the policy from the node's parameters, or throws a PolicyProblem naming
 * the field. Custom rules override the preset for the same field; in Only
 * Listed Fields mode at least one rule must let a field through.
 */
export function buildPolicy(input: { mode: unknown; rules?: RuleInput[]; detect?: unknown }): Policy {
	if (typeof input.mode !== 'string' || !MODE_VALUES.has(input.mode)) {
		throw new PolicyProblem('Personal Data', `Personal Data must be one of ${POLICY_MODES.map((m) => m.name).join(', ')}`);
	}
	const mode = input.mode as PolicyMode;
	const custom = mode === 'off' ? new Map<string, Rule>() : customRules(input.rules ?? []);
	if (mode === 'allowList' && ![...custom.values()].some((rule) => rule.action !== 'drop')) {
		throw new PolicyProblem(
			'Field Rules',
			'Only Listed Fields needs at least one field rule that lets a field through (Keep, Mask or Pseudonymise)',
		);
	}
	const preset = presetRules();
	const all = new Map([...preset, ...custom]);
	const detectAction = new Map<FieldKind, Rule>();
	for (const { kind, field } of DETECTORS) {
		const rule = all.get(canonicalKey(field));
		detectAction.set(kind, !rule || rule.action === 'keep' ? { action: 'mask', keepLast: KEEP_LAST.default } : rule);
	}
	return {
		mode,
		custom,
		preset,
		openCustom: openPrefixes(custom),
		openAll: openPrefixes(all),
		detect: input.detect !== false,
		detectAction,
		needsKey: [...custom.values()].some((rule) => rule.action === 'pseudonymise'),
	};
}

/* ---------------------------------------------------------------- applying */

export interface Report {
	dropped: string[];
	masked: string[];
	pseudonymised: string[];
	detected: string[];
}

type Found = { [K in keyof Report]: Set<string> };

const DROPPED = Symbol('dropped');

/** What applies where the walk is: the action inherited from the nearest rule, and which rules count below. */
interface Ctx {
	action: ActionName | 'pass';
	keepLast: number;
	rules: 'custom' | 'all';
}

interface Walk {
	policy: Policy;
	key?: string;
	found: Found;
}

interface Where {
	canon: string;
	shown: string;
}

function kindOf(canon: string): FieldKind {
	return KIND.get(canon.slice(canon.lastIndexOf('.') + 1)) ?? 'text';
}

/**
 * The rule for a field and which rules count below it: the preset's again below
 * a preset rule or a custom Keep (a kept object is output under the usual
 * protection); only custom ones below another custom rule (its action is the
 * user's choice for everything inside).
 */
function ruleAt(canon: string, ctx: Ctx, policy: Policy): Ctx | undefined {
	const custom = policy.custom.get(canon);
	if (custom) return { ...custom, rules: custom.action === 'keep' ? 'all' : 'custom' };
	const preset = ctx.rules === 'all' ? policy.preset.get(canon) : undefined;
	return preset ? { ...preset, rules: 'all' } : undefined;
}

function transform(text: string, rule: Rule, kind: FieldKind, canon: string, walk: Walk): string {
	if (rule.action === 'mask') return maskValue(text, kind, rule.keepLast);
	if (walk.key === undefined) {
		// Fail closed: never let the value through when it cannot be pseudonymised.
		throw new PolicyProblem('Tartan Pseudonymisation Key', 'a rule pseudonymises but no Pseudonymisation Key is available');
	}
	const domain = kind === 'text' ? canon : kind;
	return pseudonym(walk.key, domain, normalise(text, kind));
}

/** A primitive no rule names: replaced where a detector finds an Aadhaar number, a PAN or a +91 mobile. */
function detect(value: unknown, where: Where, walk: Walk): unknown {
	if (!walk.policy.detect) return value;
	const text = typeof value === 'string' ? value : typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : undefined;
	if (text === undefined) return value;
	const findings = findSensitive(text);
	if (findings.length === 0) return value;
	walk.found.detected.add(where.shown);
	const rules = findings.map((finding) => walk.policy.detectAction.get(finding.kind)!);
	if (rules.some((rule) => rule.action === 'drop')) {
		walk.found.dropped.add(where.shown);
		return DROPPED;
	}
	let out = '';
	let at = 0;
	findings.forEach((finding, i) => {
		const kindField = DETECTORS.find((d) => d.kind === finding.kind)!.field;
		out += text.slice(at, finding.start) + transform(text.slice(finding.start, finding.end), rules[i], finding.kind, canonicalKey(kindField), walk);
		at = finding.end;
		walk.found[rules[i].action === 'mask' ? 'masked' : 'pseudonymised'].add(where.shown);
	});
	return out + text.slice(at);
}

function walkPrimitive(value: unknown, where: Where, ctx: Ctx, walk: Walk): unknown {
	switch (ctx.action) {
		case 'pass':
			return detect(value, where, walk);
		case 'keep':
			return value;
		case 'drop':
			walk.found.dropped.add(where.shown);
			return DROPPED;
		default:
			// Nothing to hide in an empty value
			if (value === null || value === undefined || value === '') return value;
			walk.found[ctx.action === 'mask' ? 'masked' : 'pseudonymised'].add(where.shown);
			return transform(String(value), { action: ctx.action, keepLast: ctx.keepLast }, kindOf(where.canon), where.canon, walk);
	}
}

function walkValue(value: unknown, where: Where, ctx: Ctx, walk: Walk): unknown {
	if (!Array.isArray(value) && !isPlainObject(value)) return walkPrimitive(value, where, ctx, walk);
	const open = ctx.rules === 'all' ? walk.policy.openAll : walk.policy.openCustom;
	if (ctx.action === 'drop' && !(where.canon === '' || open.has(where.canon))) {
		walk.found.dropped.add(where.shown);
		return DROPPED;
	}
	const inner: Ctx = ctx.action === 'keep' ? { ...ctx, action: 'pass' } : ctx;
	const out = Array.isArray(value)
		? value.map((element) => walkValue(element, where, inner, walk)).filter((element) => element !== DROPPED)
		: walkObject(value as IDataObject, where, inner, walk);
	// A dropped object of which nothing was let through goes as a whole
	if (ctx.action === 'drop' && where.canon !== '' && isPlainObject(out) && Object.keys(out).length === 0) return DROPPED;
	return out;
}

function walkObject(object: IDataObject, where: Where, ctx: Ctx, walk: Walk): IDataObject {
	const out: IDataObject = {};
	for (const [key, value] of Object.entries(object)) {
		const canon = where.canon === '' ? canonicalKey(key) : `${where.canon}.${canonicalKey(key)}`;
		const shown = where.shown === '' ? key : `${where.shown}.${key}`;
		const result = walkValue(value, { canon, shown }, ruleAt(canon, ctx, walk.policy) ?? ctx, walk);
		if (result !== DROPPED) out[key] = result as IDataObject[string];
	}
	return out;
}

function newFound(): Found {
	return { dropped: new Set(), masked: new Set(), pseudonymised: new Set(), detected: new Set() };
}

function reportOf(found: Found, prefix = ''): Report {
	const list = (set: Set<string>) => [...set].map((path) => prefix + path);
	return { dropped: list(found.dropped), masked: list(found.masked), pseudonymised: list(found.pseudonymised), detected: list(found.detected) };
}

export interface Protected {
	payload: IDataObject;
	/** One report per record of `body` (one for a body that is a single value), and one for other keys beside the envelope. */
	records: Report[];
	rest: Report;
}

/** One record (an element of body) under the policy: an object, or a bare value (`(record)` in the report). */
function protectRecord(record: unknown, policy: Policy, key: string | undefined): { value: unknown; report: Report } {
	const walk: Walk = { policy, key, found: newFound() };
	const ctx: Ctx = { action: policy.mode === 'allowList' ? 'drop' : 'pass', keepLast: KEEP_LAST.default, rules: policy.mode === 'allowList' ? 'custom' : 'all' };
	const value = isPlainObject(record)
		? walkObject(record, { canon: '', shown: '' }, ctx, walk)
		: walkValue(record, { canon: '(record)', shown: '(record)' }, ctx, walk);
	return { value, report: reportOf(walk.found) };
}

/**
 * Applies the policy to a verified payload: each record of `body`, and every
 * top-level key that is not part of Tartan's envelope, as a record. The
 * envelope is output as sent. Keys keep their order.
 */
export function protectPayload(payload: IDataObject, policy: Policy, key?: string): Protected {
	const { body, ...others } = payload;
	const extras = Object.fromEntries(Object.entries(others).filter(([name]) => !ENVELOPE_KEYS.includes(name)));
	const rest = protectRecord(extras, policy, key);
	const records: Report[] = [];
	const kept: unknown[] = [];
	// A bare value dropped in Only Listed Fields mode leaves body with its report
	for (const record of Array.isArray(body) ? body : body === undefined || body === null ? [] : [body]) {
		const result = protectRecord(record, policy, key);
		if (result.value === DROPPED) continue;
		kept.push(result.value);
		records.push(result.report);
	}
	const newBody: unknown = Array.isArray(body) ? kept : body === undefined || body === null ? body : (kept[0] ?? DROPPED);
	const out: IDataObject = {};
	for (const name of Object.keys(payload)) {
		if (name === 'body') {
			if (newBody !== DROPPED) out.body = newBody as IDataObject;
		} else if (ENVELOPE_KEYS.includes(name)) out[name] = payload[name];
		else if (name in (rest.value as IDataObject)) out[name] = (rest.value as IDataObject)[name];
	}
	return { payload: out, records, rest: rest.report };
}

function merge(reports: Report[]): Report {
	const all = newFound();
	for (const report of reports) {
		for (const list of Object.keys(all) as Array<keyof Report>) for (const path of report[list]) all[list].add(path);
	}
	return reportOf(all);
}

/** Field under which each output item says what the policy did (paths only, never values). */
export const REPORT_FIELD = 'personalData';

/**
 * Adds the report to each item toOutputItems made of the protected payload: per
 * record, that record's paths (and `webhook.<key>` for keys beside the
 * envelope); per webhook, every record's paths under `body.`.
 */
export function addReports(items: INodeExecutionData[], perRecord: boolean, result: Protected, mode: PolicyMode): void {
	const rest = merge([result.rest].map((r) => prefixed(r, perRecord ? 'webhook.' : '')));
	items.forEach((item, index) => {
		const own = perRecord ? (result.records[index] ? [result.records[index]] : []) : result.records.map((r) => prefixed(r, 'body.'));
		item.json[REPORT_FIELD] = { policy: mode, ...merge([...own, rest]) } as unknown as IDataObject;
	});
}

function prefixed(report: Report, prefix: string): Report {
	const add = (list: string[]) => list.map((path) => prefix + path);
	return { dropped: add(report.dropped), masked: add(report.masked), pseudonymised: add(report.pseudonymised), detected: add(report.detected) };
}

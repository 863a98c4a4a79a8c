'use strict';
/**
 * Request-body validation for the sandbox, driven by the committed OpenAPI YAML
 * (test/sandbox/openapi/*.yaml, extracted verbatim from Tartan's docs). Schemas
 * are never retyped here: they are read from the YAML and compiled with ajv +
 * ajv-formats. `#/components/schemas/...` references resolve because every
 * compiled schema carries the document's `components` object (registered with
 * ajv as an annotation keyword), so the seed's own $ref strings work unchanged.
 *
 * Resend body: the seed's requestBody is a `oneOf` with
 * `discriminator: { propertyName: search_type }` and no mapping. Neither a
 * literal validator nor ajv's discriminator support can use it as written:
 *
 *  - TimestampRangeWithStatus, TimestampRangeWithOrg and TimestampRangeWithStatusOrg
 *    are `allOf: [TimestampRange(+...), {own part}]`. TimestampRange pins
 *    `search_type` to enum [time_range] while the own part pins it to
 *    [time_range_status] etc. allOf requires both, so a literal validator
 *    rejects every such body (no value is in both enums).
 *  - ajv's `discriminator: true` refuses to compile the schema ("oneOf
 *    subschemas must have properties/search_type": the allOf ones have none at
 *    top level; also `search_type` is required by no schema).
 *
 * Resolution (documented in test/sandbox/README.md):
 *  1. For each `oneOf` entry S, build S's *effective* schema by merging its
 *     allOf parts recursively: properties and required are unioned; the
 *     discriminator property (`search_type`) is taken from S's own, most
 *     specific part (the inline part of S's allOf, which wins over anything
 *     inherited through $ref). A non-discriminator property defined by two
 *     parts keeps both definitions (allOf of the two), as allOf means.
 *  2. The mapping search_type value -> S is built from each effective schema's
 *     `search_type` enum. The body's `search_type` selects S (missing or
 *     unknown -> 400), then the body is validated against S's effective schema.
 *
 * Deliberately stricter than the seed (STRICTER_THAN_SEED below, also in the README):
 *  - additionalProperties: false on every effective resend schema, so a client
 *    must send exactly the fields its search_type defines.
 *  - `search_type` is required (the discriminator cannot select a schema without it).
 *  - `webhook_counter` must be a non-empty array (the seed has no minItems; an empty
 *    counter list selects nothing, so a client sending one has a bug).
 *
 * Sync callback: application/json bodies are validated against the schema of
 * `content['application/json']` (EmployeeData); multipart text fields against
 * `content['multipart/form-data']` (EmployeeFormData). Both are open objects,
 * so unknown fields pass, exactly as the seed says.
 */
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');
const Ajv = require('ajv');
const addFormats = require('ajv-formats');

const OPENAPI_DIR = path.join(__dirname, 'openapi');
const RESEND_FILE = path.join(OPENAPI_DIR, 'resend.yaml');
const CALLBACK_FILE = path.join(OPENAPI_DIR, 'sync-callback.yaml');
const RESEND_PATH = '/api/webhooks/resend';
const CALLBACK_PATH = '/api/external/sync/callback';

const STRICTER_THAN_SEED = Object.freeze({
	resendAdditionalProperties: false,
	resendSearchTypeRequired: true,
	nonEmptyArrays: Object.freeze(['webhook_counter']),
});

const COMPONENT_REF = /^#\/components\/schemas\/([^/]+)$/;

function readOpenApi(file) {
	const doc = YAML.parse(fs.readFileSync(file, 'utf8'));
	if (!doc || typeof doc !== 'object' || !doc.paths || !doc.components || !doc.components.schemas) {
		throw new Error(`${file} does not look like an OpenAPI document with components.schemas`);
	}
	return doc;
}

function requestContent(doc, apiPath, file) {
	const op = doc.paths[apiPath] && doc.paths[apiPath].post;
	const content = op && op.requestBody && op.requestBody.content;
	if (!content) throw new Error(`${file}: no POST ${apiPath} requestBody content`);
	return { op, content };
}

function newAjv() {
	// allErrors: report every problem in one 400 message.
	// strict: unknown keywords would throw; `components` is declared as an
	// annotation keyword so the document's schemas can ride along for $ref.
	const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
	addFormats(ajv);
	ajv.addKeyword({ keyword: 'components' });
	return ajv;
}

function resolveRef(doc, ref) {
	const m = COMPONENT_REF.exec(ref);
	const schema = m && doc.components.schemas[m[1]];
	if (!schema) throw new Error(`unresolvable $ref ${ref}`);
	return { name: m[1], schema };
}

/**
 * Flattens an object schema (following $ref and allOf) into
 * { properties, required: Set, discriminator: schema|undefined }.
 * `own` parts (inline, not via $ref) win for the discriminator property.
 */
function flatten(doc, schema, tag, seen = new Set()) {
	if (schema.$ref) {
		if (seen.has(schema.$ref)) throw new Error(`circular $ref ${schema.$ref}`);
		const next = new Set(seen).add(schema.$ref);
		return flatten(doc, resolveRef(doc, schema.$ref).schema, tag, next);
	}
	const out = { properties: {}, required: new Set(), discriminator: undefined };
	const mergeProps = (props) => {
		for (const [name, propSchema] of Object.entries(props)) {
			if (name === tag) continue;
			out.properties[name] =
				name in out.properties ? { allOf: [out.properties[name], propSchema] } : propSchema;
		}
	};
	if (Array.isArray(schema.allOf)) {
		const inherited = schema.allOf.filter((p) => p.$ref);
		const own = schema.allOf.filter((p) => !p.$ref);
		for (const part of [...inherited, ...own]) {
			const flat = flatten(doc, part, tag, seen);
			mergeProps(flat.properties);
			flat.required.forEach((r) => out.required.add(r));
			// Later (own) parts overwrite earlier (inherited) ones: most specific wins.
			if (flat.discriminator) out.discriminator = flat.discriminator;
		}
	}
	if (schema.properties) {
		mergeProps(schema.properties);
		if (schema.properties[tag]) out.discriminator = schema.properties[tag];
	}
	(schema.required || []).forEach((r) => out.required.add(r));
	return out;
}

function applyStricterRules(properties) {
	const result = { ...properties };
	for (const name of STRICTER_THAN_SEED.nonEmptyArrays) {
		if (result[name]) result[name] = { allOf: [result[name], { type: 'array', minItems: 1 }] };
	}
	return result;
}

/** Turns ajv errors into one message naming each offending field. */
function formatErrors(errors) {
	const messages = (errors || []).map((e) => {
		const where = `body${e.instancePath}`;
		switch (e.keyword) {
			case 'additionalProperties':
				return `${where} must NOT have additional property '${e.params.additionalProperty}'`;
			case 'enum':
				return `${where} ${e.message}: ${e.params.allowedValues.join(', ')}`;
			default:
				return `${where} ${e.message}`;
		}
	});
	return [...new Set(messages)].join('; ');
}

function buildResend(file = RESEND_FILE) {
	const doc = readOpenApi(file);
	const { op, content } = requestContent(doc, RESEND_PATH, file);
	const root = content['application/json'] && content['application/json'].schema;
	if (!root || !Array.isArray(root.oneOf) || !root.discriminator) {
		throw new Error(`${file}: expected a oneOf with a discriminator`);
	}
	const tag = root.discriminator.propertyName;
	const ajv = newAjv();
	const bySearchType = new Map();
	const effectiveSchemas = {};
	for (const entry of root.oneOf) {
		const { name } = resolveRef(doc, entry.$ref);
		const flat = flatten(doc, entry, tag);
		const values = flat.discriminator && flat.discriminator.enum;
		if (!Array.isArray(values) || values.length === 0) {
			throw new Error(`${file}: ${name} has no ${tag} enum`);
		}
		const required = [...flat.required];
		if (STRICTER_THAN_SEED.resendSearchTypeRequired && !required.includes(tag)) required.push(tag);
		const effective = {
			type: 'object',
			properties: { ...applyStricterRules(flat.properties), [tag]: flat.discriminator },
			required,
			additionalProperties: STRICTER_THAN_SEED.resendAdditionalProperties,
		};
		effectiveSchemas[name] = effective;
		const validate = ajv.compile({ ...effective, components: doc.components });
		for (const value of values) {
			if (bySearchType.has(value)) {
				throw new Error(`${file}: ${tag}=${value} maps to both ${bySearchType.get(value).schemaName} and ${name}`);
			}
			bySearchType.set(value, { schemaName: name, validate });
		}
	}
	const ok200 = op.responses && op.responses['200'];
	const example200 = ok200 && ok200.content && ok200.content['application/json'].schema.properties.message.example;
	return {
		doc,
		tag,
		searchTypes: [...bySearchType.keys()],
		effectiveSchemas,
		schemaFor(searchType) {
			const hit = bySearchType.get(searchType);
			return hit ? hit.schemaName : null;
		},
		successMessage: example200,
		/** @returns {{ ok: true, schemaName: string } | { ok: false, message: string }} */
		validate(body) {
			if (body === null || typeof body !== 'object' || Array.isArray(body)) {
				return { ok: false, message: 'body must be object' };
			}
			if (!(tag in body)) {
				return { ok: false, message: `body must have required property '${tag}'` };
			}
			const hit = typeof body[tag] === 'string' ? bySearchType.get(body[tag]) : undefined;
			if (!hit) {
				return { ok: false, message: `body/${tag} must be one of: ${[...bySearchType.keys()].join(', ')}` };
			}
			if (hit.validate(body)) return { ok: true, schemaName: hit.schemaName };
			return { ok: false, message: formatErrors(hit.validate.errors) };
		},
	};
}

function buildCallback(file = CALLBACK_FILE) {
	const doc = readOpenApi(file);
	const { content } = requestContent(doc, CALLBACK_PATH, file);
	const ajv = newAjv();
	const compile = (mediaType) => {
		const schema = content[mediaType] && content[mediaType].schema;
		if (!schema) throw new Error(`${file}: no ${mediaType} schema`);
		const validate = ajv.compile({ allOf: [schema], components: doc.components });
		return (body) => (validate(body) ? { ok: true } : { ok: false, message: formatErrors(validate.errors) });
	};
	return {
		doc,
		mediaTypes: Object.keys(content),
		validateJson: compile('application/json'),
		validateForm: compile('multipart/form-data'),
	};
}

let cached = null;
/** Parses and compiles both YAML files once per process. */
function loadSpec() {
	if (!cached) cached = { resend: buildResend(), callback: buildCallback() };
	return cached;
}

module.exports = {
	loadSpec,
	buildResend,
	buildCallback,
	formatErrors,
	STRICTER_THAN_SEED,
	RESEND_PATH,
	CALLBACK_PATH,
	OPENAPI_DIR,
};

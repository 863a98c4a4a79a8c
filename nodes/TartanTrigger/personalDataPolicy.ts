import {
	NodeOperationError,
	type ICredentialTestFunctions,
	type ICredentialsDecrypted,
	type IDataObject,
	type IHookFunctions,
	type INodeCredentialTestResult,
	type INodeExecutionData,
	type IWebhookFunctions,
} from 'n8n-workflow';

import { PolicyProblem, addReports, buildPolicy, protectPayload, type Policy, type RuleInput } from './personalData';
import { DEFAULT_MODE } from './personalDataTable';
import { pseudonymKeyProblem } from './personalDataValues';
import { toOutputItems, type OutputMode } from './webhookPayload';

export const PSEUDONYM_CREDENTIAL = 'tartanPseudonymKeyApi';

export interface Protection {
	policy: Policy;
	key?: string;
}

type Context = IWebhookFunctions | IHookFunctions;

function fail(context: Context, message: string): never {
	throw new NodeOperationError(context.getNode(), `Personal Data: ${message}`, {
		description: 'No employee record leaves the Tartan Trigger until its Personal Data settings are fixed.',
	});
}

/**
 * The trigger's policy and, when a rule pseudonymises, its key. Throws a
 * NodeOperationError naming the field at activation and, failing closed, on a
 * delivery (n8n answers 500, so Tartan re-sends once it is fixed). The key is
 * read on each call, never cached.
 */
export async function loadProtection(context: Context): Promise<Protection> {
	let policy: Policy;
	try {
		const fieldRules = context.getNodeParameter('fieldRules', {}) as { rules?: RuleInput[] } | undefined;
		policy = buildPolicy({
			mode: context.getNodeParameter('personalData', DEFAULT_MODE) ?? DEFAULT_MODE,
			rules: fieldRules?.rules ?? [],
			detect: context.getNodeParameter('detectValues', true),
		});
	} catch (error) {
		fail(context, error instanceof PolicyProblem ? error.message : 'its settings could not be read');
	}
	if (!policy.needsKey || policy.mode === 'off') return { policy };
	let secret: unknown;
	try {
		secret = (await context.getCredentials(PSEUDONYM_CREDENTIAL)).secret;
	} catch {
		fail(context, 'a field rule pseudonymises, so select a Tartan Pseudonymisation Key credential on the node');
	}
	const problem = pseudonymKeyProblem(secret);
	if (problem) fail(context, `Tartan Pseudonymisation Key: ${problem}`);
	return { policy, key: secret as string };
}

/** toOutputItems of the payload after the policy, each item with its `personalData` report. */
export function protectedOutputItems(
	payload: IDataObject,
	output: OutputMode,
	deliveryKey: string,
	extra: IDataObject,
	{ policy, key }: Protection,
): INodeExecutionData[] {
	if (policy.mode === 'off') return toOutputItems(payload, output, deliveryKey, extra);
	const result = protectPayload(payload, policy, key);
	const items = toOutputItems(result.payload, output, deliveryKey, extra);
	addReports(items, output === 'perRecord', result, policy.mode);
	return items;
}

/** The credential test of the Tartan Pseudonymisation Key: local, never echoes the key. */
export async function pseudonymKeyTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const problem = pseudonymKeyProblem(credential.data?.secret);
	if (problem) return { status: 'Error', message: problem[0].toUpperCase() + problem.slice(1) };
	return { status: 'OK', message: 'The key is usable. Tokens depend on it: changing it changes every token.' };
}

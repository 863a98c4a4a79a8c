/**
 * Runs a credential type's declarative `test` (ICredentialType.test) the way n8n's
 * "Test credential" button does (cli `CredentialsTester.testCredentials`): defaults applied to the
 * data, a temporary node whose one property routes `test.request`, n8n-core's real `RoutingNode`
 * on a real `ExecuteContext`, the credential's `authenticate` applied, and `test.rules`
 * (responseCode / responseSuccessBody) evaluated. The request really goes out over HTTP.
 */
import { ExecuteContext, RoutingNode } from 'n8n-core';
import { NodeHelpers, UnexpectedError, Workflow, createRunExecutionData } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	ICredentialsDecrypted,
	IDataObject,
	IExecuteData,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	INodeTypes,
} from 'n8n-workflow';

import { HarnessCredentialsHelper } from './harnessCredentialsHelper';
import { setupN8nCoreContainer } from './n8nCoreContainer';
import { createAdditionalData } from './runNode';

export interface TestCredentialOptions {
	/** The credential type under test (must have a `test` request). */
	credentialType: ICredentialType;
	/** Other credential classes it `extends`, if any. */
	credentialTypes?: ICredentialType[];
	/** The (decrypted) data the user entered. */
	data: ICredentialDataDecryptedObject;
}

export interface TestCredentialResult extends INodeCredentialTestResult {
	/** The items RoutingNode produced from the test response, when the request succeeded. */
	response?: INodeExecutionData[][];
	/** The error the test request failed with, if it did. */
	error?: Error;
}

function getPath(data: unknown, path: string): unknown {
	return path
		.split('.')
		.reduce<unknown>(
			(value, key) => (value === null || value === undefined ? undefined : (value as IDataObject)[key]),
			data,
		);
}

export async function testCredential(options: TestCredentialOptions): Promise<TestCredentialResult> {
	setupN8nCoreContainer();
	const { credentialType, data } = options;
	const testRequest = credentialType.test;
	if (testRequest === undefined) {
		return { status: 'Error', message: 'No testing function found for this credential.' };
	}

	const credentialsHelper = new HarnessCredentialsHelper(
		[credentialType, ...(options.credentialTypes ?? [])],
		{ [credentialType.name]: data },
	);
	const additionalData = createAdditionalData({ credentialsHelper });

	const credentialsDecrypted: ICredentialsDecrypted = {
		id: `harness-${credentialType.name}`,
		name: credentialType.name,
		type: credentialType.name,
		data: credentialsHelper.applyDefaultsAndOverwrites(
			additionalData,
			data,
			credentialType.name,
			'internal',
		),
	};

	// What n8n builds around its NoOp node for the test request.
	const nodeType: INodeType = {
		description: {
			displayName: 'No Operation, do nothing',
			name: 'noOp',
			group: ['organization'],
			version: 1,
			description: 'Credential test',
			defaults: { name: 'No Operation, do nothing' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: credentialType.name, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: testRequest.request },
					default: '',
				},
			],
		},
	};
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: (_name, version) => NodeHelpers.getVersionedNodeType(nodeType, version),
		getKnownTypes: () => ({}),
	};
	const node: INode = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: nodeType.description.name,
		typeVersion: 1,
		position: [0, 0],
		credentials: {
			[credentialType.name]: { id: credentialsDecrypted.id, name: credentialsDecrypted.name },
		},
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const executeData: IExecuteData = { node, data: {}, source: null };
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		executeData,
		[],
	);
	const routingNode = new RoutingNode(context, nodeType, credentialsDecrypted);

	let response: INodeExecutionData[][] | undefined;
	try {
		response = await routingNode.runNode();
	} catch (caught) {
		const error = caught as Error & {
			httpCode?: string | null;
			cause?: { response?: { status: number; statusText?: string }; code?: string };
		};
		// n8n's CredentialsTester reads `error.cause.response`. With n8n-workflow 2.8 the
		// NodeApiError that httpRequestWithAuthentication throws has `cause` undefined (its class
		// field shadows Error's cause) but carries the status as `httpCode`, so fall back to that.
		const statusCode =
			error.cause?.response?.status ??
			(error.httpCode !== undefined && error.httpCode !== null ? Number(error.httpCode) : undefined);
		if (statusCode !== undefined && !Number.isNaN(statusCode)) {
			for (const rule of testRequest.rules ?? []) {
				if (rule.type === 'responseCode' && statusCode === rule.properties.value) {
					return { status: 'Error', message: rule.properties.message, error };
				}
			}
			if (error.cause?.response && (statusCode < 199 || statusCode > 299)) {
				return {
					status: 'Error',
					message: error.cause.response.statusText || `Received HTTP status code: ${statusCode}`,
					error,
				};
			}
		} else if (error.cause?.code) {
			return { status: 'Error', message: error.cause.code, error };
		}
		return { status: 'Error', message: String(error.message), error };
	}

	for (const rule of testRequest.rules ?? []) {
		if (rule.type === 'responseSuccessBody') {
			const responseData = response?.[0]?.[0]?.json;
			if (getPath(responseData, rule.properties.key) === rule.properties.value) {
				return { status: 'Error', message: rule.properties.message, response };
			}
		}
	}
	if (response === undefined) throw new UnexpectedError('RoutingNode returned no data');
	return { status: 'OK', message: 'Connection successful!', response };
}

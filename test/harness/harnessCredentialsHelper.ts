import { Credentials, getAdditionalKeys } from 'n8n-core';
import {
	ICredentialsHelper,
	NodeHelpers,
	UnexpectedError,
	Workflow,
	deepCopy,
	isExpression,
	toResult,
} from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	ICredentialsExpressionResolveValues,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	IRequestOptionsSimplified,
	IWorkflowDataProxyAdditionalKeys,
	INodeType,
	INodeTypes,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';

/** The placeholder node/workflow n8n resolves credential expressions against outside a node run. */
const MOCK_NODE: INode = {
	id: 'mock',
	name: '',
	typeVersion: 1,
	type: 'mock',
	position: [0, 0],
	parameters: {},
};
const MOCK_NODE_TYPES: INodeTypes = {
	getByName: () => ({ description: { properties: [] } }) as unknown as INodeType,
	getByNameAndVersion: () => ({ description: { properties: [] } }) as unknown as INodeType,
	getKnownTypes: () => ({}),
};

/**
 * An in-memory stand-in for n8n's cli `CredentialsHelper` (packages/cli/src/credentials-helper.ts):
 * the decrypted data comes from a map keyed by credential type name instead of the database,
 * but the parts that decide what a node actually sends are done the way n8n does them:
 *
 *  - `getDecrypted`: credential property defaults are applied with `NodeHelpers.getNodeParameters`
 *    and `={{ }}` expressions in the stored values are resolved with the workflow's expression
 *    engine (as `applyDefaultsAndOverwrites` does);
 *  - `authenticate`: an `authenticate` function is called; a generic `authenticate` object has each
 *    key and value of `properties.{headers,qs,body,auth}` resolved with
 *    `workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials })`
 *    and written onto the request options;
 *  - `preAuthentication`: runs the credential's `preAuthentication` when its expirable hidden
 *    property is empty or the token expired (401), and keeps the result (as n8n saves it);
 *  - `getParentTypes` / `getCredentialsProperties` follow `extends`.
 */
export class HarnessCredentialsHelper extends ICredentialsHelper {
	private readonly credentialTypes = new Map<string, ICredentialType>();

	private readonly credentialsData = new Map<string, ICredentialDataDecryptedObject>();

	/** Every `getDecrypted` call (n8n reads and decrypts the stored credential each time): its type. */
	readonly decryptions: string[] = [];

	/** Every `authenticate` call: the credential type and the request options after authentication. */
	readonly authenticatedRequests: Array<{ type: string; requestOptions: IHttpRequestOptions }> = [];

	constructor(
		credentialTypes: ICredentialType[],
		credentials: Record<string, ICredentialDataDecryptedObject> = {},
	) {
		super();
		for (const credentialType of credentialTypes) {
			this.credentialTypes.set(credentialType.name, credentialType);
		}
		for (const [type, data] of Object.entries(credentials)) {
			this.credentialsData.set(type, deepCopy(data));
		}
	}

	getCredentialType(type: string): ICredentialType {
		const credentialType = this.credentialTypes.get(type);
		if (credentialType === undefined) {
			throw new UnexpectedError(
				`Unknown credential type "${type}": pass its class in runNode({ credentialTypes })`,
			);
		}
		return credentialType;
	}

	/** The stored (raw, undecorated) data for a credential type, including preAuthentication updates. */
	getStoredData(type: string): ICredentialDataDecryptedObject | undefined {
		return this.credentialsData.get(type);
	}

	getParentTypes(name: string): string[] {
		const credentialType = this.credentialTypes.get(name);
		if (credentialType?.extends === undefined) return [];
		const types: string[] = [];
		for (const parent of credentialType.extends) {
			types.push(parent, ...this.getParentTypes(parent));
		}
		return types;
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialType = this.getCredentialType(type);
		if (credentialType.extends === undefined) return credentialType.properties;
		const combined: INodeProperties[] = [];
		for (const parent of credentialType.extends) {
			if (!this.credentialTypes.has(parent)) continue; // n8n built-ins are not loaded here
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, credentialType.properties);
		return combined;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incomingRequestOptions as IHttpRequestOptions;
		const credentialType = this.getCredentialType(typeName);
		const { authenticate } = credentialType;
		let result = requestOptions;

		if (typeof authenticate === 'function') {
			result = await authenticate(credentials, requestOptions);
		} else if (typeof authenticate === 'object') {
			if (requestOptions.headers === undefined) requestOptions.headers = {};
			if (authenticate.type === 'generic') {
				const target = requestOptions as unknown as Record<string, Record<string, unknown>>;
				for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
					for (const [key, value] of Object.entries(outerValue as Record<string, unknown>)) {
						const keyResolved = this.resolveValue(key, { $credentials: credentials }, workflow, node);
						const valueResolved = this.resolveValue(
							value as string,
							{ $credentials: credentials },
							workflow,
							node,
						);
						if (!target[outerKey]) target[outerKey] = {};
						target[outerKey][keyResolved] = valueResolved;
					}
				}
			}
		}

		this.authenticatedRequests.push({ type: typeName, requestOptions: result });
		return result;
	}

	/** As n8n's CredentialsHelper.resolveValue: non-expressions as they are, falsy results as ''. */
	private resolveValue(
		parameterValue: string,
		additionalKeys: IWorkflowDataProxyAdditionalKeys,
		workflow: Workflow,
		node: INode,
	): string {
		if (!isExpression(parameterValue)) return parameterValue;
		const returnValue = workflow.expression.getSimpleParameterValue(
			node,
			parameterValue,
			'internal',
			additionalKeys,
			undefined,
			'',
		);
		if (!returnValue) return '';
		return returnValue.toString();
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		_node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.getCredentialType(typeName);
		const expirableProperty = credentialType.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (expirableProperty?.name === undefined) return undefined;
		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		if (credentials[expirableProperty.name] !== '' && !credentialsExpired) return undefined;

		const output = await credentialType.preAuthentication.call(helpers, credentials);
		if (output[expirableProperty.name] === undefined) return undefined;

		// n8n writes the refreshed data back to the stored credential
		this.credentialsData.set(typeName, {
			...(this.credentialsData.get(typeName) ?? {}),
			...(output as ICredentialDataDecryptedObject),
		});
		return Object.assign(credentials, output as ICredentialDataDecryptedObject);
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<Credentials> {
		const credentials = new Credentials(
			{ id: nodeCredentials.id, name: nodeCredentials.name },
			type,
		);
		credentials.setData(this.credentialsData.get(type) ?? {});
		return credentials;
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		this.decryptions.push(type);
		const stored = this.credentialsData.get(type);
		if (stored === undefined) {
			throw new UnexpectedError(
				`No credentials of type "${type}" were given: pass runNode({ credentials: { ${type}: {...} } })`,
			);
		}
		const original = deepCopy(stored);
		if (raw === true) return original;
		return this.applyDefaultsAndOverwrites(
			additionalData,
			original,
			type,
			mode,
			executeData,
			expressionResolveValues,
		);
	}

	/**
	 * As n8n's CredentialsHelper.applyDefaultsAndOverwrites (minus admin overwrites): fill in the
	 * credential properties' defaults, then resolve `={{ }}` expressions in the values, with the
	 * executing node's context when there is one, else against an empty one-node workflow.
	 */
	applyDefaultsAndOverwrites(
		additionalData: IWorkflowExecuteAdditionalData,
		decryptedDataOriginal: ICredentialDataDecryptedObject,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): ICredentialDataDecryptedObject {
		let decryptedData = NodeHelpers.getNodeParameters(
			this.getCredentialsProperties(type),
			decryptedDataOriginal as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		if (decryptedDataOriginal.oauthTokenData !== undefined) {
			decryptedData.oauthTokenData = decryptedDataOriginal.oauthTokenData;
		}

		const additionalKeys = getAdditionalKeys(additionalData, mode, null);
		if (expressionResolveValues) {
			const resolved = toResult(() =>
				expressionResolveValues.workflow.expression.getParameterValue(
					decryptedData as INodeParameters,
					expressionResolveValues.runExecutionData,
					expressionResolveValues.runIndex,
					expressionResolveValues.itemIndex,
					expressionResolveValues.node.name,
					expressionResolveValues.connectionInputData,
					mode,
					additionalKeys,
					executeData,
					false,
					decryptedData,
				),
			);
			if (!resolved.ok) {
				// as n8n does
				resolved.error.message += ' [Error resolving credentials]';
				throw resolved.error;
			}
			decryptedData = resolved.result as ICredentialDataDecryptedObject;
		} else {
			const workflow = new Workflow({
				nodes: [MOCK_NODE],
				connections: {},
				active: false,
				nodeTypes: MOCK_NODE_TYPES,
			});
			decryptedData = workflow.expression.getComplexParameterValue(
				MOCK_NODE,
				decryptedData as INodeParameters,
				mode,
				additionalKeys,
				undefined,
				undefined,
				decryptedData,
			) as ICredentialDataDecryptedObject;
		}
		return decryptedData;
	}

	async updateCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.credentialsData.set(type, deepCopy(data));
	}

	async updateCredentialsOauthTokenData(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.credentialsData.set(type, {
			...(this.credentialsData.get(type) ?? {}),
			oauthTokenData: data.oauthTokenData,
		});
	}
}

/**
 * In-process harness: runs ONE node through n8n-core's real `WorkflowExecute`, i.e. with the real
 * `ExecuteContext`, real request helpers (`this.helpers.httpRequest*` send real HTTP), real binary
 * helpers, real paired-item handling, real continueOnFail/onError handling and error wrapping,
 * and credentials authenticated the way n8n applies a credential type's `authenticate`.
 *
 * The workflow it runs has two nodes, like n8n's own `packages/core/nodes-testing` harness
 * (which starts from a trigger with `trigger.input`):
 *
 *     "Input" (emits `items`)  ──main──▶  "<node under test>"
 *
 * Setup mirrors nodes-testing's `NodeTestHarness.executeWorkflow`: ExecutionLifecycleHooks +
 * additionalData carrying our credentials helper + a nodeExecutionStack that starts at the
 * input node, then `new WorkflowExecute(additionalData, mode, runExecutionData)
 * .processRunExecutionData(workflow)`. Unlike nodes-testing, additionalData is built explicitly
 * (no jest-mock-extended proxies) and there is no `nock`: requests really leave the process.
 */
import { randomUUID } from 'crypto';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	BINARY_ENCODING,
	NodeConnectionTypes,
	NodeHelpers,
	UnexpectedError,
	Workflow,
	createRunExecutionData,
	deepCopy,
} from 'n8n-workflow';
import type {
	ExecutionBaseError,
	IBinaryData,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IRun,
	ITaskData,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { HarnessCredentialsHelper } from './harnessCredentialsHelper';
import { rehydrateError } from './rehydrateError';
import { setupN8nCoreContainer } from './n8nCoreContainer';

export { HarnessCredentialsHelper } from './harnessCredentialsHelper';

export const INPUT_NODE_NAME = 'Input';
export const INPUT_NODE_TYPE = 'n8n-nodes-harness.input';
export const DEFAULT_NODE_NAME = 'Node Under Test';

export interface RunNodeOptions {
	/** The node under test, e.g. `new TartanResend()` (versioned node types work too). */
	nodeType: INodeType | IVersionedNodeType;
	/** Credential classes the node (or its credentials' `extends`) uses, e.g. `[new TartanApi()]`. */
	credentialTypes?: ICredentialType[];
	/**
	 * Decrypted credential data by credential type name. The node gets a credential reference
	 * (`node.credentials[type]`) for exactly these types, as if a user had selected one.
	 */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Node parameters (defaults from the node description are filled in, as in n8n). */
	parameters: INodeParameters;
	/** Defaults to a versioned node's `defaultVersion`, else the highest `description.version`. */
	typeVersion?: number;
	/** Items the input node emits (default: one item `{ json: {} }`). May carry `binary`. */
	items?: INodeExecutionData[];
	/** Node setting `onError: 'continueRegularOutput'` (what `this.continueOnFail()` reads). */
	continueOnFail?: boolean;
	/** Further node settings/fields (`onError`, `alwaysOutputData`, `executeOnce`, `retryOnFail`...). */
	node?: Partial<Omit<INode, 'parameters' | 'type' | 'typeVersion' | 'credentials'>>;
	/** Node name in the workflow (default 'Node Under Test'). */
	nodeName?: string;
	/** Node type name prefix (package name); default 'n8n-nodes-tartan'. */
	packageName?: string;
	/** Execution mode (default 'manual', as when a user clicks "Execute workflow"). */
	mode?: WorkflowExecuteMode;
	/** Workflow settings (default `{ executionOrder: 'v1' }`). */
	workflowSettings?: IWorkflowSettings;
	/** `$vars` for expressions. */
	variables?: IDataObject;
}

export interface RunNodeResult {
	/** Items on the node under test's first output (empty if it produced none). */
	items: INodeExecutionData[];
	/** All of the node's outputs (index 0 = `items`). */
	outputs: INodeExecutionData[][];
	/**
	 * The error the node under test threw (the real NodeApiError/NodeOperationError instance when
	 * the node's execute() threw it; otherwise n8n's recorded copy with its class prototype restored).
	 * Set whenever the node's task errored, including when `onError` let the run continue.
	 */
	error?: ExecutionBaseError;
	/** 'success' or 'error' for the whole run, as n8n reports it. */
	status: IRun['status'];
	/** The node's task data (runData[nodeName][0]), if it ran. */
	taskData?: ITaskData;
	/** The complete run, for anything else (hints, metadata, executionTime...). */
	run: IRun;
	/** The credentials helper used (its `authenticatedRequests` lists every authenticated request). */
	credentialsHelper: HarnessCredentialsHelper;
}

/** Emits its input items unchanged: the start of the 2-node workflow. */
class HarnessInput implements INodeType {
	description = {
		displayName: 'Harness Input',
		name: 'input',
		group: ['input'],
		version: 1,
		description: 'Emits the items given to runNode()',
		defaults: { name: INPUT_NODE_NAME },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	} as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

function isVersioned(nodeType: INodeType | IVersionedNodeType): nodeType is IVersionedNodeType {
	return 'nodeVersions' in nodeType;
}

function latestVersion(nodeType: INodeType | IVersionedNodeType): number {
	if (isVersioned(nodeType)) return nodeType.currentVersion;
	const { version } = nodeType.description;
	return Array.isArray(version) ? Math.max(...version) : version;
}

/**
 * Wraps a node type so the error its execute() throws is kept as the original instance (n8n
 * records `{ ...error }`, a plain object). `Object.create` keeps the prototype chain, so n8n's
 * `nodeType instanceof Node` check and everything else still see the real node type.
 */
function captureErrors(nodeType: INodeType, thrown: unknown[]): INodeType {
	const execute = nodeType.execute as ((...args: unknown[]) => Promise<unknown>) | undefined;
	if (execute === undefined) return nodeType;
	const wrapped = Object.create(nodeType) as INodeType;
	wrapped.execute = async function (this: unknown, ...args: unknown[]) {
		const self = this === wrapped ? nodeType : this;
		// the rejection (or synchronous throw) reaches n8n unchanged; we only keep a reference
		const result = new Promise((resolve) => resolve(execute.apply(self, args)));
		result.catch((error: unknown) => thrown.push(error));
		return await result;
	} as INodeType['execute'];
	return wrapped;
}

class HarnessNodeTypes implements INodeTypes {
	constructor(
		private readonly types: Record<string, INodeType | IVersionedNodeType>,
		private readonly thrown: unknown[],
	) {}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const type = this.types[nodeType];
		if (type === undefined) throw new UnexpectedError(`Unknown node type "${nodeType}"`);
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return captureErrors(
			NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version),
			this.thrown,
		);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

/**
 * An input item carrying binary data the way n8n-core keeps it without a binary-data store
 * (inline base64, like n8n's nodes-testing InlineBinaryDataService), so the node's
 * `getBinaryDataBuffer` / `getBinaryStream` / `assertBinaryData` work on it.
 */
export function binaryItem(
	json: IDataObject,
	file: { data: Buffer; fileName?: string; mimeType?: string },
	propertyName = 'data',
): INodeExecutionData {
	const binary: IBinaryData = {
		data: file.data.toString(BINARY_ENCODING),
		mimeType: file.mimeType ?? 'application/octet-stream',
		fileSize: `${file.data.length} B`,
		bytes: file.data.length,
	};
	if (file.fileName !== undefined) {
		binary.fileName = file.fileName;
		const dot = file.fileName.lastIndexOf('.');
		if (dot > 0) binary.fileExtension = file.fileName.slice(dot + 1);
	}
	return { json, binary: { [propertyName]: binary } };
}

const UNAVAILABLE = (what: string) => async () => {
	throw new UnexpectedError(`${what} is not available in the runNode harness`);
};

/**
 * The IWorkflowExecuteAdditionalData n8n-core's contexts read (n8n builds it in the cli's
 * `WorkflowExecuteAdditionalData.getBase`): our credentials helper, lifecycle hooks, the
 * instance URLs ($execution.resumeUrl etc.), $vars. Sub-workflows and the task runner are absent.
 */
export function createAdditionalData(options: {
	credentialsHelper: HarnessCredentialsHelper;
	hooks?: ExecutionLifecycleHooks;
	executionId?: string;
	variables?: IDataObject;
	workflowSettings?: IWorkflowSettings;
	baseUrl?: string;
}): IWorkflowExecuteAdditionalData {
	const baseUrl = options.baseUrl ?? 'http://localhost:5678';
	return {
		credentialsHelper: options.credentialsHelper,
		hooks: options.hooks,
		executionId: options.executionId,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${baseUrl}/rest`,
		instanceBaseUrl: `${baseUrl}/`,
		formWaitingBaseUrl: `${baseUrl}/form-waiting`,
		webhookBaseUrl: `${baseUrl}/webhook`,
		webhookWaitingBaseUrl: `${baseUrl}/webhook-waiting`,
		webhookTestBaseUrl: `${baseUrl}/webhook-test`,
		variables: options.variables ?? {},
		workflowSettings: options.workflowSettings,
		executeWorkflow: UNAVAILABLE('Executing sub-workflows'),
		getRunExecutionData: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: UNAVAILABLE('The task runner (Code node)'),
	} as unknown as IWorkflowExecuteAdditionalData;
}

export async function runNode(options: RunNodeOptions): Promise<RunNodeResult> {
	setupN8nCoreContainer();

	const {
		nodeType,
		credentialTypes = [],
		credentials = {},
		parameters,
		items = [{ json: {} }],
		continueOnFail = false,
		nodeName = DEFAULT_NODE_NAME,
		packageName = 'n8n-nodes-tartan',
		mode = 'manual',
		workflowSettings = { executionOrder: 'v1' },
		variables = {},
	} = options;
	const typeVersion = options.typeVersion ?? latestVersion(nodeType);
	const typeName = `${packageName}.${NodeHelpers.getVersionedNodeType(nodeType, typeVersion).description.name}`;

	const thrown: unknown[] = [];
	const nodeTypes = new HarnessNodeTypes(
		{ [INPUT_NODE_TYPE]: new HarnessInput(), [typeName]: nodeType },
		thrown,
	);
	const credentialsHelper = new HarnessCredentialsHelper(credentialTypes, credentials);

	const inputNode: INode = {
		id: randomUUID(),
		name: INPUT_NODE_NAME,
		type: INPUT_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const nodeUnderTest: INode = {
		id: randomUUID(),
		position: [220, 0],
		...(continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		...options.node,
		name: nodeName,
		type: typeName,
		typeVersion,
		parameters: deepCopy(parameters),
		credentials: Object.fromEntries(
			Object.keys(credentials).map((type) => [type, { id: `harness-${type}`, name: type }]),
		),
	};

	const connections = {
		[INPUT_NODE_NAME]: {
			[NodeConnectionTypes.Main]: [[{ node: nodeName, type: NodeConnectionTypes.Main, index: 0 }]],
		},
	};
	const workflowId = 'harness-workflow';
	const workflow = new Workflow({
		id: workflowId,
		name: 'runNode harness',
		nodes: [inputNode, nodeUnderTest],
		connections,
		active: false,
		nodeTypes,
		settings: workflowSettings,
	});

	const executionId = randomUUID();
	const workflowData: IWorkflowBase = {
		id: workflowId,
		name: workflow.name ?? 'runNode harness',
		active: false,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: Object.values(workflow.nodes),
		connections,
		settings: workflowSettings,
		activeVersionId: null,
	};
	const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);

	const additionalData = createAdditionalData({
		credentialsHelper,
		hooks,
		executionId,
		variables,
		workflowSettings,
	});

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{
					node: inputNode,
					data: { main: [deepCopy(items)] },
					source: null,
				},
			],
		},
	});

	const workflowExecute = new WorkflowExecute(additionalData, mode, runExecutionData);
	// processRunExecutionData would refuse with a bare WorkflowHasIssuesError ("The workflow has
	// issues..."); run the same check first to say which parameters are wrong.
	const issues = workflowExecute.checkReadyForExecution(workflow, { startNode: INPUT_NODE_NAME });
	if (issues !== null) {
		throw new UnexpectedError(
			`n8n would not run this workflow, the node has issues: ${JSON.stringify(issues)}`,
		);
	}
	const run = await workflowExecute.processRunExecutionData(workflow);

	const taskData = run.data.resultData.runData[nodeName]?.[0];
	const outputs = (taskData?.data?.[NodeConnectionTypes.Main] ?? []).map((output) => output ?? []);
	const recordedError = taskData?.error ?? (run.data.resultData.error as ExecutionBaseError | undefined);
	let error: ExecutionBaseError | undefined;
	if (recordedError !== undefined) {
		const original = thrown.find(
			(candidate): candidate is ExecutionBaseError =>
				candidate instanceof Error && candidate.message === recordedError.message,
		);
		error = original ?? rehydrateError(recordedError);
	}

	return {
		items: outputs[0] ?? [],
		outputs,
		error,
		status: run.status,
		taskData,
		run,
		credentialsHelper,
	};
}

import {
	NodeApiError,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

/**
 * Whether the node runs as an AI Agent tool: the `<node>Tool` variant n8n
 * generates for a node with `usableAsTool`.
 */
export function runsAsTool(context: IExecuteFunctions): boolean {
	return context.getNode().type.endsWith('Tool');
}

/**
 * Where a problem is, for the error's reader: " in item 3" in a workflow; as
 * an AI Agent tool, nothing, since the model made one call and has no item
 * numbers.
 */
export function inItem(context: IExecuteFunctions, itemIndex: number): string {
	return runsAsTool(context) ? '' : ` in item ${itemIndex + 1}`;
}

/**
 * As an AI Agent tool an error goes back to the model and n8n marks the
 * execution successful, so monitoring on execution status cannot see it.
 * What n8n offers instead: a log line (error when Tartan refused or could not
 * be reached, warn when the call's arguments were invalid and nothing was
 * sent) and a warning hint on the node's output in the execution.
 */
function reportToolFailure(context: IExecuteFunctions, error: NodeApiError | NodeOperationError): void {
	const node = context.getNode();
	const workflow = context.getWorkflow?.();
	const fromTartan = error instanceof NodeApiError;
	const line =
		`${node.name}: the AI Agent's tool call failed, ${fromTartan ? 'Tartan refused or could not be reached' : 'nothing was sent to Tartan'}` +
		` (the execution is still marked successful): ${error.message}`;
	const meta = {
		workflowId: workflow?.id,
		executionId: context.getExecutionId?.(),
		node: node.name,
		httpCode: fromTartan ? error.httpCode : undefined,
	};
	if (fromTartan) context.logger.error(line, meta);
	else context.logger.warn(line, meta);
	if (fromTartan) {
		context.addExecutionHints?.({
			message: `Tartan refused this tool call (${error.httpCode ?? 'no answer'}): the agent got the error, and the execution is marked successful.`,
			type: 'warning',
			location: 'outputPane',
		});
	}
}

/**
 * Whether a failed item lets the run go on: with "Continue" / "Continue
 * (using error output)", and always as an AI Agent tool, where the model gets
 * the error back as the tool's answer and can correct its call (n8n's agent
 * otherwise fails the whole execution on a tool's error).
 */
export function continuesAfterFailure(context: IExecuteFunctions): boolean {
	return context.continueOnFail() || runsAsTool(context);
}

/**
 * What happens to an item that failed: with "Continue (using error output)" /
 * continueOnFail, an error item paired with it, so the run goes on; as an AI
 * Agent tool, the error's message and hint as the tool's answer; otherwise
 * the error is thrown, carrying the item index (wrapped if it is not an n8n
 * error yet).
 */
export function failedItem(context: IExecuteFunctions, error: unknown, itemIndex: number): INodeExecutionData {
	const nodeError =
		error instanceof NodeApiError || error instanceof NodeOperationError
			? error
			: new NodeOperationError(context.getNode(), error as Error, { itemIndex });
	nodeError.context = { ...nodeError.context, itemIndex };
	if (!context.continueOnFail() && runsAsTool(context)) {
		reportToolFailure(context, nodeError);
		// What the model reads: which field, what is expected, and that nothing was sent.
		const json: INodeExecutionData['json'] = { error: nodeError.message };
		if (nodeError.description) json.hint = nodeError.description;
		return { json, pairedItem: { item: itemIndex } };
	}
	if (context.continueOnFail()) {
		// `error` on the item (description, HTTP code, item index) is what sends it
		// down "Continue (using error output)"; n8n shows its message as json.error.
		return { json: { error: nodeError.message }, error: nodeError, pairedItem: { item: itemIndex } };
	}
	throw nodeError;
}

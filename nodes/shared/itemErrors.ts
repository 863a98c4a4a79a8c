import {
	NodeApiError,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

/**
 * What happens to an item that failed: with "Continue (using error output)" /
 * continueOnFail, an error item paired with it, so the run goes on; otherwise
 * the error is thrown, carrying the item index (wrapped if it is not an n8n
 * error yet).
 */
export function failedItem(context: IExecuteFunctions, error: unknown, itemIndex: number): INodeExecutionData {
	const nodeError =
		error instanceof NodeApiError || error instanceof NodeOperationError
			? error
			: new NodeOperationError(context.getNode(), error as Error, { itemIndex });
	nodeError.context = { ...nodeError.context, itemIndex };
	if (context.continueOnFail()) {
		// `error` on the item (description, HTTP code, item index) is what sends it
		// down "Continue (using error output)"; n8n shows its message as json.error.
		return { json: { error: nodeError.message }, error: nodeError, pairedItem: { item: itemIndex } };
	}
	throw nodeError;
}

import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
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
	const known = error instanceof NodeApiError || error instanceof NodeOperationError;
	if (context.continueOnFail()) {
		const json: IDataObject = { error: (error as Error)?.message ?? String(error) };
		if (known && error.description) json.description = error.description;
		if (error instanceof NodeApiError && error.httpCode) json.httpCode = error.httpCode;
		return { json, pairedItem: { item: itemIndex } };
	}
	if (known) {
		error.context = { ...error.context, itemIndex };
		throw error;
	}
	throw new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}

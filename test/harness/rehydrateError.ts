import {
	ExecutionBaseError,
	ExpressionError,
	NodeApiError,
	NodeOperationError,
	NodeSslError,
	WorkflowOperationError,
} from 'n8n-workflow';

const ERROR_CLASSES: Record<string, { prototype: object }> = {
	NodeApiError,
	NodeOperationError,
	NodeSslError,
	ExpressionError,
	WorkflowOperationError,
};

/**
 * n8n's WorkflowExecute records a node's error as `{ ...error, message, stack }`, a plain object.
 * Give it back the prototype of the class it was (by its `name`), so `instanceof` and `toJSON`
 * work in assertions. Used only when the original instance could not be captured.
 */
export function rehydrateError(recorded: ExecutionBaseError): ExecutionBaseError {
	if (recorded instanceof Error) return recorded;
	const errorClass = ERROR_CLASSES[(recorded as { name?: string }).name ?? ''] ?? ExecutionBaseError;
	return Object.assign(Object.create(errorClass.prototype) as ExecutionBaseError, recorded);
}

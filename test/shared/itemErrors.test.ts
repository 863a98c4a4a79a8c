import { mock } from 'jest-mock-extended';
import { NodeApiError, NodeOperationError, type IExecuteFunctions, type INode, type Logger } from 'n8n-workflow';

import { continuesAfterFailure, failedItem, inItem, runsAsTool } from '../../nodes/shared/itemErrors';

function context(type: string, continueOnFail: boolean) {
	const ctx = mock<IExecuteFunctions>();
	const node = { name: 'Tartan Resend', type, typeVersion: 1, parameters: {} } as unknown as INode;
	ctx.getNode.mockReturnValue(node);
	ctx.continueOnFail.mockReturnValue(continueOnFail);
	ctx.getExecutionId.mockReturnValue('42');
	const logger = mock<Logger>();
	Object.assign(ctx, { logger });
	return { ctx, node, logger };
}

const validation = (node: INode) =>
	new NodeOperationError(node, '"Sync Session ID" (syncSessionId) must be a UUID in item 1', {
		itemIndex: 0,
		description: 'Nothing was sent to Tartan. Correct the field and run the node again.',
	});

describe('failed items', () => {
	it('as a workflow node that stops on errors: the error is thrown, with its item index', () => {
		const { ctx, node } = context('n8n-nodes-tartan.tartanResend', false);
		expect(runsAsTool(ctx)).toBe(false);
		expect(continuesAfterFailure(ctx)).toBe(false);
		const error = validation(node);
		expect(() => failedItem(ctx, error, 0)).toThrow(error);
		expect(error.context.itemIndex).toBe(0);
	});

	it('with "Continue": an error item that carries the error (for the error output)', () => {
		const { ctx, node } = context('n8n-nodes-tartan.tartanResend', true);
		const item = failedItem(ctx, validation(node), 2);
		expect(item.json).toEqual({ error: '"Sync Session ID" (syncSessionId) must be a UUID in item 1' });
		expect(item.error).toBeInstanceOf(NodeOperationError);
		expect(item.pairedItem).toEqual({ item: 2 });
	});

	it('as an AI Agent tool: the message and its hint become the tool\'s answer, so the model can correct its call', () => {
		const { ctx, node } = context('n8n-nodes-tartan.tartanResendTool', false);
		expect(runsAsTool(ctx)).toBe(true);
		expect(continuesAfterFailure(ctx)).toBe(true);
		const item = failedItem(ctx, validation(node), 0);
		expect(item).toEqual({
			json: {
				error: '"Sync Session ID" (syncSessionId) must be a UUID in item 1',
				hint: 'Nothing was sent to Tartan. Correct the field and run the node again.',
			},
			pairedItem: { item: 0 },
		});
	});

	it('wraps an error that is not an n8n error yet', () => {
		const { ctx } = context('n8n-nodes-tartan.tartanSyncCallbackTool', false);
		expect(failedItem(ctx, new Error('socket hang up'), 0).json).toEqual({ error: 'socket hang up' });
	});
});

describe('errors as an AI Agent tool', () => {
	it('name no item: the model made one call', () => {
		expect(inItem(context('n8n-nodes-tartan.tartanResend', false).ctx, 2)).toBe(' in item 3');
		expect(inItem(context('n8n-nodes-tartan.tartanResendTool', false).ctx, 2)).toBe('');
	});

	it("a refusal by Tartan: an error log line and a warning hint, since n8n marks the execution successful", () => {
		const { ctx, node, logger } = context('n8n-nodes-tartan.tartanResendTool', false);
		const refusal = new NodeApiError(node, { statusCode: 401 }, { message: 'Tartan did not accept the "Tartan API" credential (401)', httpCode: '401' });
		expect(failedItem(ctx, refusal, 0).json.error).toBe('Tartan did not accept the "Tartan API" credential (401)');
		expect(logger.error).toHaveBeenCalledWith(
			expect.stringMatching(/^Tartan Resend: the AI Agent's tool call failed, Tartan refused or could not be reached .*\(401\)$/),
			expect.objectContaining({ executionId: '42', node: 'Tartan Resend', httpCode: '401' }),
		);
		expect(ctx.addExecutionHints).toHaveBeenCalledWith(expect.objectContaining({ type: 'warning', location: 'outputPane' }));
	});

	it('an invalid argument: a warn line, nothing was sent, no hint', () => {
		const { ctx, node, logger } = context('n8n-nodes-tartan.tartanResendTool', false);
		failedItem(ctx, validation(node), 0);
		expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(/nothing was sent to Tartan/), expect.anything());
		expect(logger.error).not.toHaveBeenCalled();
		expect(ctx.addExecutionHints).not.toHaveBeenCalled();
	});

	it('in a workflow (not a tool): no extra log line; n8n reports the error itself', () => {
		const { ctx, node, logger } = context('n8n-nodes-tartan.tartanResend', true);
		failedItem(ctx, validation(node), 0);
		expect(logger.warn).not.toHaveBeenCalled();
		expect(logger.error).not.toHaveBeenCalled();
	});
});

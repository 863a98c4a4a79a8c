import { mock } from 'jest-mock-extended';
import { NodeOperationError, type IExecuteFunctions, type INode } from 'n8n-workflow';

import { continuesAfterFailure, failedItem, runsAsTool } from '../../nodes/shared/itemErrors';

function context(type: string, continueOnFail: boolean) {
	const ctx = mock<IExecuteFunctions>();
	const node = { name: 'Tartan Resend', type, typeVersion: 1, parameters: {} } as unknown as INode;
	ctx.getNode.mockReturnValue(node);
	ctx.continueOnFail.mockReturnValue(continueOnFail);
	return { ctx, node };
}

const validation = (node: INode) =>
	new NodeOperationError(node, 'Invalid "Sync Session ID" (syncSessionId) must be a UUID in item 1', {
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
		expect(item.json).toEqual({ error: 'Invalid "Sync Session ID" (syncSessionId) must be a UUID in item 1' });
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
				error: 'Invalid "Sync Session ID" (syncSessionId) must be a UUID in item 1',
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

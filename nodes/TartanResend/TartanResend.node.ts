import {
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { retriesOption, tartanRequest } from '../shared/transport';
import { failedItem, inItem, runsAsTool } from '../shared/itemErrors';
import {
	CUSTOM_API_CALL,
	SEARCH_TYPES_WITH_IDS,
	ResendValidationError,
	buildResendBody,
	fieldProperties,
	OPERATION_SUBTITLE,
	operationProperty,
	resourceProperty,
	searchTypeOf,
	type FieldName,
} from './searchTypes';

export class TartanResend implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Tartan Resend',
		name: 'tartanResend',
		icon: { light: 'file:../../icons/tartan-resend.svg', dark: 'file:../../icons/tartan-resend.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: OPERATION_SUBTITLE,
		description:
			'Ask Tartan to resend (reconcile) webhooks: by sync session, webhook counters, delivery status, time range, organisation or request ID. IDs are UUIDs, times are ISO 8601 dates or epoch seconds, counters are whole numbers from 1.',
		defaults: { name: 'Tartan Resend' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'tartanApi', required: true }],
		properties: [
			resourceProperty,
			operationProperty,
			...fieldProperties,
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Allow Non-UUID IDs',
						name: 'allowNonUuidIds',
						type: 'boolean',
						default: false,
						description:
							'Whether to accept IDs that are not UUIDs. Tartan documents sync session, org and request IDs as UUIDs, but its example webhooks carry other IDs; turn this on if yours look like that.',
						displayOptions: { show: { '/operation': SEARCH_TYPES_WITH_IDS } },
					},
					retriesOption,
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const output: INodeExecutionData[] = [];
		const timeZone = this.getTimezone();

		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				// n8n's "Custom API Call" entry, picked as the resource, hides the operation
				const resource = this.getNodeParameter('resource', itemIndex, 'webhook') as string;
				const searchType =
					resource === CUSTOM_API_CALL ? CUSTOM_API_CALL : (this.getNodeParameter('operation', itemIndex) as string);
				const options = this.getNodeParameter('options', itemIndex, {}) as {
					allowNonUuidIds?: boolean;
					retries?: number;
				};
				// Only the fields this search type has (the others are hidden and not sent).
				const params: Partial<Record<FieldName, unknown>> = {};
				for (const field of searchTypeOf(searchType)?.fields ?? []) {
					params[field] = this.getNodeParameter(field, itemIndex, '');
				}

				let body;
				try {
					body = buildResendBody(searchType, params, { relaxIds: options.allowNonUuidIds === true, timeZone });
				} catch (error) {
					throw new NodeOperationError(
						this.getNode(),
						error instanceof ResendValidationError ? `${error.message}${inItem(this, itemIndex)}` : (error as Error),
						{
							itemIndex,
							description: runsAsTool(this)
								? 'Nothing was sent to Tartan. Call the tool again with a corrected value.'
								: 'Nothing was sent to Tartan. Correct the field and run the node again.',
						},
					);
				}

				const response = await tartanRequest.call(this, {
					credentialType: 'tartanApi',
					method: 'POST',
					path: '/api/webhooks/resend',
					body,
					itemIndex,
					retries: options.retries,
				});
				output.push({ json: response, pairedItem: { item: itemIndex } });
			} catch (error) {
				output.push(failedItem(this, error, itemIndex));
			}
		}
		return [output];
	}
}

import {
	NodeConnectionTypes,
	NodeOperationError,
	type ICredentialTestFunctions,
	type ICredentialsDecrypted,
	type IDataObject,
	type IExecuteFunctions,
	type INodeCredentialTestResult,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { continuesAfterFailure, failedItem, inItem, runsAsTool } from '../shared/itemErrors';
import { encodeMultipart, type MultipartPart } from '../shared/multipart';
import { retriesOption, tartanRequest, type TartanCredentialType } from '../shared/transport';
import { checkBearerCredential, checkUsernamePasswordCredential } from './credentialChecks';
import {
	EmployeeValidationError,
	recordFromFields,
	recordToFormFields,
	validateEmployee,
	type FieldPair,
} from './employeePayload';

type Authentication = 'bearerToken' | 'usernamePassword';

const CREDENTIAL_FOR: Record<Authentication, TartanCredentialType> = {
	bearerToken: 'tartanBearerApi',
	usernamePassword: 'tartanUsernamePasswordApi',
};

const MAX_CONCURRENCY = 10;

export class TartanSyncCallback implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Tartan Sync Callback',
		name: 'tartanSyncCallback',
		icon: { light: 'file:../../icons/tartan-sync-callback.svg', dark: 'file:../../icons/tartan-sync-callback.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["authentication"] === "usernamePassword" ? "multipart/form-data" : "JSON" }}',
		description: 'Push an employee record to Tartan HyperSync through its Sync Callback: a name, an email address and any other employee fields',
		defaults: { name: 'Tartan Sync Callback' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'tartanBearerApi',
				required: true,
				testedBy: 'tartanBearerTokenTest',
				displayOptions: { show: { authentication: ['bearerToken'] } },
			},
			{
				name: 'tartanUsernamePasswordApi',
				required: true,
				testedBy: 'tartanUsernamePasswordTest',
				displayOptions: { show: { authentication: ['usernamePassword'] } },
			},
		],
		properties: [
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Bearer Token, JSON Body',
						value: 'bearerToken',
						description: 'Sends a JSON body with Authorization: Bearer',
					},
					{
						name: 'Username and Password, Multipart Form Data',
						value: 'usernamePassword',
						description: 'Sends multipart/form-data with username and password headers; can attach files',
					},
				],
				default: 'bearerToken',
			},
			{
				displayName:
					'Sends each item as a JSON body (application/json), with the token in the Authorization header (Bearer).',
				name: 'jsonNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { authentication: ['bearerToken'] } },
			},
			{
				displayName:
					'Sends each item as multipart/form-data, with the username and password headers. Nested objects and arrays are sent as JSON text.',
				name: 'multipartNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { authentication: ['usernamePassword'] } },
			},
			{
				displayName: 'Send',
				name: 'send',
				type: 'options',
				options: [
					{
						name: 'Fields Below',
						value: 'fields',
						description: 'Name, email and any additional fields you define',
					},
					{
						name: 'Whole Input Item',
						value: 'wholeItem',
						description:
							'The item\'s JSON as it is, e.g. one record from the Tartan Trigger\'s per-record output',
					},
				],
				default: 'fields',
			},
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				placeholder: 'e.g. {{ $json.name }}',
				description: "The employee's name. Left out when empty.",
				displayOptions: { show: { send: ['fields'] } },
			},
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				default: '',
				placeholder: 'name@email.com',
				description: "The employee's email address. Left out when empty.",
				displayOptions: { show: { send: ['fields'] } },
			},
			{
				displayName: 'Additional Fields',
				name: 'additionalFields',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Field',
				default: {},
				displayOptions: { show: { send: ['fields'] } },
				options: [
					{
						displayName: 'Field',
						name: 'field',
						values: [
							{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'e.g. employeeId' },
							{ displayName: 'Value', name: 'value', type: 'string', default: '' },
						],
					},
				],
			},
			{
				displayName: 'Attachments',
				name: 'attachments',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Attachment',
				default: {},
				description: 'Binary properties of the item to send as file parts',
				displayOptions: { show: { authentication: ['usernamePassword'] } },
				options: [
					{
						displayName: 'Attachment',
						name: 'attachment',
						values: [
							{
								displayName: 'Input Binary Field',
								name: 'binaryProperty',
								type: 'string',
								default: 'data',
								description: 'The name of the item\'s binary property holding the file',
							},
							{
								displayName: 'Form Field Name',
								name: 'fieldName',
								type: 'string',
								default: '',
								placeholder: 'e.g. file',
								description: 'The multipart field name; the binary property name when empty',
							},
						],
					},
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Concurrency',
						name: 'concurrency',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
						default: 1,
						description:
							'How many items to send at once. 1 (the default) sends them in order, one at a time: Tartan publishes no rate limit, so start there and raise it for large batches.',
					},
					retriesOption,
				],
			},
		],
	};

	methods = {
		credentialTest: {
			async tartanBearerTokenTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				return checkBearerCredential(credential.data ?? {});
			},
			async tartanUsernamePasswordTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				return checkUsernamePasswordCredential(credential.data ?? {});
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const results: INodeExecutionData[] = new Array(items.length);
		// How to send is a setting of the node, read once; what to send is read per item
		const options = this.getNodeParameter('options', 0, {}) as IDataObject;
		const settings: SendSettings = {
			authentication: this.getNodeParameter('authentication', 0) as Authentication,
			send: this.getNodeParameter('send', 0) as SendSettings['send'],
			retries: options.retries,
		};
		const concurrency = Math.min(MAX_CONCURRENCY, Math.max(1, Math.floor(Number(options.concurrency ?? 1)) || 1));

		// Workers take the next item until none is left, or one failed (and the node
		// does not continue on fail): then no new item starts, and the earliest
		// failure is reported once the items already sent have finished.
		let next = 0;
		const failure: { first?: { itemIndex: number; error: unknown } } = {};
		const worker = async () => {
			while (next < items.length && failure.first === undefined) {
				const itemIndex = next++;
				try {
					results[itemIndex] = { json: await sendItem(this, settings, items[itemIndex], itemIndex), pairedItem: { item: itemIndex } };
				} catch (error) {
					if (continuesAfterFailure(this)) {
						results[itemIndex] = failedItem(this, error, itemIndex);
					} else {
						// Another worker may have failed meanwhile (the loop test narrowed this away).
						const earlier = failure.first as { itemIndex: number } | undefined;
						if (earlier === undefined || itemIndex < earlier.itemIndex) failure.first = { itemIndex, error };
					}
				}
			}
		};
		await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));

		if (failure.first) failedItem(this, failure.first.error, failure.first.itemIndex);
		return [results];
	}
}

interface SendSettings {
	authentication: Authentication;
	send: 'fields' | 'wholeItem';
	retries: unknown;
}

/** Builds, checks and sends one item; returns Tartan's answer. */
async function sendItem(
	context: IExecuteFunctions,
	{ authentication, send, retries }: SendSettings,
	item: INodeExecutionData,
	itemIndex: number,
): Promise<IDataObject> {
	let record: IDataObject;
	try {
		record = validateEmployee(
			send === 'wholeItem'
				? item.json
				: recordFromFields(
						context.getNodeParameter('name', itemIndex, ''),
						context.getNodeParameter('email', itemIndex, ''),
						((context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject).field ?? []) as FieldPair[],
					),
		);
	} catch (error) {
		throw new NodeOperationError(
			context.getNode(),
			error instanceof EmployeeValidationError ? `${error.message}${inItem(context, itemIndex)}` : (error as Error),
			{
				itemIndex,
				description: runsAsTool(context)
					? 'Nothing was sent to Tartan. Call the tool again with a corrected value.'
					: 'Nothing was sent to Tartan for this item.',
			},
		);
	}

	const call = {
		credentialType: CREDENTIAL_FOR[authentication],
		method: 'POST' as const,
		path: '/api/external/sync/callback',
		itemIndex,
		retries,
	};

	if (authentication === 'bearerToken') {
		return await tartanRequest.call(context, { ...call, body: record });
	}

	const parts: MultipartPart[] = recordToFormFields(record);
	const attachments = ((context.getNodeParameter('attachments', itemIndex, {}) as IDataObject).attachment ?? []) as Array<{
		binaryProperty?: string;
		fieldName?: string;
	}>;
	for (const attachment of attachments) {
		const property = (attachment.binaryProperty ?? '').trim();
		if (property === '') {
			throw new NodeOperationError(context.getNode(), `An attachment${runsAsTool(context) ? '' : ` of item ${itemIndex + 1}`} has no input binary field`, { itemIndex });
		}
		const binary = context.helpers.assertBinaryData(itemIndex, property);
		parts.push({
			name: (attachment.fieldName ?? '').trim() || property,
			filename: binary.fileName ?? property,
			contentType: binary.mimeType || 'application/octet-stream',
			data: await context.helpers.getBinaryDataBuffer(itemIndex, property),
		});
	}
	const { body, contentType } = encodeMultipart(parts);
	return await tartanRequest.call(context, { ...call, body, headers: { 'Content-Type': contentType } });
}

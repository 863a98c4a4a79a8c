import {
	NodeConnectionTypes,
	NodeOperationError,
	type ICredentialTestFunctions,
	type ICredentialsDecrypted,
	type IDataObject,
	type IHookFunctions,
	type INodeCredentialTestResult,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import {
	ALL_EVENTS,
	KNOWN_EVENTS,
	checkAge,
	deliveryKeyOf,
	isEventSelected,
	parseEventList,
	type OutputMode,
} from './webhookPayload';
import { isPlainObject } from '../shared/values';
import { personalDataProperties } from './personalDataProperties';
import { loadProtection, protectedOutputItems, pseudonymKeyTest } from './personalDataPolicy';
import { RejectionLog, refusalKey, refusalLine, type Refusal } from './rejectionLog';
import {
	FAILURE_MESSAGES,
	SIGNATURE_HEADER,
	checkSignatureShape,
	headerValues,
	matchDigest,
	signingKeyProblem,
} from './verifySignature';

const CREDENTIAL = 'tartanWebhookSigningApi';

/** Refusal lines, rate-limited per trigger node and reason (shared by every workflow in this n8n process). */
const rejectionLog = new RejectionLog();

type WebhookRequest = ReturnType<IWebhookFunctions['getRequestObject']>;

/**
 * Writes the line about a refused or ignored delivery through n8n's logger
 * (warn for a refusal, info for an ignored event), rate-limited: reason,
 * workflow, node, remote address, body length; nothing of the key, the
 * signature or the body.
 */
function logRefusal(context: IWebhookFunctions, req: WebhookRequest, status: number, reason: string): void {
	const workflow = context.getWorkflow?.();
	const refusal: Refusal = {
		reason,
		status,
		workflowId: workflow?.id,
		workflowName: workflow?.name,
		node: context.getNode?.()?.name ?? 'Tartan Trigger',
		remoteAddress: req.ip ?? req.socket?.remoteAddress,
		bodyBytes: req.rawBody?.length ?? 0,
	};
	const admission = rejectionLog.admit(refusalKey(refusal), Date.now());
	if (!admission.log) return;
	const line = refusalLine(refusal, admission.heldBack);
	const meta = { ...refusal, heldBack: admission.heldBack };
	if (status >= 300) context.logger.warn(line, meta);
	else context.logger.info(line, meta);
}

/** Answers without starting the workflow (a small JSON body, never a secret), and logs why. */
function refuse(
	context: IWebhookFunctions,
	req: WebhookRequest,
	status: number,
	reason: string,
	body: IDataObject,
): IWebhookResponseData {
	logRefusal(context, req, status, reason);
	context.getResponseObject().status(status).json(body);
	return { noWebhookResponse: true };
}

/**
 * The JSON object n8n already parsed from exactly the verified bytes, or
 * undefined. n8n parses an `application/json` body with JSON.parse of the raw
 * bytes decoded in its charset; when that charset is UTF-8 (as here) and the
 * text is an object (its first non-blank byte is `{`), n8n's result is what
 * parsing the bytes again would give. Anything else is parsed here.
 */
function parsedByN8n(req: WebhookRequest): IDataObject | undefined {
	const { contentType, encoding, body, rawBody } = req as WebhookRequest & { contentType?: string; encoding?: string };
	if (contentType !== 'application/json') return undefined;
	if (encoding !== undefined && !/^utf-?8$/i.test(encoding)) return undefined;
	if (!isPlainObject(body)) return undefined;
	for (const byte of rawBody) {
		// JSON white space: space, tab, line feed, carriage return
		if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) continue;
		return byte === 0x7b ? (body as IDataObject) : undefined;
	}
	return undefined;
}

/** Whether reading the body failed because it is over n8n's payload size limit (N8N_PAYLOAD_SIZE_MAX). */
function isTooLarge(error: unknown): boolean {
	const { status, type } = (error ?? {}) as { status?: unknown; type?: unknown };
	return status === 413 || type === 'entity.too.large';
}

export class TartanTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Tartan Trigger',
		name: 'tartanTrigger',
		icon: { light: 'file:../../icons/tartan-trigger.svg', dark: 'file:../../icons/tartan-trigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).includes("*") ? "All events" : ($parameter["events"] || []).join(", ") }}',
		description: 'Starts the workflow when Tartan HyperSync sends a signed webhook',
		defaults: { name: 'Tartan Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'tartanWebhookSigningApi', required: true, testedBy: 'tartanSigningKeyTest' },
			// Only when a field rule pseudonymises (personalDataPolicy.ts)
			{
				name: 'tartanPseudonymKeyApi',
				required: false,
				testedBy: 'tartanPseudonymKeyTest',
				displayOptions: { show: { personalData: ['protect', 'allowList'] } },
			},
		],
		triggerPanel: {
			header: 'Send a test event from the Tartan Console to the Test URL',
			executionsHelp: {
				inactive:
					"Click 'Listen for test event', then send a test event to the Test URL: in the Tartan Console, set the Test URL as your webhook URL and send a test event (or ask your Tartan SPOC to). Once it arrives, set the Production URL there instead and publish the workflow.",
				active:
					'The workflow runs for every signed webhook Tartan sends to the Production URL. Its executions are listed under Executions.',
			},
			activationHint:
				"Set this node's Production URL as your webhook URL in the Tartan Console, then publish the workflow.",
		},
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				path: 'webhook',
				// "When the workflow finishes" answers once the run ends: 500 if it failed, so
				// Tartan's end-of-day retry delivers the webhook again. No data is echoed back.
				responseMode: '={{ $parameter["respond"] === "whenFinished" ? "lastNode" : "onReceived" }}',
				// Immediately: an empty value makes n8n answer with the node's own acknowledgement.
				responseData: '={{ $parameter["respond"] === "whenFinished" ? "noData" : "" }}',
			},
		],
		properties: [
			{
				displayName:
					"In the Tartan Console (or through your Tartan SPOC), set this node's Production URL as your webhook URL, then publish (activate) the workflow. The Test URL works only while the editor is listening for a test event. Requests that are not signed with your app key are refused with 401.",

				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				// Not "Events": n8n's node panel turns a trigger with an "Events" list into
				// one action per event and shows the node as "Tartan", not "Tartan Trigger".
				displayName: 'Event Types',
				name: 'events',
				type: 'multiOptions',
				options: [
					{ name: 'All Events', value: ALL_EVENTS, description: 'Every event Tartan sends, including future ones' },
					...KNOWN_EVENTS,
				],
				default: [ALL_EVENTS],
				description:
					'Which events start the workflow. Verified webhooks of other events are acknowledged (200) and ignored.',
			},
			{
				displayName: 'Other Event Names',
				name: 'customEvents',
				type: 'string',
				default: '',
				placeholder: 'e.g. sync.events.employee.delete',
				description:
					'Event names Tartan adds later, separated by commas. Used together with the event types selected above.',
			},
			{
				displayName: 'Output',
				name: 'output',
				type: 'options',
				options: [
					{
						name: 'One Item per Webhook',
						value: 'perWebhook',
						description: 'The payload as one item, keys exactly as Tartan sent them',
					},
					{
						name: 'One Item per Record',
						value: 'perRecord',
						description:
							'Each element of body (an employee record, or the org object) as an item, with the rest of the payload under "webhook"',
					},
				],
				default: 'perWebhook',
			},
			{
				displayName: 'Respond',
				name: 'respond',
				type: 'options',
				options: [
					{
						name: 'When the Workflow Finishes',
						value: 'whenFinished',
						description:
							'Answer 200 only if the workflow succeeds, so Tartan re-sends failed deliveries at end of day (recommended)',
					},
					{
						name: 'Immediately',
						value: 'immediately',
						description:
							'Answer 200 as soon as the signature is verified. A run that fails or dies later is lost: Tartan counts it as delivered.',
					},
				],
				default: 'whenFinished',
				description:
					"When Tartan gets its answer. With When the Workflow Finishes, write to your systems with each item's deliveryKey as the idempotency key, so a re-sent webhook is applied once.",
			},
			...personalDataProperties,
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Include Request Headers',
						name: 'includeHeaders',
						type: 'boolean',
						default: false,
						description: 'Whether to add the request headers to each item, under "headers"',
					},
					{
						displayName: 'Maximum Age (Minutes)',
						name: 'maxAgeMinutes',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 0,
						description:
							'Ignore webhooks whose timeStamp is older than this. 0 turns the check off. Tartan re-sends failed webhooks at end of day, so those are legitimately hours old. An empty timeStamp is always accepted.',
					},
				],
			},
		],
	};

	methods = {
		credentialTest: {
			async tartanSigningKeyTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const problem = signingKeyProblem(credential.data?.appSecretKey, credential.data?.previousAppSecretKey);
				if (problem) return { status: 'Error', message: problem };
				return {
					status: 'OK',
					message: 'The key is usable. Send a test event from the Tartan Console to check it end to end.',
				};
			},
			tartanPseudonymKeyTest: pseudonymKeyTest,
		},
	};

	/**
	 * Tartan has no API to register webhook URLs (they are set in its console), so
	 * the lifecycle checks what activation needs: a configured app key.
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const staticData = this.getWorkflowStaticData('node');
				return staticData.webhookUrl === this.getNodeWebhookUrl('default');
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const credentials = await this.getCredentials(CREDENTIAL);
				const problem = signingKeyProblem(credentials.appSecretKey, credentials.previousAppSecretKey);
				if (problem) {
					throw new NodeOperationError(this.getNode(), `Tartan Webhook Signing Key: ${problem}`);
				}
				// A policy the trigger cannot apply refuses activation (its error names the field)
				await loadProtection(this);
				this.getWorkflowStaticData('node').webhookUrl = this.getNodeWebhookUrl('default');
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				delete this.getWorkflowStaticData('node').webhookUrl;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject();

		// n8n reads the raw body before the node runs, except where it does not
		// (multipart/*, or a version that leaves some content types unread): read
		// it here then, so the signature is checked over the exact bytes (after
		// n8n has removed any gzip/deflate Content-Encoding).
		if (!req.rawBody && typeof req.readRawBody === 'function') {
			try {
				await req.readRawBody();
			} catch (error) {
				if (isTooLarge(error)) {
					return refuse(this, req, 413, 'body_too_large', { error: 'body_too_large', message: 'The body is larger than this n8n accepts.' });
				}
				if (/^multipart\//i.test(String(req.headers?.['content-type'] ?? ''))) {
					// n8n parses multipart/form-data bodies itself (for every webhook node)
					// before the node runs: their bytes are gone and cannot be verified.
					return refuse(this, req, 415, 'multipart_body', {
						error: 'unsupported_content_type',
						message: 'n8n reads multipart/form-data bodies itself before the Tartan Trigger runs, so their bytes cannot be verified. Tartan sends application/json.',
					});
				}
				return refuse(this, req, 400, 'unreadable_body', { error: 'unreadable_body', message: 'The request body could not be read.' });
			}
		}

		// Refused without reading the key: no body, or no single well-formed header
		const signature = headerValues(req, SIGNATURE_HEADER);
		const shape = checkSignatureShape({ rawBody: req.rawBody, signature });
		if (!shape.wellFormed) {
			return refuse(this, req, 401, shape.reason, { error: 'invalid_signature', reason: shape.reason, message: FAILURE_MESSAGES[shape.reason] });
		}

		// Read on every request, never cached: a rotated key takes effect at once
		let appSecretKey: unknown;
		let previousAppSecretKey: unknown;
		try {
			const credentials = await this.getCredentials(CREDENTIAL);
			appSecretKey = credentials.appSecretKey;
			previousAppSecretKey = credentials.previousAppSecretKey;
		} catch (error) {
			// Fail closed: without a key nothing can be verified, so nothing starts.
			this.logger.warn(`Tartan Trigger: no usable signing credential (${(error as Error).name})`);
		}

		const check = matchDigest({
			rawBody: req.rawBody,
			digest: shape.digest,
			appSecretKey: typeof appSecretKey === 'string' ? appSecretKey : undefined,
			previousAppSecretKey: typeof previousAppSecretKey === 'string' ? previousAppSecretKey : undefined,
		});
		if (!check.valid) {
			return refuse(this, req, 401, check.reason, { error: 'invalid_signature', reason: check.reason, message: FAILURE_MESSAGES[check.reason] });
		}

		let payload: unknown = parsedByN8n(req);
		if (payload === undefined) {
			try {
				payload = JSON.parse(req.rawBody.toString('utf8'));
			} catch {
				// No parser message: it quotes the body, which may hold employee data
				return refuse(this, req, 400, 'invalid_json', { error: 'invalid_json', message: 'The body is not JSON.' });
			}
		}
		if (!isPlainObject(payload)) {
			return refuse(this, req, 400, 'invalid_payload', { error: 'invalid_payload', message: 'The body is not a JSON object.' });
		}

		const events = this.getNodeParameter('events', []) as string[];
		const customEvents = parseEventList(this.getNodeParameter('customEvents', '') as string);
		if (!isEventSelected(payload.event, events, customEvents)) {
			logRefusal(this, req, 200, 'event_not_selected');
			return { webhookResponse: { received: true, ignored: 'event not selected in the Tartan Trigger' } };
		}

		const options = this.getNodeParameter('options', {}) as { includeHeaders?: boolean; maxAgeMinutes?: number };
		const age = checkAge(payload.timeStamp, options.maxAgeMinutes ?? 0, Date.now());
		if (!age.ok) {
			logRefusal(this, req, 200, 'too_old');
			return { webhookResponse: { received: true, ignored: age.reason } };
		}

		const deliveryKey = deliveryKeyOf(payload, req.rawBody);
		const output = this.getNodeParameter('output', 'perWebhook') as OutputMode;
		const extra: IDataObject = options.includeHeaders ? { headers: req.headers as IDataObject } : {};
		// Personal-data policy: every record, before any item leaves the node. An
		// invalid policy throws: n8n answers 500 and nothing is output.
		const protection = await loadProtection(this);

		return {
			webhookResponse: { received: true, deliveryKey },
			workflowData: [protectedOutputItems(payload, output, deliveryKey, extra, protection)],
		};
	}
}

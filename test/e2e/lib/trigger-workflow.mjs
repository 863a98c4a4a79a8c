// The variables of the Tartan Trigger workflow templates (workflows/tartan-trigger*.json):
// the trigger's defaults as most tests use them, with the signing credential.
export function triggerWorkflowVars({
	name,
	webhookId,
	credential,
	events = ['*'],
	customEvents = '',
	output = 'perWebhook',
	respond = 'immediately',
	options = {},
}) {
	return {
		NAME: name,
		WEBHOOK_ID: webhookId,
		EVENTS: events,
		CUSTOM_EVENTS: customEvents,
		OUTPUT: output,
		RESPOND: respond,
		OPTIONS: options,
		CRED_ID: credential.id,
		CRED_NAME: credential.name,
	};
}

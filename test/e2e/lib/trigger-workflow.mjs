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
	// These suites test transport (bytes, signatures, answers, payloads as sent): records as
	// Tartan sent them. The personal-data policy, on by default, is proven in personal-data.e2e.mjs.
	personalData = 'off',
}) {
	return {
		NAME: name,
		WEBHOOK_ID: webhookId,
		EVENTS: events,
		CUSTOM_EVENTS: customEvents,
		OUTPUT: output,
		RESPOND: respond,
		PERSONAL_DATA: personalData,
		OPTIONS: options,
		CRED_ID: credential.id,
		CRED_NAME: credential.name,
	};
}

// The manual workflows `npm run bench` compares, as n8n workflow objects: each
// Tartan action node beside the n8n built-in a user would otherwise wire up
// for the same job, with the same input, the same request and the same
// credential. (The webhook workflows are the e2e suite's templates.)

const position = (i) => [i * 240, 0];

function workflow(name, nodes) {
	const connections = {};
	for (let i = 0; i + 1 < nodes.length; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	return {
		name,
		nodes: nodes.map((node, i) => ({ id: `b3c1e5a0-0000-4000-8000-${String(i + 1).padStart(12, '0')}`, position: position(i), ...node })),
		connections,
		settings: { executionOrder: 'v1' },
	};
}

const manual = { name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} };

/** Code node making `count` items; `js` maps the index `i` to an item's json. */
const items = (count, js) => ({
	name: 'Items',
	type: 'n8n-nodes-base.code',
	typeVersion: 2,
	parameters: { jsCode: `return Array.from({ length: ${count} }, (_, i) => ({ json: ${js} }));` },
});

const credentialRef = (type, credential) => ({ [type]: { id: credential.id, name: credential.name } });

const REQUEST_ID_JS = "{ requestId: '00000000-0000-4000-8000-' + String(i).padStart(12, '0') }";
const EMPLOYEE_JS = "{ name: 'Employee ' + i, email: 'employee' + i + '@tartanhq.com', employeeId: 'E' + i }";

/** Manual → `count` items → Tartan Resend by request ID. */
export function resendWorkflow({ count, api }) {
	return workflow(`bench Tartan Resend ${count}`, [
		manual,
		items(count, REQUEST_ID_JS),
		{
			name: 'Tartan Resend',
			type: 'n8n-nodes-tartan.tartanResend',
			typeVersion: 1,
			parameters: { operation: 'request_id', requestId: '={{ $json.requestId }}', options: {} },
			credentials: credentialRef('tartanApi', api),
		},
	]);
}

/** Manual → `count` items → HTTP Request: the same POST with the same credential type. */
export function httpResendWorkflow({ count, api, baseUrl }) {
	return workflow(`bench HTTP Request resend ${count}`, [
		manual,
		items(count, REQUEST_ID_JS),
		{
			name: 'HTTP Request',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			parameters: {
				method: 'POST',
				url: `${baseUrl}/api/webhooks/resend`,
				authentication: 'predefinedCredentialType',
				nodeCredentialType: 'tartanApi',
				sendBody: true,
				bodyParameters: {
					parameters: [
						{ name: 'search_type', value: 'request_id' },
						{ name: 'request_id', value: '={{ $json.requestId }}' },
					],
				},
				options: {},
			},
			credentials: credentialRef('tartanApi', api),
		},
	]);
}

/** Manual → `count` employees → Tartan Sync Callback (JSON, Bearer) at `concurrency`. */
export function syncCallbackWorkflow({ count, bearer, concurrency }) {
	return workflow(`bench Tartan Sync Callback ${count} x${concurrency}`, [
		manual,
		items(count, EMPLOYEE_JS),
		{
			name: 'Tartan Sync Callback',
			type: 'n8n-nodes-tartan.tartanSyncCallback',
			typeVersion: 1,
			parameters: {
				authentication: 'bearerToken',
				send: 'fields',
				name: '={{ $json.name }}',
				email: '={{ $json.email }}',
				additionalFields: { field: [{ name: 'employeeId', value: '={{ $json.employeeId }}' }] },
				options: { concurrency },
			},
			credentials: credentialRef('tartanBearerApi', bearer),
		},
	]);
}

/** Manual → `count` employees → HTTP Request: the same sync callback POST with the same credential type. */
export function httpSyncCallbackWorkflow({ count, bearer, baseUrl }) {
	return workflow(`bench HTTP Request sync callback ${count}`, [
		manual,
		items(count, EMPLOYEE_JS),
		{
			name: 'HTTP Request',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			parameters: {
				method: 'POST',
				url: `${baseUrl}/api/external/sync/callback`,
				authentication: 'predefinedCredentialType',
				nodeCredentialType: 'tartanBearerApi',
				sendBody: true,
				bodyParameters: {
					parameters: [
						{ name: 'name', value: '={{ $json.name }}' },
						{ name: 'email', value: '={{ $json.email }}' },
						{ name: 'employeeId', value: '={{ $json.employeeId }}' },
					],
				},
				options: {},
			},
			credentials: credentialRef('tartanBearerApi', bearer),
		},
	]);
}

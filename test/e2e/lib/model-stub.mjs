// A chat model for the e2e suite: a small OpenAI-compatible server on
// 127.0.0.1 (POST /v1/chat/completions, GET /v1/models) that plays a model
// from a script. It records every request (what n8n's AI Agent sends: the
// messages, and the tools with their names, descriptions and JSON schemas),
// and answers each with the next step of the script: tool calls or a text.
// Non-streaming answers only (n8n's manual and "last node" runs do not stream).
import http from 'node:http';

/**
 * Starts the stub. `stub.script(steps)` queues answers; a step is a function
 * (request body, request number) -> { toolCalls: [{ name, args }] } or
 * { text }. A request with no step left gets a 500 (the test then fails on
 * the execution). Resolves to { url (the base URL, …/v1), requests, script(),
 * pending(), close() }.
 */
export async function startModelStub() {
	const requests = [];
	const steps = [];
	let calls = 0;
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			let body = null;
			try {
				body = text ? JSON.parse(text) : null;
			} catch {
				body = text;
			}
			const record = { method: req.method, path: req.url, authorization: req.headers.authorization, body };
			requests.push(record);
			const reply = (status, json) => {
				record.response = json;
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(json));
			};
			if (req.method === 'GET' && req.url.endsWith('/models')) {
				return reply(200, { object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', created: 0, owned_by: 'stub' }] });
			}
			if (req.method !== 'POST' || !req.url.endsWith('/chat/completions')) {
				return reply(404, { error: { message: `stub: no route ${req.method} ${req.url}`, type: 'invalid_request_error' } });
			}
			if (body?.stream) return reply(400, { error: { message: 'stub: streaming is not scripted', type: 'invalid_request_error' } });
			const step = steps.shift();
			if (!step) return reply(500, { error: { message: 'stub: no scripted answer left', type: 'server_error' } });
			let answer;
			try {
				answer = step(body, requests.length);
			} catch (error) {
				return reply(500, { error: { message: `stub: ${error.message}`, type: 'server_error' } });
			}
			calls += 1;
			const message = answer.toolCalls
				? {
						role: 'assistant',
						content: null,
						tool_calls: answer.toolCalls.map((call, i) => ({
							id: `call_${calls}_${i}`,
							type: 'function',
							function: { name: call.name, arguments: JSON.stringify(call.args) },
						})),
					}
				: { role: 'assistant', content: answer.text };
			reply(200, {
				id: `chatcmpl-${calls}`,
				object: 'chat.completion',
				created: Math.floor(Date.now() / 1000),
				model: body.model,
				choices: [{ index: 0, message, logprobs: null, finish_reason: answer.toolCalls ? 'tool_calls' : 'stop' }],
				usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
			});
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address();
	return {
		url: `http://127.0.0.1:${port}/v1`,
		requests,
		script: (list) => steps.push(...list),
		pending: () => steps.length,
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections?.();
				server.close(() => resolve());
			}),
	};
}

/** The tool messages (role "tool") of a chat completions request, parsed where they are JSON. */
export function toolResults(body) {
	return (body?.messages ?? [])
		.filter((m) => m.role === 'tool')
		.map((m) => {
			try {
				return { id: m.tool_call_id, content: JSON.parse(m.content) };
			} catch {
				return { id: m.tool_call_id, content: m.content };
			}
		});
}

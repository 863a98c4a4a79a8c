'use strict';
/**
 * A real local HTTP server for harness tests (plain CommonJS: `node:http` is off-limits to the
 * linted `.ts` files). It records every request (method, url, headers, raw + parsed body) and
 * answers with whatever the current responder returns (default: 200 echoing the JSON body).
 */
const http = require('node:http');

function parseBody(raw, contentType) {
	if (raw.length === 0) return undefined;
	const text = raw.toString('utf8');
	if ((contentType || '').includes('application/json')) {
		try {
			return JSON.parse(text);
		} catch {
			return text;
		}
	}
	return text;
}

const defaultResponder = (request) => ({
	status: 200,
	body: { ok: true, received: request.body === undefined ? null : request.body },
});

async function startHttpTestServer(responder = defaultResponder) {
	const requests = [];
	let current = responder;

	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', async () => {
			const raw = Buffer.concat(chunks);
			const record = {
				method: req.method,
				url: req.url,
				path: (req.url || '').split('?')[0],
				headers: req.headers,
				rawBody: raw,
				body: parseBody(raw, req.headers['content-type']),
			};
			requests.push(record);
			try {
				const reply = (await current(record)) || {};
				const status = reply.status ?? 200;
				const headers = { ...(reply.headers || {}) };
				let payload = reply.body;
				if (payload !== undefined && !Buffer.isBuffer(payload) && typeof payload !== 'string') {
					payload = JSON.stringify(payload);
					headers['content-type'] = headers['content-type'] || 'application/json';
				}
				res.writeHead(status, headers);
				res.end(payload);
			} catch (error) {
				res.writeHead(599, { 'content-type': 'text/plain' });
				res.end(`test server responder threw: ${error && error.message}`);
			}
		});
	});

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	const { port } = server.address();

	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		setResponder(next) {
			current = next || defaultResponder;
		},
		reset() {
			requests.length = 0;
			current = responder;
		},
		close() {
			return new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			});
		},
	};
}

module.exports = { startHttpTestServer };

export interface RecordedRequest {
	method: string;
	url: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	rawBody: Buffer;
	/** JSON-parsed when the request's content-type is JSON, otherwise the text (undefined if empty). */
	body: unknown;
}

export interface TestReply {
	status?: number;
	headers?: Record<string, string>;
	/** Objects are sent as JSON. */
	body?: unknown;
}

export type Responder = (request: RecordedRequest) => TestReply | Promise<TestReply>;

export interface HttpTestServer {
	/** e.g. http://127.0.0.1:41234 */
	url: string;
	requests: RecordedRequest[];
	setResponder(responder?: Responder): void;
	/** Forget recorded requests and go back to the initial responder. */
	reset(): void;
	close(): Promise<void>;
}

export declare function startHttpTestServer(responder?: Responder): Promise<HttpTestServer>;

/// <reference types="node" />

export declare function delay(ms: number): Promise<void>;
/** Tartan's Python HMAC snippet (seed 001) run through python3. */
export declare function pythonHmacHex(appSecretKey: string, bytes: Buffer): string;
export declare const PYTHON_SNIPPET: string;

export interface HmacReceiver {
	url: string;
	received: Array<{ headers: Record<string, string | string[] | undefined>; raw: Buffer; verified: boolean }>;
	close(): Promise<void>;
}
export declare function startHmacReceiver(appSecretKey: string): Promise<HmacReceiver>;

/** What the scripted receiver does with a verified delivery. */
export type ReceiverAction = number | { status: number; delayMs?: number } | 'hang' | 'reset';

export interface ReceivedDelivery {
	raw: Buffer;
	/** The tartan-signature header as received. */
	signature: string;
	/** The signature matched HMAC-SHA256(app key, raw). */
	verified: boolean;
	json: Record<string, unknown> | null;
	requestId: unknown;
	webhookCounter: unknown;
	/** What the receiver did (401 when not verified). */
	action?: ReceiverAction;
}

export interface ScriptedReceiver {
	url: string;
	received: ReceivedDelivery[];
	/** Decides the answer to each verified delivery; may be replaced at any time. */
	respond: (delivery: ReceivedDelivery) => ReceiverAction | Promise<ReceiverAction>;
	stats: { inFlight: number; maxInFlight: number };
	close(): Promise<void>;
}
export declare function startScriptedReceiver(
	appSecretKey: string,
	respond?: (delivery: ReceivedDelivery) => ReceiverAction | Promise<ReceiverAction>,
): Promise<ScriptedReceiver>;
/** http://127.0.0.1:<a port just released>/webhook */
export declare function closedPortUrl(): Promise<string>;

export interface ScriptRun {
	code: number | null;
	stdout: string;
	stderr: string;
}
/** Runs test/sandbox/<script> with node, TARTAN_* and SANDBOX_PORT removed from the env unless given. */
export declare function runScript(script: string, args?: string[], env?: Record<string, string>): Promise<ScriptRun>;

export interface RunningCli {
	url: string;
	output(): string;
	stop(): Promise<{ code: number | null; signal: string | null; output: string }>;
}
/** `node cli.js ...args` with SANDBOX_PORT=0; TARTAN_WEBHOOK_URL removed unless given in env. */
export declare function startCli(args?: string[], env?: Record<string, string>): Promise<RunningCli>;

export declare function tamperedOpenapiCopy(mutate: (file: string, text: string) => string): {
	dir: string;
	cleanup(): void;
};
export declare function seedsDirExists(dir: string): boolean;

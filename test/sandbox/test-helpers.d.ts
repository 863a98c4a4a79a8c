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
export declare function startCli(): Promise<RunningCli>;

export declare function tamperedOpenapiCopy(mutate: (file: string, text: string) => string): {
	dir: string;
	cleanup(): void;
};
export declare function seedsDirExists(dir: string): boolean;

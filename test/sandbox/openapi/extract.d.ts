export type OpenApiFile = 'resend.yaml' | 'sync-callback.yaml';

export interface OpenApiCheck {
	status: 'ok' | 'mismatch' | 'skipped';
	seedsDir: string;
	openapiDir: string;
	files: Array<{ file: OpenApiFile; status: 'ok' | 'differs' | 'missing' }>;
	message: string;
}

export interface OpenApiDirs {
	/** Default: ../shared/seeds relative to the repository root. */
	seedsDir?: string;
	/** Default: test/sandbox/openapi. */
	openapiDir?: string;
}

/** The YAML text between the "````yaml <METHOD> <PATH>" and "````" lines, per target file. Throws if the folder or a block is missing. */
export declare function extractOpenApi(seedsDir?: string): Record<OpenApiFile, string>;
/** Compares the committed YAML with a fresh extraction; "skipped" when the seeds folder does not exist. */
export declare function checkOpenApi(dirs?: OpenApiDirs): OpenApiCheck;
/** Writes the extracted YAML; returns the paths written. */
export declare function writeOpenApi(dirs?: OpenApiDirs): string[];
export declare function findYamlBlocks(source: string): Array<{ operation: string; text: string }>;
export declare const TARGETS: ReadonlyArray<{ file: OpenApiFile; operation: string }>;
export declare const DEFAULT_SEEDS_DIR: string;
export declare const DEFAULT_OPENAPI_DIR: string;

export type ValidationResult = { ok: true; schemaName?: string } | { ok: false; message: string };

export interface ResendSpec {
	doc: Record<string, unknown>;
	/** The discriminator property, "search_type". */
	tag: string;
	/** The ten search_type values, in the seed's oneOf order. */
	searchTypes: string[];
	/** Effective (allOf-merged, stricter) schema per component name. */
	effectiveSchemas: Record<string, Record<string, unknown>>;
	/** Component schema name selected by a search_type value, or null. */
	schemaFor(searchType: string): string | null;
	/** The seed's documented 200 message. */
	successMessage: string;
	validate(body: unknown): ValidationResult;
}

export interface CallbackSpec {
	doc: Record<string, unknown>;
	mediaTypes: string[];
	validateJson(body: unknown): ValidationResult;
	/** Validates multipart text fields (name -> value). */
	validateForm(fields: Record<string, unknown>): ValidationResult;
}

export declare function loadSpec(): { resend: ResendSpec; callback: CallbackSpec };
export declare function buildResend(file?: string): ResendSpec;
export declare function buildCallback(file?: string): CallbackSpec;
export declare const STRICTER_THAN_SEED: Readonly<{
	resendAdditionalProperties: false;
	resendSearchTypeRequired: true;
	nonEmptyArrays: readonly string[];
}>;
export declare const RESEND_PATH: '/api/webhooks/resend';
export declare const CALLBACK_PATH: '/api/external/sync/callback';
export declare const OPENAPI_DIR: string;

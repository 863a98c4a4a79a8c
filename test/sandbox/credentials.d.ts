/** Credentials accepted by the local Tartan sandbox (fixed, fake values). */
export interface SandboxCredentials {
	/** Resend (TokenAuth): the exact value of the Authorization header, no "Bearer" prefix. */
	apiKey: string;
	/** Sync callback with application/json: `Authorization: Bearer <bearerToken>`. */
	bearerToken: string;
	/** Sync callback with multipart/form-data: header `username`. */
	username: string;
	/** Sync callback with multipart/form-data: header `password`. */
	password: string;
	/** Webhook signing key: tartan-signature = HMAC-SHA256 hex of the raw body. */
	appSecretKey: string;
}

export declare const SANDBOX_CREDENTIALS: Readonly<SandboxCredentials>;

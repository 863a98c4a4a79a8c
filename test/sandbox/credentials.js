'use strict';
/**
 * Fixed, obviously fake credentials accepted by the local Tartan sandbox.
 * They are not secrets: they only unlock a server bound to 127.0.0.1 in tests.
 */
const b64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

const SANDBOX_CREDENTIALS = Object.freeze({
	/** Resend (TokenAuth): the raw value of the Authorization header. */
	apiKey: 'sandbox-api-key-not-a-real-secret',
	/**
	 * Sync callback, application/json: "Authorization: Bearer <bearerToken>".
	 * JWT-shaped (Tartan's bearerAuth is a JWT, and the credential's local test
	 * checks that), with no expiry; its "signature" is plain text.
	 */
	bearerToken: `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ sub: 'sandbox', note: 'not a real secret' })}.sandbox-signature-not-a-real-secret`,
	/** Sync callback, multipart/form-data: headers "username" and "password". */
	username: 'sandbox-user',
	password: 'sandbox-password-not-a-real-secret',
	/** Webhook signing key (app_key): tartan-signature = HMAC-SHA256 hex of the raw body. */
	appSecretKey: 'sandbox-app-key-not-a-real-secret',
});

module.exports = { SANDBOX_CREDENTIALS };

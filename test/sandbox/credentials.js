'use strict';
/**
 * Fixed, obviously fake credentials accepted by the local Tartan sandbox.
 * They are not secrets: they only unlock a server bound to 127.0.0.1 in tests.
 */
const SANDBOX_CREDENTIALS = Object.freeze({
	/** Resend (TokenAuth): the raw value of the Authorization header. */
	apiKey: 'sandbox-api-key-not-a-real-secret',
	/** Sync callback, application/json: "Authorization: Bearer <bearerToken>". */
	bearerToken: 'sandbox-bearer-token-not-a-real-secret',
	/** Sync callback, multipart/form-data: headers "username" and "password". */
	username: 'sandbox-user',
	password: 'sandbox-password-not-a-real-secret',
	/** Webhook signing key (app_key): tartan-signature = HMAC-SHA256 hex of the raw body. */
	appKey: 'sandbox-app-key-not-a-real-secret',
});

module.exports = { SANDBOX_CREDENTIALS };

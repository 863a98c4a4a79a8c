'use strict';
/**
 * The minimal `@n8n/di` Container setup n8n-core's execution engine needs in-process.
 *
 * Plain CommonJS on purpose: it needs `@n8n/di` and `@n8n/backend-common` (not devDependencies
 * of this package, only dependencies of n8n-core) and `node:os`, which the `.ts` lint rules forbid.
 *
 * n8n-core resolves these services with `Container.get(...)`:
 *   - InstanceSettings (every node execution context's constructor): the real class reads or
 *     WRITES ~/.n8n/config, so we register an instance built on its prototype without running
 *     the constructor (no disk access; fixed test encryption key / HMAC secret).
 *   - Logger (`@n8n/backend-common`): a silent stub.
 *   - ErrorReporter: a stub that records what n8n-core would report (to Sentry).
 *   - BinaryDataService: the real class, never `init()`-ed, so it has no storage manager and keeps
 *     binary data inline (base64 in `data`), the same thing n8n's own nodes-testing
 *     `InlineBinaryDataService` does. prepareBinaryData / getBinaryDataBuffer work.
 *   - SSHClientsManager: the real one, with its never-unref()-ed cleanup interval unref()-ed
 *     (otherwise jest does not exit).
 * Everything else n8n-core asks the Container for (Cipher, ExecutionContextService,
 * ExecutionContextHookRegistry, SecurityConfig, ...) is constructed by the Container itself
 * from these.
 *
 * `@n8n/di` and `@n8n/backend-common` are resolved FROM n8n-core's own location: n8n-core
 * ships nested copies, and a different copy would be a different Container / Logger token.
 */
const os = require('node:os');
const path = require('node:path');

const core = require('n8n-core');

const coreDir = path.dirname(require.resolve('n8n-core'));
const requireFromCore = (id) => require(require.resolve(id, { paths: [coreDir] }));

const { Container } = requireFromCore('@n8n/di');
const { Logger } = requireFromCore('@n8n/backend-common');

const ENCRYPTION_KEY = 'n8n-nodes-tartan-harness-encryption-key';

function createSilentLogger() {
	const logger = {
		error() {},
		warn() {},
		info() {},
		debug() {},
		verbose() {},
		scoped() {
			return logger;
		},
	};
	return logger;
}

const reportedErrors = [];

function createErrorReporter() {
	return {
		error(error, options) {
			reportedErrors.push({ level: 'error', error, options });
		},
		warn(warning, options) {
			reportedErrors.push({ level: 'warning', error: warning, options });
		},
		info(message, options) {
			reportedErrors.push({ level: 'info', error: message, options });
		},
		async init() {},
		async shutdown() {},
	};
}

function createInstanceSettings() {
	const crypto = require('node:crypto');
	const settings = Object.create(core.InstanceSettings.prototype);
	const n8nFolder = path.join(os.tmpdir(), 'n8n-nodes-tartan-harness', '.n8n');
	Object.assign(settings, {
		n8nFolder,
		staticCacheDir: path.join(n8nFolder, 'cache'),
		customExtensionDir: path.join(n8nFolder, 'custom'),
		nodesDownloadDir: path.join(n8nFolder, 'nodes'),
		settingsFile: path.join(n8nFolder, 'config'),
		enforceSettingsFilePermissions: { isSet: false, enforce: false },
		instanceRole: 'unset',
		isMultiMainEnabled: false,
		isMultiMainLicensed: false,
		instanceType: 'main',
		hostId: 'main-harness',
		settings: { encryptionKey: ENCRYPTION_KEY },
		instanceId: crypto.createHash('sha256').update(ENCRYPTION_KEY).digest('hex'),
		hmacSignatureSecret: crypto
			.createHash('sha256')
			.update(`hmac-signature:${ENCRYPTION_KEY}`)
			.digest('hex'),
	});
	// Never let the harness write n8n's settings file.
	settings.save = function save(newSettings) {
		this.settings = newSettings;
	};
	return settings;
}

let configured = false;

function setupN8nCoreContainer() {
	if (configured) return;
	const logger = createSilentLogger();
	const errorReporter = createErrorReporter();
	Container.set(Logger, logger);
	Container.set(core.ErrorReporter, errorReporter);
	Container.set(core.InstanceSettings, createInstanceSettings());
	const binaryDataConfig = Object.assign(Object.create(core.BinaryDataConfig.prototype), {
		mode: 'default',
		availableModes: ['default'],
		localStoragePath: path.join(os.tmpdir(), 'n8n-nodes-tartan-harness', 'binaryData'),
		signingSecret: 'n8n-nodes-tartan-harness-binary-signing-secret',
		dbMaxFileSize: 512,
	});
	Container.set(core.BinaryDataConfig, binaryDataConfig);
	// Not init()-ed on purpose: without a manager, binary data stays inline (base64).
	Container.set(
		core.BinaryDataService,
		new core.BinaryDataService(binaryDataConfig, errorReporter, logger),
	);
	// SSHClientsManager (built by every ExecuteContext for this.helpers.getSSHClient) starts a
	// 60 s cleanup setInterval in its constructor that is never unref()-ed, which keeps jest from
	// exiting. Build the real one now and unref that timer.
	const { SSHClientsManager } = require(path.join(coreDir, 'execution-engine', 'ssh-clients-manager'));
	const sshClientsManager = Container.get(SSHClientsManager);
	if (sshClientsManager.cleanupTimer && typeof sshClientsManager.cleanupTimer.unref === 'function') {
		sshClientsManager.cleanupTimer.unref();
	}
	configured = true;
}

module.exports = { setupN8nCoreContainer, reportedErrors };

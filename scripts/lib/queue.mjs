// n8n's queue mode (scale-out), as a self-hoster runs it: PostgreSQL and
// Redis (services.mjs), one main process (editor, REST and public API; no
// production webhooks), a webhook processor (`n8n webhook`) that receives the
// production webhooks, and workers (`n8n worker`) that run the executions.
// Every process has its own user folder with this package installed in it, as
// on separate machines, and the same encryption key.
import fs from 'node:fs';

import { freePort, startN8n } from './n8n.mjs';
import { startPostgres, startRedis } from './services.mjs';

/** Worker lock settings under which a killed worker's jobs are noticed after ~10 s instead of n8n's default 60 s. */
export const FAST_FAILOVER_ENV = Object.freeze({
	QUEUE_WORKER_LOCK_DURATION: '10000',
	QUEUE_WORKER_LOCK_RENEW_TIME: '2000',
	QUEUE_WORKER_STALLED_INTERVAL: '5000',
});

/**
 * Starts the stack. Options:
 *  - workers: how many workers (default 2); one webhook processor
 *  - env: extra environment for every n8n process
 *  - ports: fixed ports { main, webhook, workers: [health ports], postgres, redis } (default: free ones)
 *  - folders: persistent folders { main, webhook, workers: [...], postgres } (default: temp folders, removed on stop)
 *  - publicHost: the host name the editor and webhook URLs show (default 127.0.0.1)
 *  - signalHandlers: as for startN8n
 * Resolves to { main, webhook, workers: [..], processes, postgres, redis,
 * restart(name), stop() }; production webhooks are at `${webhook.publicUrl}/webhook/…`.
 * `restart('webhook' | 'worker-N')` SIGKILLs that process (if it still runs) and
 * starts it again on the same port and user folder, as a supervisor would.
 */
export async function startQueueStack({
	workers: workerCount = 2,
	env = {},
	ports = {},
	folders = {},
	publicHost = '127.0.0.1',
	signalHandlers = true,
	log = () => {},
} = {}) {
	const stack = { main: undefined, webhook: undefined, workers: [], postgres: undefined, redis: undefined };
	const n8nProcesses = () => [stack.main, stack.webhook, ...stack.workers].filter(Boolean);
	// Temp folders a restarted process kept (a restart reuses the killed process's folder)
	const restartedFolders = new Set();
	const stop = async () => {
		// The n8n processes first (workers hold jobs, all hold connections), then the services
		await Promise.allSettled(n8nProcesses().map((p) => p.stop()));
		await Promise.allSettled([stack.redis?.stop(), stack.postgres?.stop()]);
		if (process.env.N8N_E2E_KEEP !== '1') for (const folder of restartedFolders) fs.rmSync(folder, { recursive: true, force: true });
	};
	try {
		log('starting PostgreSQL and Redis...');
		[stack.postgres, stack.redis] = await Promise.all([
			startPostgres({ port: ports.postgres, dataDir: folders.postgres }),
			startRedis({ port: ports.redis }),
		]);
		const webhookPort = ports.webhook ?? (await freePort());
		const webhookUrl = `http://${publicHost}:${webhookPort}`;
		const queueEnv = {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: stack.postgres.host,
			DB_POSTGRESDB_PORT: String(stack.postgres.port),
			DB_POSTGRESDB_DATABASE: stack.postgres.database,
			DB_POSTGRESDB_USER: stack.postgres.user,
			DB_POSTGRESDB_PASSWORD: '',
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: stack.redis.host,
			QUEUE_BULL_REDIS_PORT: String(stack.redis.port),
			// Manual runs from the editor go to the workers too (and 2.8 warns without it)
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			// Production webhooks are the webhook processor's job, not the main's
			WEBHOOK_URL: `${webhookUrl}/`,
			...env,
		};

		// The main first: it runs the database migrations the others wait for
		log('starting the n8n main process...');
		stack.main = await startN8n({
			command: 'start',
			name: 'main',
			port: ports.main,
			userFolder: folders.main,
			publicUrl: ports.main ? `http://${publicHost}:${ports.main}` : undefined,
			env: { ...queueEnv, N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' },
			signalHandlers,
		});

		log(`starting the webhook processor and ${workerCount} worker(s)...`);
		const roles = [
			{ command: 'webhook', name: 'webhook', port: webhookPort, userFolder: folders.webhook, publicUrl: webhookUrl, place: (p) => (stack.webhook = p) },
			...Array.from({ length: workerCount }, (_, index) => ({
				command: 'worker',
				name: `worker-${index + 1}`,
				port: ports.workers?.[index],
				userFolder: folders.workers?.[index],
				place: (p) => (stack.workers[index] = p),
			})),
		];
		const startRole = async (role) => role.place(await startN8n({ ...role, env: queueEnv, signalHandlers }));
		// Every start settles before a failure is thrown, so that stop() reaches all of them
		const outcomes = await Promise.allSettled(roles.map(startRole));
		const failed = outcomes.find((o) => o.status === 'rejected');
		if (failed) throw failed.reason;
		stack.restart = async (name) => restartRole(roles.find((r) => r.name === name), n8nProcesses(), startRole, restartedFolders);
	} catch (error) {
		await stop();
		throw error;
	}
	return {
		...stack,
		get webhook() {
			return stack.webhook;
		},
		get workers() {
			return stack.workers;
		},
		get processes() {
			return n8nProcesses();
		},
		stop,
	};
}

/** SIGKILL a webhook processor or worker (if it still runs) and start it again with the same port and folder. */
async function restartRole(role, running, startRole, restartedFolders) {
	if (!role) throw new Error('restart: only the webhook processor and the workers can be restarted');
	const old = running.find((p) => p.name === role.name);
	if (old) {
		await old.kill('SIGKILL');
		if (role.userFolder === undefined) restartedFolders.add(old.userFolder);
	}
	return await startRole({ ...role, port: old?.port ?? role.port, userFolder: old?.userFolder ?? role.userFolder });
}

// n8n's queue mode (scale-out), as a self-hoster runs it: PostgreSQL and
// Redis (services.mjs), one main process (editor, REST and public API; no
// production webhooks), webhook processors (`n8n webhook`) that receive the
// production webhooks, and workers (`n8n worker`) that run the executions.
// Every process has its own user folder with this package installed in it, as
// on separate machines, and the same encryption key.
import { freePort, startN8n } from './n8n.mjs';
import { startPostgres, startRedis } from './services.mjs';

/**
 * Starts the stack. Options:
 *  - workers: how many workers (default 2); webhookProcessors: how many (default 1)
 *  - env: extra environment for every n8n process
 *  - ports: fixed ports { main, webhook, workers: [health ports], postgres, redis } (default: free ones)
 *  - folders: persistent folders { main, webhook, workers: [...], postgres } (default: temp folders, removed on stop)
 *  - publicHost: the host name the editor and webhook URLs show (default 127.0.0.1)
 *  - signalHandlers: as for startN8n
 * Resolves to { main, webhooks: [..], workers: [..], processes, postgres, redis,
 * webhookUrl, queueEnv, startWorker(index), stop() }.
 */
export async function startQueueStack({
	workers: workerCount = 2,
	webhookProcessors = 1,
	env = {},
	ports = {},
	folders = {},
	publicHost = '127.0.0.1',
	signalHandlers = true,
	log = () => {},
} = {}) {
	const stack = { main: undefined, webhooks: [], workers: [], postgres: undefined, redis: undefined };
	const stop = async () => {
		// Workers and webhook processors first (they hold jobs and connections), then the main, then the services
		const n8nProcesses = [...stack.workers, ...stack.webhooks, stack.main].filter(Boolean);
		await Promise.allSettled(n8nProcesses.map((p) => p.stop()));
		await Promise.allSettled([stack.redis?.stop(), stack.postgres?.stop()]);
	};
	try {
		log('starting PostgreSQL and Redis...');
		[stack.postgres, stack.redis] = await Promise.all([
			startPostgres({ port: ports.postgres, dataDir: folders.postgres }),
			startRedis({ port: ports.redis }),
		]);
		const webhookPorts = [];
		for (let i = 0; i < webhookProcessors; i++) webhookPorts.push(ports.webhooks?.[i] ?? (i === 0 ? ports.webhook : undefined) ?? (await freePort()));
		const webhookUrl = `http://${publicHost}:${webhookPorts[0]}`;
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
			// Production webhooks are the webhook processors' job, not the main's
			WEBHOOK_URL: `${webhookUrl}/`,
			...env,
		};
		stack.queueEnv = queueEnv;
		stack.webhookUrl = webhookUrl;

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

		stack.startWorker = async (index) => {
			const worker = await startN8n({
				command: 'worker',
				name: `worker-${index + 1}`,
				port: ports.workers?.[index],
				userFolder: folders.workers?.[index],
				env: queueEnv,
				signalHandlers,
			});
			stack.workers[index] = worker;
			return worker;
		};
		log(`starting ${webhookProcessors} webhook processor(s) and ${workerCount} worker(s)...`);
		await Promise.all([
			...webhookPorts.map(async (port, index) => {
				stack.webhooks[index] = await startN8n({
					command: 'webhook',
					name: `webhook-${index + 1}`,
					port,
					userFolder: folders.webhooks?.[index] ?? (index === 0 ? folders.webhook : undefined),
					publicUrl: `http://${publicHost}:${port}`,
					env: queueEnv,
					signalHandlers,
				});
			}),
			...Array.from({ length: workerCount }, (_, index) => stack.startWorker(index)),
		]);
	} catch (error) {
		await stop();
		throw error;
	}
	return {
		...stack,
		get processes() {
			return [stack.main, ...stack.webhooks, ...stack.workers].filter(Boolean);
		},
		webhook: stack.webhooks[0],
		stop,
	};
}

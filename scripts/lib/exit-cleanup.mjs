// What the scripts and tests start (n8n, PostgreSQL, Redis, Verdaccio), killed
// if this process goes away first: one registry for all of them.
import os from 'node:os';

const live = new Set();
let exitHooked = false;
let signalsHooked = false;

/**
 * On exit, everything registered with killOnExit() is killed (its killNow()).
 * With `signals`, SIGINT, SIGTERM and SIGHUP make this process exit (so that
 * happens) instead of dying without an 'exit' event; a caller with its own
 * signal handling (the dev launcher) leaves them alone.
 */
export function installExitCleanup({ signals = true } = {}) {
	if (!exitHooked) {
		exitHooked = true;
		process.on('exit', () => {
			for (const thing of live) thing.killNow();
		});
	}
	if (!signals || signalsHooked) return;
	signalsHooked = true;
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		process.once(signal, () => process.exit(128 + (os.constants.signals[signal] ?? 1)));
	}
}

/** Registers something with a synchronous killNow(). */
export function killOnExit(thing) {
	live.add(thing);
}

/** Unregisters it (it was stopped). */
export function forget(thing) {
	live.delete(thing);
}

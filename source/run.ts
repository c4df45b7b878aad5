import {UsageError, type RunConfig} from './config.js';
import {toPollError} from './poller.js';
import {promptHidden} from './prompt.js';
import {openSource, type OpenedSource} from './sources.js';
import {INSECURE_WARNING} from './tableau/client.js';
import {createWatch} from './watch.js';

/** Runs one of the watching modes and resolves to the exit code. */
export async function run(config: RunConfig, tool: string): Promise<number> {
	const stop = new AbortController();
	const onSignal = () => stop.abort();
	const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
	const dashboard = config.output === 'dashboard';
	if (!dashboard) {
		for (const signal of signals) {
			process.on(signal, onSignal);
		}
	}

	// Before anything goes over the wire, and whether or not the sign-in then works: every run says so.
	if (config.source.kind === 'live' && config.source.insecure) {
		process.stderr.write(`backfill-top: ${INSECURE_WARNING}\n`);
	}

	// The dashboard's modules (Ink, React, yoga) take a few hundred ms to load: load them while the
	// sign-in is on the wire. The terminal environment must be set first (chalk reads it on import).
	let dashboardModule: Promise<typeof import('./modes/dashboard.js')> | undefined;
	if (dashboard) {
		prepareTerminalEnvironment(config.color);
		dashboardModule = import('./modes/dashboard.js');
		dashboardModule.catch(() => undefined);
	}

	let opened: OpenedSource;
	try {
		opened = await openSource(config, {
			tool,
			signal: stop.signal,
			shiftReplayTimes: dashboard,
			askPassword: username => promptHidden(`Password for ${username}: `, process.stdin, process.stderr),
		});
	} catch (error) {
		// A --replay or --record file that cannot be used is a mistake on the command line, like a bad flag.
		if (error instanceof UsageError) {
			process.stderr.write(`backfill-top: ${error.message}\n`);
			return 2;
		}

		reportError(error);
		return 1;
	}

	for (const notice of opened.notices) {
		process.stderr.write(`backfill-top: ${notice}\n`);
	}

	// A replay paces itself from the recording's own times.
	const replay = config.source.kind === 'replay';
	try {
		switch (config.output) {
			case 'once': {
				const {runOnce} = await import('./modes/once.js');
				try {
					await runOnce(opened.source, {json: config.json, out: process.stdout, initialHistory: opened.initialHistory}, stop.signal);
					return 0;
				} catch (error) {
					reportError(error);
					return 1;
				}
			}

			case 'plain':
			case 'wait': {
				const {runPlain} = await import('./modes/plain.js');
				return await runPlain(
					opened.source,
					{
						out: process.stdout,
						intervalSeconds: replay ? 0 : config.intervalSeconds,
						minIntervalSeconds: replay ? 0 : undefined,
						wait: config.output === 'wait',
						quiet: config.quiet,
						stallTimeoutMinutes: config.stallTimeoutMinutes,
						initialHistory: opened.initialHistory,
						finished: opened.finished,
						failureClock: opened.failureClock,
					},
					stop.signal,
				);
			}

			case 'dashboard': {
				// The first request goes out while Ink is still loading; the dashboard mounts with its answer.
				const watch = createWatch(opened.source, {
					intervalSeconds: replay ? 0.5 : config.intervalSeconds,
					minIntervalSeconds: replay ? 0 : undefined,
					initialHistory: opened.initialHistory,
				});
				watch.poller.start();
				try {
					const {runDashboard} = await (dashboardModule ?? import('./modes/dashboard.js'));
					return await runDashboard(watch, config);
				} finally {
					watch.poller.stop();
				}
			}
		}

		return 1;
	} finally {
		for (const signal of signals) {
			process.off(signal, onSignal);
		}

		await opened.close();
	}
}

function reportError(error: unknown): void {
	const {message, action} = toPollError(error);
	process.stderr.write(`backfill-top: ${message} ${action}\n`);
}

/**
 * Ink and chalk read the environment when they load: `CI` in it silences Ink's live rendering and
 * chalk's colors even on a real terminal, and chalk ignores NO_COLOR. The dashboard only runs on a
 * TTY, so it is drawn live; colors follow --no-color / NO_COLOR.
 */
function prepareTerminalEnvironment(color: boolean): void {
	for (const name of Object.keys(process.env)) {
		if (name === 'CI' || name === 'CONTINUOUS_INTEGRATION' || name.startsWith('CI_')) {
			delete process.env[name];
		}
	}

	if (!color) {
		process.env.FORCE_COLOR = '0';
	}
}

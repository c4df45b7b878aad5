/**
 * The terminal sessions that the bytes and the CPU benchmarks both read: the built command in a
 * 120x40 tmux pane against the simulator, steady polling after a settle. Three configurations run
 * side by side (each its own tmux server, simulator and monitor), `runs` times:
 *   - interval 2: a running backfill at real pace (time scale 1, two hours in), --interval 2;
 *   - default: the same at the default interval (15 s);
 *   - default, nothing changing: the same with the server clock frozen (time scale 0), so no poll
 *     brings news.
 * At real pace a type reaches a new checkpoint about once a minute and the six types' checkpoints
 * never coincide, so such a poll changes one content row (plus what follows from it in the header).
 * The results are cached, so that `npm run bench` measures them once for both tables.
 */
import {runSession, type SessionOptions, type SessionResult} from './dashboard-session.js';
import type {BenchOptions} from './options.js';

export interface SessionConfig {
	readonly name: string;
	readonly options: Omit<SessionOptions, 'seconds'>;
}

export const SESSION_CONFIGS: readonly SessionConfig[] = [
	{name: '--interval 2', options: {scenario: 'realistic', timeScale: 1, elapsedAtStart: 7200, interval: 2, settleSeconds: 5}},
	{name: 'default (15 s)', options: {scenario: 'realistic', timeScale: 1, elapsedAtStart: 7200, interval: null, settleSeconds: 20}},
	{name: 'default, nothing changing', options: {scenario: 'realistic', timeScale: 0, elapsedAtStart: 7200, interval: null, settleSeconds: 20}},
];

let cached: Promise<Map<string, SessionResult[]>> | undefined;

export function terminalSessions(options: BenchOptions, log: (line: string) => void): Promise<Map<string, SessionResult[]>> {
	cached ??= (async () => {
		const results = new Map<string, SessionResult[]>(SESSION_CONFIGS.map(c => [c.name, []]));
		for (let run = 1; run <= options.runs; run++) {
			log(`terminal sessions: run ${run} of ${options.runs} (${SESSION_CONFIGS.length} side by side, ${options.seconds} s each)`);
			const done = await Promise.all(SESSION_CONFIGS.map(async config => ({config, result: await runSession({...config.options, seconds: options.seconds})})));
			for (const {config, result} of done) {
				results.get(config.name)?.push(result);
			}
		}

		return results;
	})();
	return cached;
}

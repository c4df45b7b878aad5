/**
 * Benchmark 3, start: from exec (the shell's clock just before it execs the command) to the
 * terminal receiving the last byte of the first complete frame (every panel, every type, the key
 * bar), which includes sign-in and the first status request to the simulator.
 */
import {type Benchmark, verdict} from './lib/benchmark.js';
import {runSession} from './lib/dashboard-session.js';
import {median, percentile} from './lib/stats.js';
import {table, thousands} from './lib/table.js';

const BUDGET_MS = 500;

export const startupTime: Benchmark = {
	name: 'start',
	title: 'Start: exec to first complete frame',
	async run(options, log) {
		const times: number[] = [];
		for (let run = 1; run <= options.starts; run++) {
			log(`start: run ${run} of ${options.starts}`);
			const result = await runSession({scenario: 'realistic', timeScale: 1, elapsedAtStart: 7200, interval: null, seconds: 0});
			times.push(result.startupMs);
		}

		const value = median(times);
		return [
			table(`Start: exec to first complete frame, ${options.starts} runs (ms)`, ['runs', 'median', 'min', 'p90', 'max'], [
				[String(times.length), thousands(value), thousands(Math.min(...times)), thousands(percentile(times, 90)), thousands(Math.max(...times))],
			]),
			`  median ${thousands(value)} ms <= ${BUDGET_MS} ms: ${verdict(value <= BUDGET_MS)}`,
		].join('\n');
	},
};

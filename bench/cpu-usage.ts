/**
 * Benchmark 2, CPU: utime + stime of the monitor's process (/proc/<pid>/stat) over the steady window
 * of the same terminal sessions as the bytes benchmark, as % of one core.
 */
import {type Benchmark, verdict} from './lib/benchmark.js';
import {median} from './lib/stats.js';
import {fixed, table} from './lib/table.js';
import {SESSION_CONFIGS, terminalSessions} from './lib/terminal-sessions.js';

/** `watch -n 2 'curl … | jq .'` measured 1.53 % on this machine. */
const INTERVAL_2_BUDGET = 1.53;
const DEFAULT_BUDGET = 0.15;

export const cpuUsage: Benchmark = {
	name: 'cpu',
	title: 'CPU (utime + stime)',
	async run(options, log) {
		const sessions = await terminalSessions(options, log);
		const rows: string[][] = [];
		const checks: string[] = [];
		for (const config of SESSION_CONFIGS) {
			const results = sessions.get(config.name) ?? [];
			const percents = results.map(r => (r.cpuSeconds / r.windowSeconds) * 100);
			const value = median(percents);
			rows.push([
				config.name,
				String(results.length),
				fixed(median(results.map(r => r.cpuSeconds)), 2),
				fixed(value, 2),
				`${fixed(Math.min(...percents), 2)}-${fixed(Math.max(...percents), 2)}`,
			]);
			if (config.name === '--interval 2') {
				checks.push(`--interval 2: ${fixed(value, 2)} % < ${INTERVAL_2_BUDGET} % (watch -n 2): ${verdict(value < INTERVAL_2_BUDGET)}`);
			}

			if (config.name === 'default, nothing changing') {
				checks.push(`default interval, nothing changing: ${fixed(value, 2)} % <= ${DEFAULT_BUDGET} %: ${verdict(value <= DEFAULT_BUDGET)}`);
			}
		}

		return [
			table(`CPU: median of ${options.runs} runs, ${options.seconds} s windows, % of one core (clock ticks of 10 ms)`, ['configuration', 'runs', 'CPU s', '% core', 'range'], rows),
			...checks.map(c => `  ${c}`),
		].join('\n');
	},
};

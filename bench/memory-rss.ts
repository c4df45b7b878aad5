/**
 * Benchmark 4, memory: resident set size of the dashboard (App under Ink, production React) after
 * one day and after seven days of 15-second polls of the simulator's 'week' scenario (a large server
 * whose content phase lasts about six days, so every type keeps reaching checkpoints), each taken
 * after two full garbage collections. The history is bounded, so day 7 should match day 1.
 */
import {type Benchmark, verdict} from './lib/benchmark.js';
import {replayRun} from './lib/replay-run.js';
import {median} from './lib/stats.js';
import {fixed, table} from './lib/table.js';
import {SESSION_CONFIGS, terminalSessions} from './lib/terminal-sessions.js';

const BUDGET_MB = 100;
const GROWTH_BUDGET = 0.1;

export const memoryRss: Benchmark = {
	name: 'memory',
	title: 'Memory: RSS over days of polls',
	async run(options, log) {
		const result = await replayRun(options, log);
		const rows = result.rssAtDay.map((rss, index) => [`day ${index + 1}`, String((index + 1) * 5760), fixed(rss, 1), fixed(result.heapAtDay[index] ?? Number.NaN, 1)]);
		const first = result.rssAtDay[0] ?? Number.NaN;
		const last = result.rssAtDay.at(-1) ?? Number.NaN;
		const peak = Math.max(...result.rssAtDay);
		const growth = (last - first) / first;
		const heapFirst = result.heapAtDay[0] ?? Number.NaN;
		const heapLast = result.heapAtDay.at(-1) ?? Number.NaN;
		const sessions = await terminalSessions(options, log);
		const live = SESSION_CONFIGS.map(config => {
			const results = sessions.get(config.name) ?? [];
			return [config.name, String(results.length), fixed(median(results.map(r => r.rssMb)), 1), fixed(Math.max(...results.map(r => r.rssMb)), 1)];
		});
		return [
			table(`Memory: RSS (MB) after each day of 15-second polls (one run, ${result.polls} polls in ${fixed(result.seconds, 0)} s; RSS before the first frame ${fixed(result.startRss, 1)} MB)`, ['after', 'polls', 'RSS MB', 'heap used MB'], rows),
			table(`The built command's VmRSS (MB) at the end of each terminal session (benchmarks 1-2, ${options.seconds} s windows)`, ['configuration', 'runs', 'median', 'max'], live),
			`  largest RSS in the replay ${fixed(peak, 1)} MB < ${BUDGET_MB} MB: ${verdict(peak < BUDGET_MB)}`,
			`  day ${result.rssAtDay.length} vs day 1: RSS ${growth >= 0 ? '+' : ''}${fixed(growth * 100, 1)} % (within ${GROWTH_BUDGET * 100} %): ${verdict(Math.abs(growth) <= GROWTH_BUDGET)}; heap used ${fixed(heapFirst, 1)} -> ${fixed(heapLast, 1)} MB`,
			'  (the replay polls as fast as the dashboard renders, about 130 a second, so V8 keeps a large young generation: its RSS is an upper bound of a live run at 15 s, shown above)',
		].join('\n');
	},
};

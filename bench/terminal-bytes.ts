/**
 * Benchmark 1, terminal bytes: what reaches the terminal (tmux pipe-pane) while the built command
 * watches the simulator in a 120x40 pane: steady bytes per second over the window, and the bytes
 * each poll caused, for polls that changed no content row and polls that changed one.
 */
import {type Benchmark, verdict} from './lib/benchmark.js';
import {median} from './lib/stats.js';
import {fixed, table, thousands} from './lib/table.js';
import {SESSION_CONFIGS, terminalSessions} from './lib/terminal-sessions.js';

/** htop (1.5 s refresh) measured 376 B/s in the same pane; the budget at --interval 2 is half. */
const INTERVAL_2_BUDGET = 188;
const NOTHING_CHANGING_BUDGET = 20;

export const terminalBytes: Benchmark = {
	name: 'bytes',
	title: 'Terminal bytes (tmux pipe-pane, 120x40)',
	async run(options, log) {
		const sessions = await terminalSessions(options, log);
		const rows: string[][] = [];
		const checks: string[] = [];
		let sampleNoNews = '';
		for (const config of SESSION_CONFIGS) {
			const results = sessions.get(config.name) ?? [];
			const rates = results.map(r => r.bytes / r.windowSeconds);
			const polls = results.flatMap(r => r.polls);
			const none = polls.filter(p => p.changedRows === 0);
			const one = polls.filter(p => p.changedRows === 1);
			const rate = median(rates);
			rows.push([
				config.name,
				String(results.length),
				fixed(rate, 1),
				`${fixed(Math.min(...rates), 1)}-${fixed(Math.max(...rates), 1)}`,
				`${none.length}`,
				none.length > 0 ? thousands(median(none.map(p => p.bytes))) : '—',
				none.length > 0 ? thousands(Math.max(...none.map(p => p.bytes))) : '—',
				`${one.length}`,
				one.length > 0 ? thousands(median(one.map(p => p.bytes))) : '—',
			]);
			if (config.name === '--interval 2') {
				checks.push(`--interval 2: ${fixed(rate, 1)} B/s <= ${INTERVAL_2_BUDGET} B/s (half of htop's 376): ${verdict(rate <= INTERVAL_2_BUDGET)}`);
			}

			if (config.name === 'default, nothing changing') {
				checks.push(`default interval, nothing changing: ${fixed(rate, 1)} B/s <= ${NOTHING_CHANGING_BUDGET} B/s: ${verdict(rate <= NOTHING_CHANGING_BUDGET)}`);
				const example = none[0];
				if (example) {
					sampleNoNews = `\nWhat one no-news poll wrote (cat -v style):\n  ${catV(example.raw)}`;
				}
			}
		}

		return [
			table(
				`Terminal bytes: median of ${options.runs} runs of ${options.seconds} s (pipe-pane byte counts, per-poll bytes pooled over the runs)`,
				['configuration', 'runs', 'B/s', 'range', 'no-news polls', 'B/poll', 'max', 'one-row polls', 'B/poll'],
				rows,
			),
			...checks.map(c => `  ${c}`),
			sampleNoNews,
		].join('\n');
	},
};

/** Control characters as ^X and ESC as ^[, high bytes as M-x, like `cat -v`. */
export function catV(raw: string): string {
	let out = '';
	for (const char of raw) {
		const code = char.charCodeAt(0);
		if (code === 0x0a) {
			out += '$\n  ';
		} else if (code < 0x20 || code === 0x7f) {
			out += `^${String.fromCharCode(code ^ 0x40)}`;
		} else if (code >= 0x80) {
			out += `M-${catV(String.fromCharCode(code & 0x7f))}`;
		} else {
			out += char;
		}
	}

	return out;
}

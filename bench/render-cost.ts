/**
 * Benchmark 5, render cost per poll, over the first day (5,760 polls) of the replay that the memory
 * benchmark runs: Ink's own onRender time (layout to terminal write), and the time from the answer
 * reaching the poller to the end of its frame (history update, progress, throughput series, React
 * render and commit, Ink's render).
 */
import type {Benchmark} from './lib/benchmark.js';
import {replayRun, TIMED_POLLS} from './lib/replay-run.js';
import {median, percentile} from './lib/stats.js';
import {fixed, table} from './lib/table.js';

export const renderCost: Benchmark = {
	name: 'render',
	title: 'Render cost per poll',
	async run(options, log) {
		const result = await replayRun(options, log);
		const row = (name: string, values: readonly number[]) => [name, String(values.length), fixed(median(values), 2), fixed(percentile(values, 95), 2), fixed(Math.max(...values), 1)];
		return [
			table(`Render cost: the first ${TIMED_POLLS} polls of the replay, ms`, ['measure', 'samples', 'median', 'p95', 'max'], [
				row("Ink onRender (renderTime)", result.renderMs),
				row('answer to frame (model + React + Ink)', result.pollToFrameMs),
			]),
			`  renders per poll: ${fixed(result.renderMs.length / Math.min(result.polls, TIMED_POLLS), 2)}`,
		].join('\n');
	},
};

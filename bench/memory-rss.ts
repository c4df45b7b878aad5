/**
 * Benchmark 4, memory: resident set size of the built command, as shipped, after one day and after
 * seven days of 15-second polls of the simulator's 'week' scenario (a large server whose content
 * phase lasts about six days, so every type keeps reaching checkpoints). See primed-session.ts: the
 * command runs live in a tmux pane, its history primed with `--record` from a recording of the days
 * before, and VmRSS is read every second over a window of live polls ending at day 1 or day 7 of
 * server time. The live polls come every 2 s (the command's floor), each 15 s of server time after
 * the last: V8 lets the heap grow for minutes between full collections, and at 15 s a window of a
 * few minutes would not see one (the control row shows that creep). Two controls run beside them:
 * a command started on day 7 with no history (what the days of history add), and one at the default
 * interval against a real-time server.
 *
 * The in-process replay (bench/lib/replay-worker.ts: the App under Ink fed every one of the
 * 40,320 polls as fast as it renders) stays as the check that nothing the views hold grows with
 * the polls: heap used after forced collections, per day. Its RSS is not the command's (bench code
 * loaded, --expose-gc, about 170 polls a second, which keeps V8's young generation at its 32 MB
 * maximum) and is shown for reference only.
 */
import {type Benchmark, verdict} from './lib/benchmark.js';
import type {BenchOptions} from './lib/options.js';
import {preparePrimedSession, type PrimedSessionOptions, type PrimedSessionResult} from './lib/primed-session.js';
import {replayRun} from './lib/replay-run.js';
import {fixed, table, thousands} from './lib/table.js';

const BUDGET_MB = 100;
const GROWTH_BUDGET = 0.1;

interface SessionConfig {
	readonly name: string;
	readonly options: Omit<PrimedSessionOptions, 'windowSeconds'>;
}

const PACE_SECONDS = 2;

const CONFIGS: readonly SessionConfig[] = [
	{name: 'day 1', options: {days: 1, interval: PACE_SECONDS, prime: 'history'}},
	{name: 'day 7', options: {days: 7, interval: PACE_SECONDS, prime: 'history'}},
	{name: 'day 7, no history (started then)', options: {days: 7, interval: PACE_SECONDS, prime: 'none'}},
	{name: 'control: day 7, no history, polls 15 s apart', options: {days: 7, interval: null, prime: 'none'}},
];

/**
 * Ten times the terminal sessions' window, from 2 to 10 minutes: 600 s (300 polls) by default,
 * which at a poll every 2 s takes the command through at least one full collection.
 */
export function memoryWindowSeconds(options: BenchOptions): number {
	return Math.min(600, Math.max(120, options.seconds * 10));
}

export const memoryRss: Benchmark = {
	name: 'memory',
	title: 'Memory: RSS over days of polls',
	async run(options, log) {
		const windowSeconds = memoryWindowSeconds(options);
		const started = Date.now();
		log(`memory: ${CONFIGS.length} sessions of the built command side by side, ${windowSeconds} s of live polls each`);
		// Every recording is written before any command starts: writing a week blocks this process.
		const prepared = [];
		try {
			for (const config of CONFIGS) {
				prepared.push(await preparePrimedSession({...config.options, windowSeconds}));
			}
		} catch (error) {
			for (const session of prepared) {
				session.dispose();
			}

			throw error;
		}

		const results = await Promise.all(prepared.map(session => session.run()));
		const sessionSeconds = (Date.now() - started) / 1000;
		const byName = new Map(CONFIGS.map((config, index) => [config.name, results[index]]));
		const rows = CONFIGS.map((config, index) => sessionRow(config, results[index]));
		const day1 = byName.get('day 1')?.rssLateMb ?? Number.NaN;
		const day7 = byName.get('day 7')?.rssLateMb ?? Number.NaN;
		const growth = (day7 - day1) / day1;
		const peak = Math.max(byName.get('day 1')?.latePeakMb ?? Number.NaN, byName.get('day 7')?.latePeakMb ?? Number.NaN);
		const highWater = byName.get('day 7')?.highWaterMb ?? Number.NaN;

		log(`replay: ${options.days} days of polls through the App in-process, as fast as it renders`);
		const replay = await replayRun(options, log);
		const replayRows = replay.heapAtDay.map((heap, index) => [`day ${index + 1}`, thousands((index + 1) * 5760), fixed(heap, 1), fixed(replay.rssAtDay[index] ?? Number.NaN, 1)]);
		const heaps = replay.heapAtDay;
		return [
			table(
				`Memory: the built command's VmRSS (MB) in a 120x40 tmux pane, live against the simulator ('week'), a poll every ${PACE_SECONDS} s, each 15 s of server time after the last, for ${windowSeconds} s ending as the server passes the day; history primed with --record from a recording of the 15 s polls before (${fixed(sessionSeconds, 0)} s, side by side)`,
				['after', 'recorded polls', 'recording MB', 'live polls', 'exec to frame ms', 'RSS at frame', 'RSS, 2nd half', 'peak, 2nd half', 'VmHWM', 'anon', 'file'],
				rows,
			),
			`  RSS, 2nd half: median (and largest) of the 1 s samples of the window's second half, when what reading the recording left behind has been collected (that takes about a minute); VmHWM is the largest RSS of the process, reading included`,
			`  anon: the heaps (V8's, malloc's); file: pages of the node binary and libraries at the end (a bare node -e has 34 MB of them on the development machine; the compilers, ICU's segmentation data and yoga's WebAssembly add the rest)`,
			`  RSS under ${BUDGET_MB} MB while polling (day 1 and day 7, largest sample of the second half: ${fixed(peak, 1)} MB): ${verdict(peak < BUDGET_MB)}`,
			`  day 7 vs day 1, RSS in the window's second half: ${fixed(day1, 1)} -> ${fixed(day7, 1)} MB, ${growth >= 0 ? '+' : ''}${fixed(growth * 100, 1)} % (within ${GROWTH_BUDGET * 100} %): ${verdict(Math.abs(growth) <= GROWTH_BUDGET)}`,
			`  reading a week's recording (--record on a restart) takes the command to ${fixed(highWater, 1)} MB, for about a minute after the first frame`,
			table(
				`The App under Ink in-process (bench/lib/replay-worker.ts), fed ${thousands(replay.polls)} polls of 15 s of server time as fast as it renders (${fixed(replay.seconds, 0)} s, ${fixed(replay.polls / replay.seconds, 0)} polls/s): heap used after two forced collections`,
				['after', 'polls', 'heap used MB', 'RSS MB (harness)'],
				replayRows,
			),
			`  heap used ${fixed(Math.min(...heaps), 1)}-${fixed(Math.max(...heaps), 1)} MB over the days, day 1 ${fixed(heaps[0] ?? Number.NaN, 1)}, day ${heaps.length} ${fixed(heaps.at(-1) ?? Number.NaN, 1)}: bounded, it does not grow with the days`,
			`  the harness's RSS (read a second after the collections) is not the command's: bench code and --expose-gc in the process, and at this poll rate V8 keeps its young generation at the 32 MB maximum`,
		].join('\n');
	},
};

function sessionRow(config: SessionConfig, result: PrimedSessionResult | undefined): string[] {
	if (!result) {
		return [config.name];
	}

	return [
		config.name,
		thousands(result.recordedPolls),
		fixed(result.recordingMb, 1),
		String(result.livePolls),
		thousands(result.frameMs),
		fixed(result.rssAtFrameMb, 1),
		fixed(result.rssLateMb, 1),
		fixed(result.latePeakMb, 1),
		fixed(result.highWaterMb, 1),
		fixed(result.anonMb, 1),
		fixed(result.fileMb, 1),
	];
}

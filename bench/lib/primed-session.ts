/**
 * The built command, as shipped (no V8 flags, nothing of the benchmark's loaded into it), in a
 * 120x40 tmux pane, polling the simulator's 'week' scenario live after `days` days of 15-second
 * polls: its history is primed from a recording of those polls with `--record FILE`, which is what
 * the command does when a monitor that has run for days is restarted. The history is a pure fold of
 * the polls, so it is the one a process that polled all along would hold. The simulator's clock
 * continues where the recording stops, so the live polls carry on from day `days` minus the window
 * and the window ends about as the server passes day `days`. With a shorter --interval the
 * simulator's clock runs faster, so that each poll is still 15 s of server time.
 *
 * Why not `--replay FILE --speed N`: the dashboard polls a replay at most every 0.5 s (two polls a
 * second, so a day takes 48 minutes), and ReplaySource holds the whole recording (a week is 53 MB
 * of JSON) for the length of the run, which a live monitor never does.
 *
 * VmRSS of the command's process (/proc/<pid>/status) is sampled every second of the window.
 */
import {spawn} from 'node:child_process';
import {readFileSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {TmuxPane} from '../../test/helpers/tmux.js';
import {CLI, firstLine, rssOf, sleep, until} from './dashboard-session.js';
import {scenarioNamed} from './scenario-polls.js';
import {median} from './stats.js';
import {writeScenarioRecording} from './scenario-recording.js';
import type {AnsweredRequest} from './simulator-process.js';

const SIMULATOR = join(fileURLToPath(new URL('.', import.meta.url)), 'simulator-process.js');
const POLL_SECONDS = 15;
/** What a complete frame shows: every panel, every type, the key bar. */
const MARKERS = ['Content', 'Lineage', 'Throughput', 'PublishedDatasource', 'DatabaseTable', 'Workbook', 'Metric', 'Flow', 'quit'];

export interface PrimedSessionOptions {
	/** Server days of polls behind the command when the window ends. */
	readonly days: number;
	/** Live polling after the first complete frame, seconds. */
	readonly windowSeconds: number;
	/**
	 * --interval; null runs with the default (15 s). The simulator's clock runs 15 / interval times
	 * real time, so that every poll is 15 s of server time later than the one before, as at the default.
	 */
	readonly interval: number | null;
	/** The command to run; the built dist/cli.js unless a prototype is being measured. */
	readonly command?: string;
	/**
	 * 'history': `--record` on a recording of the days before, as a restarted monitor;
	 * 'foreign': the same file with another server in its header, so the command reads all of it but
	 * primes nothing (what reading the file costs, apart from the history it yields);
	 * 'none': no recording, a monitor started on day `days` (its history is the window's polls).
	 */
	readonly prime: 'history' | 'foreign' | 'none';
}

export interface RssSample {
	/** Seconds since the first complete frame. */
	readonly at: number;
	readonly rssMb: number;
}

export interface PrimedSessionResult {
	readonly recordedPolls: number;
	readonly recordingMb: number;
	/** Live status requests the simulator answered during the session. */
	readonly livePolls: number;
	/** Exec to the first complete frame, ms: reading the recording is part of it. */
	readonly frameMs: number;
	readonly rssAtFrameMb: number;
	/**
	 * Median of the samples of the window's second half: V8 lets the heap grow for minutes between
	 * full collections, so one late sample says more about where in that cycle it fell than about
	 * the days behind it.
	 */
	readonly rssLateMb: number;
	/** Largest sample in the window's second half, once what reading the recording left is collected. */
	readonly latePeakMb: number;
	/** VmHWM at the window's end: includes reading the recording before the first frame. */
	readonly highWaterMb: number;
	/** RssAnon and RssFile at the window's end: the heaps, and the mapped node binary and libraries. */
	readonly anonMb: number;
	readonly fileMb: number;
	readonly samples: readonly RssSample[];
}

/** A session whose simulator is up and whose recording is written: run() starts the command. */
export interface PreparedSession {
	run(): Promise<PrimedSessionResult>;
	/** Stops the simulator and removes the pane, if run() did not. */
	dispose(): void;
}

/**
 * Starts the simulator and writes the recording. Kept apart from run() because writing a week of
 * polls blocks this process for seconds, which would stall the sampling of sessions already running.
 */
export async function preparePrimedSession(options: PrimedSessionOptions): Promise<PreparedSession> {
	const pane = TmuxPane.start(120, 40);
	const requestLog = join(pane.dir, 'requests.json');
	const timeScale = POLL_SECONDS / (options.interval ?? POLL_SECONDS);
	// Time for the other sessions' recordings and the command's start, before the window.
	const liveSeconds = (options.windowSeconds + 60) * timeScale;
	const elapsedAtStart = Math.max(POLL_SECONDS, Math.round(options.days * 86_400 - liveSeconds));
	// The simulator takes its own Date.now() a moment later; a few hundred ms off the recording's
	// checkpoint times is far below the 15 s between polls.
	const start = Date.now() - elapsedAtStart * 1000;
	const simulator = spawn(process.execPath, [SIMULATOR, 'week', String(timeScale), String(elapsedAtStart), requestLog], {stdio: ['ignore', 'pipe', 'inherit']});
	const dispose = () => {
		if (simulator.exitCode === null) {
			simulator.kill('SIGKILL');
		}

		pane.kill();
	};

	try {
		const {url, patName, patSecret} = JSON.parse(await firstLine(simulator.stdout)) as {url: string; patName: string; patSecret: string};
		const recording = join(pane.dir, 'history.jsonl');
		const recordedPolls =
			options.prime === 'none'
				? 0
				: writeScenarioRecording(recording, {
						scenario: scenarioNamed('week'),
						// The command primes only from sessions of the server it watches, named by host:port.
						server: options.prime === 'foreign' ? 'elsewhere.example.com' : new URL(url).host,
						start,
						seconds: elapsedAtStart - POLL_SECONDS,
						pollSeconds: POLL_SECONDS,
						tool: 'backfill-top bench',
					});
		const recordingMb = options.prime === 'none' ? 0 : statSync(recording).size / 1024 / 1024;
		const run = async (): Promise<PrimedSessionResult> => {
			try {
				const pidFile = join(pane.dir, 'pid');
				const t0File = join(pane.dir, 't0');
				const interval = options.interval === null ? '' : ` --interval ${options.interval}`;
				const record = options.prime === 'none' ? '' : ` --record '${recording}'`;
				pane.run(
					`export TABLEAU_PAT_SECRET='${patSecret}'; echo $$ > ${pidFile}; date +%s%3N > ${t0File}; exec node '${options.command ?? CLI}' --server ${url} --token-name ${patName}${record}${interval}`,
				);
				const frameAt = await until(() => (MARKERS.every(m => pane.screen().includes(m)) ? Date.now() : null), 60_000, 'no complete frame', () => pane.screen());
				const pid = Number(readFileSync(pidFile, 'utf8').trim());
				const t0 = Number(readFileSync(t0File, 'utf8').trim());
				const samples: RssSample[] = [];
				const rssAtFrameMb = rssOf(pid);
				while (Date.now() - frameAt < options.windowSeconds * 1000) {
					await sleep(1000);
					samples.push({at: (Date.now() - frameAt) / 1000, rssMb: rssOf(pid)});
				}

				const status = readFileSync(`/proc/${pid}/status`, 'utf8');
				const late = samples.filter(s => s.at >= options.windowSeconds / 2).map(s => s.rssMb);
				const exited = new Promise(resolve => simulator.once('exit', resolve));
				simulator.kill('SIGTERM');
				await exited;
				const answered = JSON.parse(readFileSync(requestLog, 'utf8')) as AnsweredRequest[];
				return {
					recordedPolls,
					recordingMb,
					livePolls: answered.filter(r => r.status === 200).length,
					frameMs: frameAt - t0,
					rssAtFrameMb,
					rssLateMb: median(late),
					latePeakMb: Math.max(...late),
					highWaterMb: statusMb(status, 'VmHWM'),
					anonMb: statusMb(status, 'RssAnon'),
					fileMb: statusMb(status, 'RssFile'),
					samples,
				};
			} finally {
				dispose();
			}
		};

		return {run, dispose};
	} catch (error) {
		dispose();
		throw error;
	}
}

/** A field of /proc/<pid>/status given in kB, as MB. */
function statusMb(status: string, field: string): number {
	const kb = new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1];
	return kb === undefined ? Number.NaN : Number(kb) / 1024;
}


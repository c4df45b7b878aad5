/**
 * One measured run of the built command in a real terminal: a 120x40 tmux pane (private socket),
 * the monitor signed in to a simulator in its own process, tmux's pipe-pane copying every byte that
 * reaches the terminal to a chunk logger. From one run: exec to the first complete frame, the bytes
 * and the CPU seconds (utime + stime of the monitor's process, /proc/<pid>/stat) over a window of
 * steady polling, and the bytes each poll caused, with how many content rows that poll changed.
 */
import {spawn} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {createInterface} from 'node:readline';
import {TmuxPane} from '../../test/helpers/tmux.js';
import {scenarioNamed} from './scenario-polls.js';
import type {AnsweredRequest} from './simulator-process.js';

const here = fileURLToPath(new URL('.', import.meta.url));
/** dist/cli.js, next to dist/bench/. */
export const CLI = join(here, '..', '..', 'cli.js');
const SIMULATOR = join(here, 'simulator-process.js');
const CHUNK_LOG = join(here, 'chunk-log.js');
const CLOCK_TICKS = 100;

export interface SessionOptions {
	readonly scenario: string;
	/** Server seconds per real second; 0 freezes the server, so no poll brings news. */
	readonly timeScale: number;
	/** Server seconds of the scenario already behind it: the monitor starts on a run mid-way. */
	readonly elapsedAtStart: number;
	/** --interval; null runs with the default. */
	readonly interval: number | null;
	/** Length of the measured window after the first complete frame; 0 measures the start only. */
	readonly seconds: number;
	/** Wait between the first complete frame and the window, so start-up work is not counted. */
	readonly settleSeconds?: number;
	readonly columns?: number;
	readonly rows?: number;
}

export interface PollBytes {
	/** Client ms at which the simulator finished the answer. */
	readonly at: number;
	/** Content types whose status differs from the previous poll's. */
	readonly changedRows: number;
	/** Bytes that reached the terminal from this answer until the next one (or the window's end). */
	readonly bytes: number;
	/** What those bytes were (latin1), for `cat -v`-style inspection. */
	readonly raw: string;
}

export interface SessionResult {
	readonly startupMs: number;
	readonly windowSeconds: number;
	readonly bytes: number;
	readonly cpuSeconds: number;
	/** VmRSS of the monitor at the end of the window, MB. */
	readonly rssMb: number;
	readonly polls: readonly PollBytes[];
	/** The screen at the end of the window. */
	readonly screen: string;
}

/** What a complete frame shows: every panel, every type, the key bar. */
const MARKERS = ['Content', 'Lineage', 'Throughput', 'PublishedDatasource', 'DatabaseTable', 'Workbook', 'Metric', 'Flow', 'quit'];

export async function runSession(options: SessionOptions): Promise<SessionResult> {
	const columns = options.columns ?? 120;
	const rows = options.rows ?? 40;
	const pane = TmuxPane.start(columns, rows);
	const requestLog = join(pane.dir, 'requests.json');
	const simulator = spawn(process.execPath, [SIMULATOR, options.scenario, String(options.timeScale), String(options.elapsedAtStart), requestLog], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	try {
		const first = await firstLine(simulator.stdout);
		const {url, patName, patSecret} = JSON.parse(first) as {url: string; patName: string; patSecret: string};
		const raw = join(pane.dir, 'pane.raw');
		const log = join(pane.dir, 'chunks.log');
		pane.tmux('pipe-pane', '-t', 'bft:0.0', `exec node '${CHUNK_LOG}' '${raw}' '${log}'`);
		await until(() => existsSync(log), 10_000, 'the chunk logger did not start');
		const t0File = join(pane.dir, 't0');
		const interval = options.interval === null ? '' : ` --interval ${options.interval}`;
		// The time is taken by the shell that then becomes the monitor (exec): exec to frame, nothing else.
		pane.run(`export TABLEAU_PAT_SECRET='${patSecret}'; date +%s%3N > ${t0File}; exec node '${CLI}' --server ${url} --token-name ${patName}${interval}`);
		await until(() => existsSync(t0File) && readFileSync(t0File, 'utf8').trim() !== '', 10_000, 'the command did not start');
		const t0 = Number(readFileSync(t0File, 'utf8').trim());
		const frameAt = await until(() => completeFrameAt(raw, log, t0), 20_000, 'no complete frame', () => pane.screen());
		const pid = Number(pane.format('pane_pid'));
		let windowStart = Date.now();
		let windowEnd = windowStart;
		let cpuSeconds = 0;
		let bytes = 0;
		let rssMb = Number.NaN;
		if (options.seconds > 0) {
			await sleep((options.settleSeconds ?? 3) * 1000);
			windowStart = Date.now();
			const cpu0 = cpuOf(pid);
			await sleep(options.seconds * 1000);
			const cpu1 = cpuOf(pid);
			rssMb = rssOf(pid);
			windowEnd = Date.now();
			// The pipe may lag the terminal by a moment; the chunk times below settle what belongs in.
			await sleep(300);
			bytes = chunksBetween(log, windowStart, windowEnd).reduce((sum, c) => sum + c.bytes, 0);
			cpuSeconds = cpu1 - cpu0;
		}

		const screen = pane.screen();
		pane.tmux('pipe-pane', '-t', 'bft:0.0');
		const exited = new Promise(resolve => simulator.once('exit', resolve));
		simulator.kill('SIGTERM');
		await exited;
		const answered = existsSync(requestLog) ? (JSON.parse(readFileSync(requestLog, 'utf8')) as AnsweredRequest[]) : [];
		return {
			startupMs: frameAt - t0,
			windowSeconds: (windowEnd - windowStart) / 1000,
			bytes,
			cpuSeconds,
			rssMb,
			polls: options.seconds > 0 ? pollBytes(options.scenario, answered, raw, log, windowStart, windowEnd) : [],
			screen,
		};
	} finally {
		if (simulator.exitCode === null) {
			simulator.kill('SIGKILL');
		}

		pane.kill();
	}
}

interface Chunk {
	readonly at: number;
	readonly bytes: number;
	/** Offset of the chunk in the raw file. */
	readonly offset: number;
}

function chunks(log: string): Chunk[] {
	const list: Chunk[] = [];
	let offset = 0;
	for (const line of readFileSync(log, 'utf8').split('\n')) {
		const [at, bytes] = line.split(' ').map(Number);
		if (at !== undefined && bytes !== undefined && Number.isFinite(at) && Number.isFinite(bytes)) {
			list.push({at, bytes, offset});
			offset += bytes;
		}
	}

	return list;
}

function chunksBetween(log: string, from: number, to: number): Chunk[] {
	return chunks(log).filter(c => c.at >= from && c.at < to);
}

const ANSI = /\u001B(?:\[[\d;?:]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)|[@-Z\\-_])/g;

/** Client ms of the chunk that completed the first frame with every panel, or null while none has. */
function completeFrameAt(raw: string, log: string, t0: number): number | null {
	if (!existsSync(raw)) {
		return null;
	}

	const text = readFileSync(raw, 'latin1');
	const list = chunks(log);
	const startAt = list.find(c => c.at >= t0);
	if (!startAt) {
		return null;
	}

	for (const chunk of list) {
		if (chunk.at < t0) {
			continue;
		}

		const seen = Buffer.from(text.slice(startAt.offset, chunk.offset + chunk.bytes), 'latin1').toString('utf8').replaceAll(ANSI, '');
		if (MARKERS.every(m => seen.includes(m))) {
			return chunk.at;
		}
	}

	return null;
}

function pollBytes(scenarioName: string, answered: readonly AnsweredRequest[], raw: string, log: string, from: number, to: number): PollBytes[] {
	const scenario = scenarioNamed(scenarioName);
	const text = readFileSync(raw, 'latin1');
	const list = chunks(log);
	const signature = (elapsed: number) => {
		const statuses = scenario.statusAt(Math.floor(elapsed), 0).contentBackfillStatuses;
		return Array.isArray(statuses) ? statuses.map(s => JSON.stringify(s)) : [];
	};

	const polls: PollBytes[] = [];
	answered.forEach((request, index) => {
		if (request.at < from || request.at >= to || request.status !== 200) {
			return;
		}

		const previous = answered[index - 1];
		const before = previous ? signature(previous.elapsed) : [];
		const after = signature(request.elapsed);
		const changedRows = after.filter((s, i) => s !== before[i]).length;
		const end = Math.min(to, answered[index + 1]?.at ?? to);
		const mine = list.filter(c => c.at >= request.at && c.at < end);
		const first = mine[0];
		const last = mine.at(-1);
		polls.push({
			at: request.at,
			changedRows,
			bytes: mine.reduce((sum, c) => sum + c.bytes, 0),
			raw: first && last ? text.slice(first.offset, last.offset + last.bytes) : '',
		});
	});
	return polls;
}

/** VmRSS of a process, MB (/proc/<pid>/status). */
export function rssOf(pid: number): number {
	const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
	return kb === undefined ? Number.NaN : Number(kb) / 1024;
}

/** utime + stime of a process, seconds (fields 14 and 15 of /proc/<pid>/stat). */
export function cpuOf(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

export async function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
	const lines = createInterface({input: stream});
	for await (const line of lines) {
		lines.close();
		return line;
	}

	throw new Error('the simulator printed nothing');
}

export async function until<T>(probe: () => T | null | false, timeoutMs: number, what: string, detail?: () => string): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = probe();
		if (value !== null && value !== false) {
			return value;
		}

		if (Date.now() > deadline) {
			throw new Error(`${what}${detail ? `; the screen was:\n${detail()}` : ''}`);
		}

		await sleep(20);
	}
}

export function sleep(ms: number): Promise<void> {
	return new Promise(resolve => setTimeout(resolve, ms));
}

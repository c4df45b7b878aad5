// The fault matrix: every fault the simulator injects, through the dashboard (the App in a sized
// fake terminal) and through --plain (runPlain in-process), each against its own simulator over real
// HTTP, with every poll recorded. Faults run side by side to keep the wall time near one fault's.
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {runPlain} from '../source/modes/plain.js';
import type {BackfillSnapshot} from '../source/model/snapshot.js';
import {readRecording, Recorder, recordingSource, type RecordEntry} from '../source/record.js';
import {startSimulator, type FaultKind, type FaultSpec, type Simulator} from '../source/simulator/index.js';
import {connect} from '../source/tableau/client.js';
import {hostOf, tableauError, type ErrorKind} from '../source/tableau/errors.js';
import type {StatusSource} from '../source/tableau/status-source.js';
import {App} from '../source/ui/App.js';
import {makeTheme} from '../source/ui/theme.js';
import {plain, renderSized} from './helpers/ink.js';
import {createWatch} from '../source/watch.js';

const INTERVAL_SECONDS = 2;
const dir = mkdtempSync(join(tmpdir(), 'bft-faults-'));
const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
	for (const cleanup of cleanups.reverse()) {
		await cleanup();
	}
});

interface FaultCase {
	readonly fault: FaultKind;
	readonly spec: Omit<FaultSpec, 'kind'>;
	/** The errors the user is told about, in order; none when the tool gets over it by itself. */
	readonly errors: ReadonlyArray<{kind: ErrorKind; detail?: string; status?: number}>;
	readonly timeoutSeconds?: number;
	/** Ends --plain and --wait: nobody is at the keys to fix credentials or permissions. */
	readonly fatalForPlain?: boolean;
}

const MATRIX: readonly FaultCase[] = [
	// A session that ends is signed in again within the same poll: no error at all.
	{fault: 'expiry', spec: {count: 1}, errors: []},
	// The re-sign-in is superseded too: told once; the dashboard's next poll signs in again.
	{fault: 'pat-superseded', spec: {count: 2}, errors: [{kind: 'pat-superseded'}], fatalForPlain: true},
	{fault: 'html-500', spec: {count: 2}, errors: [{kind: 'server-error', status: 500}]},
	{fault: 'reset', spec: {count: 2}, errors: [{kind: 'reset'}]},
	{fault: 'slow', spec: {count: 2, delayMs: 3_000}, errors: [{kind: 'timeout', detail: '1 s'}], timeoutSeconds: 1},
	{fault: 'truncated-json', spec: {count: 2}, errors: [{kind: 'malformed-json'}]},
	{fault: 'not-enabled', spec: {count: 2}, errors: [{kind: 'not-enabled', status: 404}]},
	{fault: 'not-admin', spec: {count: 2}, errors: [{kind: 'not-admin', status: 403}], fatalForPlain: true},
	{fault: 'login-page', spec: {count: 2}, errors: [{kind: 'login-page', status: 200}]},
	{
		fault: 'malformed',
		spec: {count: 2},
		errors: [{kind: 'schema', detail: 'contentBackfillStatuses[0].successfullyIngestedCount: expected a number, got "lots"'}],
	},
	// The connection is cut, then nothing listens for five seconds, then the server is back.
	{fault: 'down', spec: {count: 1, delayMs: 5_000}, errors: [{kind: 'reset'}, {kind: 'refused'}]},
];

interface Poll {
	readonly start: number;
	end: number | null;
	/** The error kind, null for a snapshot. */
	kind: string | null;
	aborted: boolean;
}

/** Passes polls through untouched and notes when each started and ended, and how it ended. */
function observe(source: StatusSource): {source: StatusSource; polls: Poll[]; maxInFlight: () => number} {
	const polls: Poll[] = [];
	let inFlight = 0;
	let maxInFlight = 0;
	return {
		polls,
		maxInFlight: () => maxInFlight,
		source: {
			description: source.description,
			async fetchStatus(signal: AbortSignal): Promise<BackfillSnapshot> {
				const poll: Poll = {start: Date.now(), end: null, kind: null, aborted: false};
				polls.push(poll);
				inFlight++;
				maxInFlight = Math.max(maxInFlight, inFlight);
				try {
					return await source.fetchStatus(signal);
				} catch (error) {
					poll.kind = typeof error === 'object' && error !== null && 'kind' in error ? String(error.kind) : 'thrown';
					throw error;
				} finally {
					inFlight--;
					poll.end = Date.now();
					poll.aborted = signal.aborted;
				}
			},
			close: () => source.close(),
		},
	};
}

interface Setup {
	readonly simulator: Simulator;
	readonly source: StatusSource;
	readonly polls: Poll[];
	readonly maxInFlight: () => number;
	readonly file: string;
	readonly host: string;
}

/** A simulator, a signed-in client, a recording, and the observer; all closed after the file. */
async function setup(c: FaultCase, name: string): Promise<Setup> {
	const simulator = await startSimulator({scenario: 'realistic', timeScale: 600});
	cleanups.push(() => simulator.close());
	const {patName, patSecret} = simulator.credentials;
	const client = await connect({
		server: simulator.url,
		site: '',
		credentials: {kind: 'pat', name: patName, secret: patSecret},
		timeoutSeconds: c.timeoutSeconds ?? 10,
		env: {},
	});
	const file = join(dir, `${name}.jsonl`);
	const recorded = recordingSource(client, new Recorder(file), 'backfill-top test');
	cleanups.push(() => recorded.close());
	const observed = observe(recorded);
	return {simulator, source: observed.source, polls: observed.polls, maxInFlight: observed.maxInFlight, file, host: hostOf(simulator.url)};
}

function sentence(host: string, error: FaultCase['errors'][number]): {message: string; action: string} {
	return tableauError(error.kind, host, error.detail ?? '', error.status ?? null);
}

async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) {
			throw new Error(`timed out waiting for ${what}`);
		}

		await new Promise(resolve => setTimeout(resolve, 25));
	}
}

function pollEntries(file: string): Array<Exclude<RecordEntry, {type: 'header'}>> {
	const {entries, skipped} = readRecording(file);
	expect(skipped).toBe(0);
	return entries.filter((e): e is Exclude<RecordEntry, {type: 'header'}> => e.type !== 'header');
}

/**
 * The gaps between the end of one poll and the start of the next, labelled by how the first one
 * ended: after a run of n failures the poller waits interval * 2^(n-1).
 */
function delays(polls: readonly Poll[]): Array<{afterFailures: number; ms: number}> {
	const result: Array<{afterFailures: number; ms: number}> = [];
	let failures = 0;
	for (let i = 0; i + 1 < polls.length; i++) {
		const poll = polls[i];
		const next = polls[i + 1];
		if (!poll || !next || poll.end === null) {
			continue;
		}

		failures = poll.kind === null ? 0 : failures + 1;
		result.push({afterFailures: failures, ms: next.start - poll.end});
	}

	return result;
}

function expectBackoff(c: FaultCase, polls: readonly Poll[]): void {
	const gaps = delays(polls);
	const normal = gaps.filter(g => g.afterFailures === 0).map(g => g.ms);
	expect(normal.length, c.fault).toBeGreaterThan(0);
	for (let n = 2; gaps.some(g => g.afterFailures === n); n++) {
		const before = gaps.find(g => g.afterFailures === n - 1)?.ms ?? 0;
		const after = gaps.find(g => g.afterFailures === n)?.ms ?? 0;
		// Doubling, measured as a ratio of two spacings so that a loaded machine cannot fake or break it.
		expect(after / before, `${c.fault}: wait after ${n} failures vs ${n - 1}`).toBeGreaterThan(1.5);
		expect(after / before, `${c.fault}: wait after ${n} failures vs ${n - 1}`).toBeLessThan(2.75);
	}

	if (c.errors.length > 0) {
		const longest = Math.max(...gaps.filter(g => g.afterFailures > 0).map(g => g.ms));
		const lastNormal = normal.at(-1) ?? 0;
		// After the recovery the interval is back to normal.
		expect(gaps.at(-1)?.afterFailures, c.fault).toBe(0);
		// One failure waits one interval (2^0), as long as a normal gap: only a run of two or more
		// backs off measurably beyond it.
		if (gaps.some(g => g.afterFailures >= 2)) {
			expect(lastNormal, c.fault).toBeLessThan(longest);
		}
	}
}

const theme = makeTheme({color: false, ascii: false});
const DATA_ROW = /Workbook .*\d+ \/ 9,000/;

interface DashboardRun {
	readonly c: FaultCase;
	readonly setup: Setup;
	readonly frames: string[];
	readonly titles: string[];
}

async function dashboardThrough(c: FaultCase): Promise<DashboardRun> {
	const s = await setup(c, `dashboard-${c.fault}`);
	const titles: string[] = [];
	const app = renderSized(
		<App watch={createWatch(s.source, {intervalSeconds: INTERVAL_SECONDS})} theme={theme} bell={false} onTitle={title => titles.push(title)} />,
		{columns: 120, rows: 40},
	);
	cleanups.push(() => app.unmount());
	const frames = () => app.stdout.frames.map(frame => plain(frame));
	await app.waitFor(frame => DATA_ROW.test(plain(frame)), 20_000);
	const firstPolls = s.polls.length;
	s.simulator.injectFault({kind: c.fault, afterRequests: 1, ...c.spec});
	if (c.errors.length === 0) {
		await until(() => s.polls.length >= firstPolls + 3 && s.polls.at(-1)?.end !== null, `${c.fault}: three polls`);
	} else {
		for (const error of c.errors) {
			const {message} = sentence(s.host, error);
			await app.waitFor(frame => plain(frame).includes(`ERROR: ${message.slice(0, 90)}`), 30_000);
		}

		await app.waitFor(frame => !plain(frame).includes('ERROR') && DATA_ROW.test(plain(frame)), 30_000);
		// One more poll after the recovery shows the interval back at normal.
		const recoveredAt = s.polls.length;
		await until(() => s.polls.length > recoveredAt && s.polls.at(-1)?.end !== null, `${c.fault}: a poll after recovery`);
	}

	const seen = frames();
	app.unmount();
	// The poll cancelled by unmounting, if any, has settled before the recording is read.
	await until(() => s.polls.every(p => p.end !== null), `${c.fault}: polls settled`, 5_000);
	return {c, setup: s, frames: seen, titles};
}

interface PlainRun {
	readonly c: FaultCase;
	readonly setup: Setup;
	readonly code: number;
	readonly lines: string[];
}

async function plainThrough(c: FaultCase, wait: boolean): Promise<PlainRun> {
	const s = await setup(c, `${wait ? 'wait' : 'plain'}-${c.fault}`);
	const chunks: string[] = [];
	const out = {write: (text: string) => chunks.push(text)} as unknown as NodeJS.WritableStream;
	const stop = new AbortController();
	const exit = runPlain(s.source, {out, intervalSeconds: INTERVAL_SECONDS, wait, quiet: false, stallTimeoutMinutes: 600}, stop.signal);
	let code: number | null = null;
	void exit.then(result => {
		code = result;
	});
	await until(() => chunks.length > 0, `${c.fault}: the first line`, 20_000);
	const firstPolls = s.polls.length;
	s.simulator.injectFault({kind: c.fault, afterRequests: 1, ...c.spec});
	const text = () => chunks.join('');
	if (c.fatalForPlain) {
		await until(() => code !== null, `${c.fault}: --plain to end`);
	} else if (c.errors.length === 0) {
		await until(() => s.polls.length >= firstPolls + 3 && s.polls.at(-1)?.end !== null, `${c.fault}: three polls`);
	} else {
		await until(() => text().includes(' recovered · '), `${c.fault}: the recovered line`);
		const recoveredAt = s.polls.length;
		await until(() => s.polls.length > recoveredAt && s.polls.at(-1)?.end !== null, `${c.fault}: a poll after recovery`);
	}

	stop.abort();
	const result = await exit;
	await until(() => s.polls.every(p => p.end !== null), `${c.fault}: polls settled`, 5_000);
	return {c, setup: s, code: result, lines: text().split('\n').filter(line => line !== '')};
}

/** Every poll that was not cancelled on the way out is one line of the recording, in order. */
function expectRecorded(s: Setup, label: string): void {
	const settled = s.polls.filter(p => !p.aborted);
	const entries = pollEntries(s.file);
	expect(entries.length, label).toBe(settled.length);
	expect(
		entries.map(e => (e.type === 'error' ? e.kind : 'snapshot')),
		label,
	).toEqual(settled.map(p => p.kind ?? 'snapshot'));
}

function expectOneRequestAtATime(s: Setup, label: string): void {
	expect(s.maxInFlight(), label).toBe(1);
	expect(s.simulator.stats().maxConcurrentStatus, label).toBe(1);
}

async function settleAll<T>(runs: Array<Promise<T>>): Promise<T[]> {
	const settled = await Promise.allSettled(runs);
	const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
	if (failed) {
		throw failed.reason;
	}

	return settled.map(r => (r as PromiseFulfilledResult<T>).value);
}

describe.concurrent('fault matrix', () => {
	it('the dashboard names each fault, keeps the last data, backs off, and recovers', async () => {
		const runs = await settleAll(MATRIX.map(c => dashboardThrough(c)));
		for (const {c, setup: s, frames, titles} of runs) {
			const errorFrames = frames.filter(frame => frame.includes('ERROR: '));
			if (c.errors.length === 0) {
				expect(errorFrames, c.fault).toHaveLength(0);
				expect(s.simulator.stats().signIns, c.fault).toBeGreaterThanOrEqual(2);
			}

			for (const error of c.errors) {
				const {message, action} = sentence(s.host, error);
				const shown = errorFrames.filter(frame => frame.includes(`ERROR: ${message.slice(0, 90)}`));
				expect(shown.length, `${c.fault}: ${error.kind}`).toBeGreaterThan(0);
				for (const frame of shown) {
					// The last good data stays on screen under the error, with what to do and when it retries.
					expect(frame, c.fault).toMatch(DATA_ROW);
					expect(frame, c.fault).toContain(action.slice(0, 40));
					expect(frame, c.fault).toMatch(/retrying (in \d+s|now)/);
					expect(frame, c.fault).toContain('[ERROR]');
				}
			}

			const last = frames.at(-1) ?? '';
			expect(last, c.fault).not.toContain('ERROR');
			expect(last, c.fault).toMatch(DATA_ROW);
			for (const frame of frames) {
				expect(frame, c.fault).not.toMatch(/NaN|undefined|Infinity|\[object/);
			}

			expect(titles.length, c.fault).toBeGreaterThan(0);
			expectOneRequestAtATime(s, c.fault);
			expectRecorded(s, c.fault);
			expectBackoff(c, s.polls);
		}
	}, 90_000);

	it('--plain prints one error line and one recovered line per fault, and stops on the fatal ones', async () => {
		const runs = await settleAll([
			...MATRIX.map(c => plainThrough(c, false)),
			...MATRIX.filter(c => c.fatalForPlain).map(c => plainThrough(c, true)),
		]);
		for (const {c, setup: s, code, lines} of runs) {
			const label = `${c.fault}: ${lines.join('\n')}`;
			for (const line of lines) {
				expect(line, label).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ (content|lineage|complete|error|recovered|not started)/);
				expect(line, label).not.toMatch(/\u001B|NaN|undefined|Infinity/);
			}

			const errorLines = lines.filter(line => line.includes(' error · '));
			expect(errorLines.map(line => line.replace(/^\S+ error · /, '')), label).toEqual(
				c.errors.map(error => {
					const {message, action} = sentence(s.host, error);
					return `${message} ${action}`;
				}),
			);
			const recovered = lines.filter(line => line.includes(' recovered · '));
			if (c.fatalForPlain) {
				expect(code, label).toBe(1);
				expect(recovered, label).toHaveLength(0);
				expect(lines.at(-1), label).toContain(' error · ');
			} else {
				expect(code, label).toBe(0);
				expect(recovered, label).toHaveLength(c.errors.length > 0 ? 1 : 0);
				expectBackoff(c, s.polls);
			}

			expectOneRequestAtATime(s, c.fault);
			expectRecorded(s, c.fault);
		}
	}, 90_000);
});

import {appendFileSync, mkdtempSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {parseConfig, UsageError} from '../source/config.js';
import {deriveProgress, throughputSeries} from '../source/model/rates.js';
import type {BackfillSnapshot} from '../source/model/snapshot.js';
import {runPlain} from '../source/modes/plain.js';
import {isRecordingOrEmpty, primeHistory, primeHistoryFromFile, readRecording, Recorder, recordingSource, ReplaySource} from '../source/record.js';
import {openSource} from '../source/sources.js';
import type {StatusSource} from '../source/tableau/status-source.js';
import {ASCII_SERVER, CONTROL_SERVER, CONTROL_SERVER_CLEANED, multiSessionRecording, NON_ASCII_SERVER} from './helpers/recordings.js';
import {MIN, poll, steadyType} from './helpers/snapshots.js';

/** Answers a scripted sequence of snapshots and failures, one per poll. */
function scriptedSource(script: Array<BackfillSnapshot | Error>): StatusSource {
	let index = 0;
	return {
		description: {server: 'tableau.test', site: '', productVersion: null, apiVersion: null, mode: 'live'},
		async fetchStatus() {
			const next = script[Math.min(index++, script.length - 1)];
			if (next instanceof Error) {
				throw Object.assign(next, {kind: 'timeout', action: 'It will be retried.', retryable: true});
			}

			if (!next) {
				throw new Error('empty script');
			}

			return next;
		},
		async close() {},
	};
}

function script(): Array<BackfillSnapshot | Error> {
	const steps: Array<BackfillSnapshot | Error> = [];
	for (let at = 0; at <= 40 * MIN; at += MIN) {
		steps.push(at === 20 * MIN ? new Error('The server did not answer within 20 seconds.') : poll(at, [steadyType('Workbook', at, 10, 1000), steadyType('Flow', at, 3, 100, 2)]));
	}

	return steps;
}

function tempFile(): string {
	return join(mkdtempSync(join(tmpdir(), 'bft-record-')), 'run.jsonl');
}

async function recordRun(file: string): Promise<string> {
	const chunks: string[] = [];
	const source = recordingSource(scriptedSource(script()), new Recorder(file), 'backfill-top test');
	const replay = new ReplaySource(script().map((s, i) => (s instanceof Error ? {v: 1 as const, type: 'error' as const, at: i, kind: 'timeout', message: s.message, action: ''} : {v: 1 as const, type: 'snapshot' as const, at: s.receivedAt, snapshot: s})), {speed: 0, shiftTimes: false});
	// Drive the recording source at replay pace: as fast as possible, one poll per scripted step.
	const out = {write: (text: string) => chunks.push(text)} as unknown as NodeJS.WritableStream;
	const driver: StatusSource = {
		description: source.description,
		async fetchStatus(signal) {
			await replay.fetchStatus(signal).catch(() => undefined);
			return source.fetchStatus(signal);
		},
		close: () => source.close(),
	};
	await runPlain(driver, {out, intervalSeconds: 0, minIntervalSeconds: 0, wait: false, quiet: false, stallTimeoutMinutes: 30, finished: replay.finished}, new AbortController().signal);
	await source.close();
	return chunks.join('');
}

describe('recording and replay', () => {
	it('records every poll, prints only news, and replays to the same lines', async () => {
		const file = tempFile();
		const live = await recordRun(file);
		const {entries, skipped} = readRecording(file);
		expect(skipped).toBe(0);
		expect(entries[0]).toMatchObject({type: 'header', server: 'tableau.test'});
		expect(entries.filter(e => e.type === 'snapshot')).toHaveLength(40);
		expect(entries.filter(e => e.type === 'error')).toHaveLength(1);

		const lines = live.trim().split('\n');
		// 41 polls, checkpoints every 5 min for two offset types, one error, one recovery: far fewer lines than polls.
		expect(lines.length).toBeLessThan(25);
		expect(lines.some(l => l.includes('error · The server did not answer'))).toBe(true);
		expect(lines.some(l => l.includes('recovered · content'))).toBe(true);
		expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ content 0\/2 types · /);
		// No escape codes in plain output.
		expect(live).not.toMatch(/\u001B/);

		const replayed: string[] = [];
		const replay = new ReplaySource(entries, {speed: 0, shiftTimes: false});
		const out = {write: (text: string) => replayed.push(text)} as unknown as NodeJS.WritableStream;
		await runPlain(replay, {out, intervalSeconds: 0, minIntervalSeconds: 0, wait: false, quiet: false, stallTimeoutMinutes: 30, finished: replay.finished}, new AbortController().signal);
		// Error lines carry the replay's clock; everything drawn from snapshots is identical.
		const withoutErrors = (text: string) => text.split('\n').filter(l => !l.includes(' error · '));
		expect(withoutErrors(replayed.join(''))).toEqual(withoutErrors(live));
	});

	it('cleans control characters out of a hand-edited recording, as the schema does for the server', async () => {
		const file = tempFile();
		await recordRun(file);
		const text = readFileSync(file, 'utf8').replaceAll('"Workbook"', String.raw`"Work\u001b]2;pwned\u0007book"`);
		const edited = `${file}.edited`;
		writeFileSync(edited, text);
		const {entries} = readRecording(edited);
		const everything = JSON.stringify(entries);
		expect(everything).toContain('Work?]2;pwned?book');
		expect(everything).not.toMatch(/\\u001b|\\u0007/i);
	});

	it('tolerates a partial last line and primes history for the same server only', async () => {
		const file = tempFile();
		await recordRun(file);
		appendFileSync(file, '{"v":1,"type":"snapshot","at":12,"snap');
		const {entries, skipped} = readRecording(file);
		expect(skipped).toBe(1);
		const history = primeHistory(entries, 'tableau.test');
		const progress = deriveProgress(history);
		expect(progress?.types.find(t => t.contentType === 'Workbook')?.ratePerMinute).toBeCloseTo(10, 0);
		expect(throughputSeries(history, null, 20).points.length).toBeGreaterThan(4);
		expect(primeHistory(entries, 'other.server').latest).toBeNull();
	});

	it('writes nothing secret: only what the API returned and error sentences', async () => {
		const file = tempFile();
		await recordRun(file);
		const text = readFileSync(file, 'utf8');
		expect(text).not.toMatch(/secret|password|token/i);
	});
});

/** The first chunk size from `from` on whose boundary falls inside a multi-byte character (a continuation byte follows it). */
function sizeCuttingACharacter(file: string, from: number): number {
	const bytes = readFileSync(file);
	for (let size = from; size < bytes.length; size++) {
		const next = bytes[size] ?? 0;
		if ((next & 0xc0) === 0x80) {
			return size;
		}
	}

	throw new Error('no multi-byte character after the offset');
}

function writeRecording(text: string): string {
	const file = tempFile();
	writeFileSync(file, text);
	return file;
}

/** The rule the whole-file reader applied before sign-in: no line read as an entry, and some line that was not blank. */
function rejectedWhenReadWhole(file: string): boolean {
	const {entries, skipped} = readRecording(file);
	return entries.length === 0 && skipped > 0;
}

describe('priming from a recording file as it is read', () => {
	const servers = [ASCII_SERVER, NON_ASCII_SERVER, CONTROL_SERVER_CLEANED, CONTROL_SERVER, 'other.server'];

	it('primes exactly the history primeHistory gives over the whole file read at once, for every server and chunk size', () => {
		const file = writeRecording(multiSessionRecording(12));
		const {entries, skipped} = readRecording(file);
		// The recording is what it should be: two crash lines, a foreign line and a version-2 line skipped.
		expect(skipped).toBe(4);
		const cutting = sizeCuttingACharacter(file, 100);
		for (const server of servers) {
			const whole = primeHistory(entries, server);
			for (const chunkBytes of [1, 2, 3, 5, 7, 64, cutting, 1000, 4096, undefined]) {
				expect(primeHistoryFromFile(file, server, {chunkBytes}), `${server}, ${chunkBytes ?? 'default'} bytes a chunk`).toStrictEqual(whole);
			}
		}

		// The fold saw what matters: snapshots and failures of both servers' sessions, nothing of others.
		const ascii = primeHistory(entries, ASCII_SERVER);
		expect(ascii.latest).not.toBeNull();
		expect(ascii.outages.length).toBeGreaterThan(1);
		expect(primeHistory(entries, NON_ASCII_SERVER).latest).not.toBeNull();
		expect(primeHistory(entries, CONTROL_SERVER_CLEANED).latest).not.toBeNull();
		expect(primeHistory(entries, CONTROL_SERVER).latest).toBeNull();
		expect(primeHistory(entries, 'other.server').latest).toBeNull();
	});

	it('crosses 1 MB chunk boundaries mid-line and mid-character on a recording of a few MB', () => {
		const file = writeRecording(multiSessionRecording(1500));
		expect(statSync(file).size).toBeGreaterThan(3 * 1024 * 1024);
		const {entries} = readRecording(file);
		const cutting = sizeCuttingACharacter(file, 1 << 20);
		for (const server of [ASCII_SERVER, NON_ASCII_SERVER]) {
			const whole = primeHistory(entries, server);
			expect(whole.latest).not.toBeNull();
			expect(primeHistoryFromFile(file, server), server).toStrictEqual(whole);
			expect(primeHistoryFromFile(file, server, {chunkBytes: cutting}), `${server}, ${cutting} bytes a chunk`).toStrictEqual(whole);
		}
	});

	it('accepts and rejects the files the whole-file reader did, however they are cut', () => {
		const recording = multiSessionRecording(3);
		const files = {
			recording,
			empty: '',
			blank: '\n  \n\n',
			foreign: 'this is not a recording\nnor is this\n',
			'partial line only': '{"v":1,"type":"header","server":"tåbleau.exä',
			'header without a newline': '{"v":1,"type":"header","server":"tåbleau.exämple.com","site":"","startedAt":"","tool":""}',
			'entry after a long foreign start': `${'ünread garbage '.repeat(5000)}\n${recording}`,
			'another format version': '{"v":2,"type":"header","server":"tableau.test"}\n',
		};
		for (const [name, text] of Object.entries(files)) {
			const file = writeRecording(text);
			for (const chunkBytes of [1, 7, 4096, undefined]) {
				expect(isRecordingOrEmpty(file, {chunkBytes}), `${name}, ${chunkBytes ?? 'default'} bytes a chunk`).toBe(!rejectedWhenReadWhole(file));
			}
		}
	});

	it('rejects a file that is no recording before connecting, worded as before', async () => {
		// No newline at the end: a recorder opening the file would add one.
		const file = writeRecording('this is not a recording\nnor is this');
		const config = parseConfig(['--demo', '--once', '--record', file], {env: {}, stdoutIsTTY: false, stdinIsTTY: false});
		if (config.command !== 'run') {
			throw new Error('not a run');
		}

		const opening = openSource(config, {tool: 'backfill-top test', askPassword: async () => '', signal: new AbortController().signal, shiftReplayTimes: false});
		await expect(opening).rejects.toThrow(UsageError);
		await expect(opening).rejects.toThrow(`--record ${file}: the file exists and is not a recording; give a new file or an earlier recording`);
		// Rejected before the recorder opened it.
		expect(readFileSync(file, 'utf8')).toBe('this is not a recording\nnor is this');
	});
});

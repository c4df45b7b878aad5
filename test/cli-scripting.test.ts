// --plain, --wait, --record and --replay as scripts and cron jobs use them: the built command as a
// child process with pipes (no terminal), against the simulator over real HTTP.
import {randomBytes} from 'node:crypto';
import {appendFileSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it, type TestContext} from 'vitest';
import {addSnapshot, emptyHistory, type History} from '../source/model/history.js';
import type {BackfillSnapshot} from '../source/model/snapshot.js';
import {deriveProgress} from '../source/model/rates.js';
import {progressLine} from '../source/modes/summary.js';
import {primeHistory, readRecording, type RecordEntry} from '../source/record.js';
import {startSimulator, type SimulatorOptions, type Simulator} from '../source/simulator/index.js';
import {runCli, type CliRun} from './helpers/cli.js';
import {liveArgs, liveEnv, lines, said, tempDir, terminate, until} from './helpers/live.js';

const TIMESTAMPED = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ /;

async function simulator(context: TestContext, options: SimulatorOptions): Promise<Simulator> {
	const started = await startSimulator(options);
	// The test context's hook: with concurrent tests a file-wide afterEach would close the others' servers.
	context.onTestFinished(() => started.close());
	return started;
}

function snapshots(entries: readonly RecordEntry[]): BackfillSnapshot[] {
	return entries.flatMap(e => (e.type === 'snapshot' ? [e.snapshot] : []));
}

function recordedLines(file: string): number {
	try {
		return lines(readFileSync(file, 'utf8')).length;
	} catch {
		return 0;
	}
}

/** What --plain prints for the first poll of a run whose history starts as `history`. */
function firstLine(history: History, snapshot: BackfillSnapshot): string {
	const progress = deriveProgress(addSnapshot(history, snapshot));
	if (!progress) {
		throw new Error('no progress from a snapshot');
	}

	return progressLine(progress);
}

function expectPlain(stdout: string): void {
	expect(stdout).not.toMatch(/\u001B/);
	for (const line of lines(stdout)) {
		expect(line).toMatch(TIMESTAMPED);
	}
}

describe.concurrent('--plain', () => {
	it('is chosen when stdout is a pipe; stdin sending "q" does not stop or crash it; unchanged polls print nothing', async () => {
		const dir = tempDir();
		const file = join(dir, 'seed.jsonl');
		// No --plain: the pipe alone must select it. The recording counts the polls.
		const run = runCli(['--demo', '--scenario', 'seed', '--record', file], {}, {stdin: 'q\n'});
		await until(() => recordedLines(file) >= 1 + 4, 'four polls');
		expect(run.child.exitCode).toBeNull();
		const result = await terminate(run);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		expectPlain(result.stdout);
		// The seed never changes: four polls or more, one line.
		expect(snapshots(readRecording(file).entries).length).toBeGreaterThanOrEqual(4);
		expect(lines(result.stdout).map(said)).toEqual(['lineage 18/45 · 40.0% · 77.1/min · last: CloudFile downstreamWorkbooks Workbook']);
	}, 60_000);

	it('a closed stdin does not crash it either', async () => {
		const run = runCli(['--demo', '--scenario', 'fast', '--time-scale', '600']);
		await run.waitForOutput(out => lines(out).length >= 2);
		const result = await terminate(run);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		expectPlain(result.stdout);
		expect(lines(result.stdout)[0]).toMatch(/ content 0\/6 types · 0\.0% · /);
	}, 60_000);

	it('an error and the recovery each give one line; quiet polls in between give none', async context => {
		// Polls 1-2 answer, 3-4 fail the same way, 5 recovers, 6 and later repeat the seed.
		const sim = await simulator(context, {scenario: 'seed', faults: [{kind: 'html-500', afterRequests: 3, count: 2}]});
		const run = runCli(liveArgs(sim, '--plain'), liveEnv());
		await until(() => sim.stats().statusRequests >= 6, 'six polls');
		const result = await terminate(run);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		expectPlain(result.stdout);
		const seed = 'lineage 18/45 · 40.0% · 77.1/min · last: CloudFile downstreamWorkbooks Workbook';
		expect(lines(result.stdout).map(said)).toEqual([
			seed,
			'error · Tableau Server answered with an error (HTTP 500). The server may be restarting or overloaded; polling continues.',
			`recovered · ${seed}`,
		]);
		expect(sim.stats()).toMatchObject({signOuts: 1, activeSessions: 0});
	}, 60_000);

	it('uses the words of --once: the same summary, the same "stalled since"', async context => {
		const sim = await simulator(context, {scenario: 'stalled', timeScale: 600});
		const start = sim.serverNow();
		// DatabaseTable stops 15 server minutes in and is named stalled 15 minutes later.
		await until(() => sim.serverNow() - start >= 32 * 60_000, 'the stall to show');
		const once = await runCli(liveArgs(sim, '--once'), liveEnv()).done;
		expect(once.code).toBe(0);
		const row = lines(once.stdout).find(l => l.startsWith('DatabaseTable '));
		const stalled = /stalled since \d\d:\d\d$/.exec(row ?? '')?.[0];
		expect(stalled, row).toBeDefined();
		const summary = lines(once.stdout).at(-1)?.replace(/^summary: /, '');

		const plain = runCli(liveArgs(sim, '--plain'), liveEnv());
		await plain.waitForOutput(out => lines(out).length >= 1);
		const result = await terminate(plain);
		const first = said(lines(result.stdout)[0] ?? '');
		expect(first).toContain(`DatabaseTable ${stalled ?? '?'}`);
		// Counts only move at checkpoints and the stalled type never does: the two runs saw the same numbers.
		expect(first.replace(/ · [\d.]+\/min/, '')).toBe(summary?.replace(/ · [\d.]+\/min/, ''));
	}, 60_000);
});

describe.concurrent('--wait', () => {
	it('exits 0 when content and lineage are complete; the last line says so', async () => {
		const result = await runCli(['--demo', '--scenario', 'fast', '--time-scale', '600', '--wait']).done;
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		expectPlain(result.stdout);
		const out = lines(result.stdout).map(said);
		expect(out.length).toBeGreaterThanOrEqual(3);
		expect(out[0]).toMatch(/^content 0\/6 types/);
		expect(out.at(-1)).toBe('complete · content in 30m 10s · lineage in 12m 00s · 3 failed');
	}, 60_000);

	it('--quiet prints nothing at all, and still exits 0 at completion', async () => {
		const result = await runCli(['--demo', '--scenario', 'fast', '--time-scale', '600', '--wait', '--quiet']).done;
		expect(result.code).toBe(0);
		expect(result.stdout).toBe('');
		expect(result.stderr).toBe('');
	}, 60_000);

	it.each([20, 60])('a stall: exit 1 with a "giving up" line once --stall-timeout %i server minutes have passed', async minutes => {
		const file = join(tempDir(), 'stalled.jsonl');
		const result = await runCli(['--demo', '--scenario', 'stalled', '--time-scale', '600', '--wait', '--stall-timeout', String(minutes), '--record', file]).done;
		expect(result.code).toBe(1);
		expectPlain(result.stdout);
		expect(said(lines(result.stdout).at(-1) ?? '')).toBe(`giving up: no progress for ${minutes} minutes of server time`);
		// In server time, from the recording: it gave up at the first poll past the limit, not before.
		const polls = snapshots(readRecording(file).entries);
		const stalledAt = polls.at(-1)?.content.find(c => c.contentType === 'DatabaseTable')?.checkpoint ?? Number.NaN;
		const serverMinutes = (s: BackfillSnapshot | undefined) => ((s?.serverTime ?? Number.NaN) - stalledAt) / 60_000;
		expect(serverMinutes(polls.at(-1))).toBeGreaterThanOrEqual(minutes);
		expect(serverMinutes(polls.at(-2))).toBeLessThan(minutes);
	}, 60_000);

	it('a fatal error (403 while polling) ends it with exit 1 and the sentence', async context => {
		const sim = await simulator(context, {scenario: 'fast', timeScale: 600, faults: [{kind: 'not-admin', afterRequests: 2, count: 100}]});
		const result = await runCli(liveArgs(sim, '--wait'), liveEnv()).done;
		expect(result.code).toBe(1);
		expectPlain(result.stdout);
		const out = lines(result.stdout).map(said);
		expect(out).toHaveLength(2);
		expect(out[1]).toMatch(/^error · The server refused the Backfill API to this user \(403\)/);
		expect(sim.stats()).toMatchObject({statusRequests: 2, signOuts: 1, activeSessions: 0});
	}, 60_000);

	it('stopped by SIGTERM before completion: exit 1 (not known to be complete), signed out', async context => {
		const sim = await simulator(context, {scenario: 'realistic', timeScale: 60});
		const run = runCli(liveArgs(sim, '--wait'), liveEnv());
		await run.waitForOutput(out => lines(out).length >= 1);
		const result = await terminate(run);
		expect(result.code).toBe(1);
		expect(result.stderr).toBe('');
		expectPlain(result.stdout);
		expect(sim.stats()).toMatchObject({signOuts: 1, activeSessions: 0});
	}, 60_000);

	it('a wrong secret ends it with exit 1 before any poll', async context => {
		const sim = await simulator(context, {scenario: 'fast'});
		const result = await runCli(liveArgs(sim, '--wait'), liveEnv('wrong-secret')).done;
		expect(result.code).toBe(1);
		expect(result.stdout).toBe('');
		expect(result.stderr).toMatch(/^backfill-top: Tableau Server rejected the sign-in/);
		expect(sim.stats().statusRequests).toBe(0);
	}, 30_000);
});

describe.concurrent('--record', () => {
	it('survives SIGKILL: every complete line parses, a partial one is tolerated, and the next session starts clean', async context => {
		const secret = `pat-${randomBytes(12).toString('hex')}`;
		const sim = await simulator(context, {scenario: 'realistic', timeScale: 600, extraCredentials: [{patName: 'leak-hunt', patSecret: secret}]});
		const file = join(tempDir(), 'killed.jsonl');
		const args = ['--server', sim.url, '--token-name', 'leak-hunt', '--interval', '2', '--record', file];
		const run = runCli(args, liveEnv(secret));
		await until(() => recordedLines(file) >= 4, 'a few recorded polls');
		run.child.kill('SIGKILL');
		const killed = await run.done;
		expect(killed.signal).toBe('SIGKILL');

		const text = readFileSync(file, 'utf8');
		const complete = text.split('\n').slice(0, -1);
		for (const line of complete) {
			expect(() => JSON.parse(line) as unknown, line).not.toThrow();
		}

		const {entries, skipped} = readRecording(file);
		expect(skipped).toBeLessThanOrEqual(1);
		expect(entries[0]).toMatchObject({v: 1, type: 'header', server: new URL(sim.url).host});
		expect(entries.filter(e => e.type === 'snapshot').length).toBeGreaterThanOrEqual(3);

		// A crash in the middle of a write: the reader and a replay skip it ...
		appendFileSync(file, '{"v":1,"type":"snapshot","at":17963606');
		expect(readRecording(file).skipped).toBe(skipped + 1);
		const replay = await runCli(['--replay', file, '--plain', '--speed', '0']).done;
		expect(replay.stderr).toBe('');
		expect(replay.code).toBe(0);
		expect(lines(replay.stdout).length).toBeGreaterThanOrEqual(1);

		// ... and the next session's header is not glued to the partial line.
		const next = runCli(args, liveEnv(secret));
		await until(() => readRecording(file).entries.filter(e => e.type === 'header').length === 2, 'a second header');
		await terminate(next);
		const after = readRecording(file);
		expect(after.skipped).toBe(skipped + 1);
		expect(after.entries.filter(e => e.type === 'header')).toHaveLength(2);

		// Neither the secret nor any session token the server handed out is in the file or the output.
		const recorded = readFileSync(file, 'utf8');
		const tokens = sim.stats().issuedTokens;
		expect(tokens.length).toBeGreaterThanOrEqual(2);
		for (const needle of [secret, ...tokens, ...tokens.flatMap(t => t.split('|'))]) {
			expect(recorded).not.toContain(needle);
			expect(killed.stdout + killed.stderr).not.toContain(needle);
		}
	}, 60_000);

	it('a password used for sign-in is never recorded, nor the session token', async context => {
		const password = `pw-${randomBytes(12).toString('hex')}`;
		const sim = await simulator(context, {scenario: 'realistic', timeScale: 600, faults: [{kind: 'html-500', afterRequests: 2, count: 1}], extraCredentials: [{username: 'leak-hunt', password}]});
		const file = join(tempDir(), 'password.jsonl');
		const run = runCli(['--server', sim.url, '--username', 'leak-hunt', '--interval', '2', '--plain', '--record', file], {TABLEAU_PASSWORD: password});
		await until(() => sim.stats().statusRequests >= 3 && recordedLines(file) >= 4, 'three polls, one failed');
		const result = await terminate(run);
		expect(result.code).toBe(0);
		const recorded = readFileSync(file, 'utf8');
		expect(readRecording(file).entries.map(e => e.type)).toEqual(['header', 'snapshot', 'error', 'snapshot']);
		const [token = 'no token issued'] = sim.stats().issuedTokens;
		for (const needle of [password, token, ...token.split('|')]) {
			expect(recorded).not.toContain(needle);
			expect(result.stdout + result.stderr).not.toContain(needle);
		}
	}, 60_000);

	it('primes history from an earlier recording of the same server, and only of the same server', async context => {
		const sim = await simulator(context, {scenario: 'fast', timeScale: 120, extraCredentials: [{username: 'other-admin', password: 'other-password'}]});
		const other = await simulator(context, {scenario: 'fast', timeScale: 120});
		const dir = tempDir();
		const same = join(dir, 'same.jsonl');
		const foreign = join(dir, 'foreign.jsonl');
		// An earlier session against this server, and one against another server.
		const first = runCli(liveArgs(sim, '--plain', '--record', same), liveEnv());
		const elsewhere = runCli(liveArgs(other, '--plain', '--record', foreign), liveEnv());
		await until(() => recordedLines(same) >= 1 + 8 && recordedLines(foreign) >= 1 + 2, 'polls in both recordings');
		await Promise.all([terminate(first), terminate(elsewhere)]);
		const earlier = readRecording(same).entries;

		// Restart with each recording against this server, together (a second credential, since one
		// personal access token allows one session).
		const primed = runCli(liveArgs(sim, '--plain', '--record', same), liveEnv());
		const cold = runCli(['--server', sim.url, '--username', 'other-admin', '--interval', '2', '--plain', '--record', foreign], {TABLEAU_PASSWORD: 'other-password'});
		await Promise.all([primed.waitForOutput(out => lines(out).length >= 1), cold.waitForOutput(out => lines(out).length >= 1)]);
		const [primedRun, coldRun] = await Promise.all([terminate(primed), terminate(cold)]);
		const primedLine = said(lines(primedRun.stdout)[0] ?? '');
		const coldLine = said(lines(coldRun.stdout)[0] ?? '');

		// What each run's first poll was, from the sessions they appended.
		const sessionAfter = (file: string, headersBefore: number) => {
			const entries = readRecording(file).entries;
			const headers = entries.flatMap((e, i) => (e.type === 'header' ? [i] : []));
			return {header: entries[headers[headersBefore] ?? -1], first: snapshots(entries.slice((headers[headersBefore] ?? 0) + 1))[0]};
		};

		const again = sessionAfter(same, 1);
		const fromForeign = sessionAfter(foreign, 1);
		expect(again.header).toMatchObject({type: 'header', server: new URL(sim.url).host});
		expect(fromForeign.header).toMatchObject({type: 'header', server: new URL(sim.url).host});
		if (!again.first || !fromForeign.first) {
			throw new Error('a restarted run recorded no poll');
		}

		// The primed run's rates lean on the earlier checkpoints; a cold start has only whole-run averages.
		expect(primedLine).toBe(firstLine(primeHistory(earlier, new URL(sim.url).host), again.first));
		expect(primedLine).not.toBe(firstLine(emptyHistory(), again.first));
		// The other server's recording primes nothing: a cold start.
		expect(coldLine).toBe(firstLine(emptyHistory(), fromForeign.first));
	}, 60_000);
});

describe.concurrent('--replay', () => {
	it('prints exactly the lines the live --plain run printed, error lines included, with no network', async context => {
		const sim = await simulator(context, {scenario: 'fast', timeScale: 300, faults: [{kind: 'reset', afterRequests: 3, count: 1}]});
		const file = join(tempDir(), 'live.jsonl');
		const live = runCli(liveArgs(sim, '--plain', '--record', file), liveEnv());
		await live.waitForOutput(out => out.includes(' complete · '), 50_000);
		const recorded = await terminate(live);
		expect(recorded.code).toBe(0);
		expect(recorded.stdout).toMatch(/ error · The connection to 127\.0\.0\.1:\d+ was closed before an answer arrived/);
		expect(recorded.stdout).toMatch(/ recovered · /);
		await sim.close();

		// No server any more, and proxies that lead nowhere: a replay that opened a socket would fail.
		const nowhere = {HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9', ALL_PROXY: 'http://127.0.0.1:9'};
		const replayed = await runCli(['--replay', file, '--plain', '--speed', '0'], nowhere).done;
		expect(replayed.stderr).toBe('');
		expect(replayed.code).toBe(0);
		expect(replayed.stdout).toBe(recorded.stdout);

		// --wait over the replay agrees: the recording reaches completion.
		const waited = await runCli(['--replay', file, '--wait', '--speed', '0'], nowhere).done;
		expect(waited.code).toBe(0);
		expect(waited.stdout).toBe(recorded.stdout);
	}, 60_000);

	it('--speed paces the polls as recorded: a slow replay has printed the first line and not yet the second', async () => {
		const file = join(tempDir(), 'paced.jsonl');
		await runCli(['--demo', '--scenario', 'fast', '--time-scale', '600', '--wait', '--record', file]).done;
		const all = await runCli(['--replay', file, '--speed', '0']).done;
		expect(lines(all.stdout).length).toBeGreaterThanOrEqual(3);
		// Recorded two seconds apart; at 1/1000 of the speed the second poll is half an hour away.
		const slow: CliRun = runCli(['--replay', file, '--plain', '--speed', '0.001']);
		await slow.waitForOutput(out => lines(out).length >= 1);
		expect(lines(slow.stdout())).toEqual(lines(all.stdout).slice(0, 1));
		expect(slow.child.exitCode).toBeNull();
		const stopped = await terminate(slow);
		expect(stopped.code).toBe(0);
		expect(lines(stopped.stdout)).toEqual(lines(all.stdout).slice(0, 1));
		// A fast replay keeps the order.
		const fast = await runCli(['--replay', file, '--speed', '50']).done;
		expect(fast.stdout).toBe(all.stdout);
	}, 60_000);

	it('a missing or a garbage file: exit 2 with one line saying what is wrong', async () => {
		const dir = tempDir();
		const garbage = join(dir, 'night.log');
		writeFileSync(garbage, '2026-12-03T14:02:11Z content 4/6 types · 61.8%\nnot json either\n');
		const missing = await runCli(['--replay', join(dir, 'none.jsonl'), '--plain']).done;
		const notRecording = await runCli(['--replay', garbage]).done;
		expect(missing.code).toBe(2);
		expect(lines(missing.stderr)).toEqual([`backfill-top: --replay ${join(dir, 'none.jsonl')}: no such file or directory`]);
		expect(notRecording.code).toBe(2);
		expect(lines(notRecording.stderr)).toEqual([expect.stringMatching(/^backfill-top: --replay .*night\.log: not a recording/)]);
		expect(missing.stdout + notRecording.stdout).toBe('');
	}, 30_000);
});

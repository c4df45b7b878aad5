// `--once` and `--once --json` as an admin runs them: the built command as a child process, against
// the simulator over real HTTP (both --demo and a simulator started here, reached with --server).
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it, type TestContext} from 'vitest';
import {startSimulator, type FaultSpec, type Simulator} from '../source/simulator/index.js';
import {runCli} from './helpers/cli.js';
import {closedPort, liveArgs, liveEnv, lines, tempDir, until} from './helpers/live.js';

async function simulator(context: TestContext, scenario: string, timeScale = 60, faults: FaultSpec[] = []): Promise<Simulator> {
	const started = await startSimulator({scenario, timeScale, faults});
	// The test context's hook: with concurrent tests a file-wide afterEach would close the others' servers.
	context.onTestFinished(() => started.close());
	return started;
}

/** The README's `--once --json` example: the documented shape the output must keep. */
function readmeExample(): Record<string, unknown> {
	const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
	const section = readme.slice(readme.indexOf('### `--once --json`'));
	const block = /```json\n([\s\S]*?)```/.exec(section)?.[1];
	if (!block) {
		throw new Error('README has no --once --json example');
	}

	return JSON.parse(block) as Record<string, unknown>;
}

/** Every key path of a JSON value; arrays contribute their first element's paths. */
function keyPaths(value: unknown, prefix = ''): string[] {
	if (Array.isArray(value)) {
		return value.length > 0 ? keyPaths(value[0], `${prefix}[]`) : [];
	}

	if (typeof value === 'object' && value !== null) {
		return Object.entries(value).flatMap(([key, child]) => [`${prefix}${key}`, ...keyPaths(child, `${prefix}${key}.`)]);
	}

	return [];
}

interface JsonType {
	contentType: string;
	state: string;
	succeeded: number;
	failed: number;
	total: number;
	percent: number;
	complete: boolean;
	etaSeconds: number | null;
	stalledSince: string | null;
}

interface JsonReport {
	schemaVersion: number;
	server: string;
	fetchedAt: string;
	serverTime: string | null;
	phase: string;
	content: {typesDone: number; typesTotal: number; processed: number; total: number; failed: number; types: JsonType[]};
	lineage: {started: boolean; state: string; processed: number; total: number; percent: number; complete: boolean; lastConnection: string | null};
	restarts: number;
}

/** The table's rows by type: [done, total, %, failed, state]. */
function tableRows(stdout: string): Map<string, string[]> {
	const [header, ...rest] = lines(stdout);
	expect(header).toMatch(/^TYPE\s+DONE\s+TOTAL\s+%\s+FAILED\s+STATE$/);
	const rows = new Map<string, string[]>();
	for (const line of rest) {
		if (line.startsWith('lineage: ') || line.startsWith('summary: ')) {
			break;
		}

		const match = /^(\S+)\s+([\d,]+)\s+([\d,]+)\s+(\S+%)\s+([\d,]+)\s+(.+)$/.exec(line);
		expect(match, `table row: ${line}`).not.toBeNull();
		if (match) {
			const [, type = '', ...cells] = match;
			rows.set(type, cells);
		}
	}

	return rows;
}

describe.concurrent('--once, the documented seed example', () => {
	it('prints a table of all six types done, the lineage line and the summary, exit 0', async () => {
		const result = await runCli(['--demo', '--scenario', 'seed', '--once']).done;
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		const rows = tableRows(result.stdout);
		expect([...rows.keys()]).toEqual(['PublishedDatasource', 'Database', 'DatabaseTable', 'Metric', 'Workbook', 'Flow']);
		// Counts, durations and states from the seed page's example response.
		expect(rows.get('PublishedDatasource')).toEqual(['20', '20', '100%', '0', 'done in 5m']);
		expect(rows.get('Database')).toEqual(['35', '35', '100%', '0', 'done in 26s']);
		expect(rows.get('DatabaseTable')).toEqual(['64', '64', '100%', '0', 'done in 1m']);
		expect(rows.get('Flow')).toEqual(['4', '4', '100%', '0', 'done in 3m']);
		const out = lines(result.stdout);
		expect(out).toContain('lineage: 18/45 · 40.0% · 77.1/min · last: CloudFile downstreamWorkbooks Workbook');
		expect(out.at(-1)).toBe('summary: lineage 18/45 · 40.0% · 77.1/min · last: CloudFile downstreamWorkbooks Workbook');
		expect(result.stdout).not.toMatch(/\u001B/);
	}, 30_000);

	it('--json prints one document with the README example\'s fields and the same numbers', async () => {
		const result = await runCli(['--demo', '--scenario', 'seed', '--once', '--json']).done;
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		const raw: unknown = JSON.parse(result.stdout);
		// Field names exactly as documented: a rename or a removal breaks scripts reading schemaVersion 1.
		expect(keyPaths(raw).sort()).toEqual(keyPaths(readmeExample()).sort());
		const report = raw as JsonReport;
		expect(report.schemaVersion).toBe(1);
		expect(report.server).toMatch(/^127\.0\.0\.1:\d+$/);
		expect(Number.isNaN(Date.parse(report.fetchedAt))).toBe(false);
		expect(report.phase).toBe('lineage');
		expect(report.content).toMatchObject({typesDone: 6, typesTotal: 6, processed: 135, total: 135, failed: 0});
		expect(report.content.types.map(t => t.state)).toEqual(Array.from({length: 6}, () => 'done'));
		expect(report.content.types.find(t => t.contentType === 'Workbook')).toMatchObject({succeeded: 10, failed: 0, total: 10, percent: 100, complete: true});
		expect(report.lineage).toMatchObject({started: true, state: 'running', processed: 18, total: 45, percent: 40, complete: false, lastConnection: 'CloudFile downstreamWorkbooks Workbook'});
		expect(report.restarts).toBe(0);
	}, 30_000);
});

describe('--once against a live server', () => {
	it('a running backfill: signs in and out, and the table says what --json says about the same poll', async context => {
		const sim = await simulator(context, 'fast', 600);
		const start = sim.serverNow();
		// Twelve server minutes in: some types done, most running, with checkpoints to estimate from.
		await until(() => sim.serverNow() - start >= 12 * 60_000, 'the simulated run to get going');
		const file = join(tempDir(), 'once.jsonl');
		const table = await runCli(liveArgs(sim, '--once', '--record', file), liveEnv()).done;
		expect(table.stderr).toBe('');
		expect(table.code).toBe(0);
		expect(sim.stats()).toMatchObject({signIns: 1, signOuts: 1, activeSessions: 0, statusRequests: 1});

		const rows = tableRows(table.stdout);
		expect(rows.size).toBe(6);
		const states = [...rows.values()].map(row => row[4] ?? '');
		expect(states.some(state => /^running, ETA ~?[\dhm <]+/.test(state))).toBe(true);
		expect(lines(table.stdout)).toContain('lineage: waiting for content backfill');
		expect(lines(table.stdout).at(-1)).toMatch(/^summary: content \d\/6 types · \d+\.\d% · /);

		// The same poll as JSON: --replay of the one recorded poll, so both describe one answer.
		const json = await runCli(['--replay', file, '--once', '--json']).done;
		expect(json.stderr).toBe('');
		expect(json.code).toBe(0);
		const report = JSON.parse(json.stdout) as JsonReport;
		expect(report.phase).toBe('content');
		expect(report.server).toBe(new URL(sim.url).host);
		for (const type of report.content.types) {
			const row = rows.get(type.contentType);
			const done = (type.succeeded + type.failed).toLocaleString('en-US');
			expect(row?.slice(0, 2), type.contentType).toEqual([done, type.total.toLocaleString('en-US')]);
			expect(row?.[3], type.contentType).toBe(String(type.failed));
			// State words are shared: the table spells out what JSON names.
			expect(row?.[4]?.split(/[ ,]/)[0], type.contentType).toBe(type.state);
			expect(row?.[4]?.includes('ETA'), type.contentType).toBe(type.etaSeconds !== null);
		}

		expect(report.content.typesDone).toBe(states.filter(s => s.startsWith('done')).length);
	}, 60_000);

	it('exit 1 with the sign-in sentence on stderr when the secret is wrong; nothing on stdout', async context => {
		const sim = await simulator(context, 'realistic');
		const result = await runCli(liveArgs(sim, '--once'), liveEnv('not-the-secret')).done;
		expect(result.code).toBe(1);
		expect(result.stdout).toBe('');
		expect(lines(result.stderr)).toEqual([expect.stringMatching(/^backfill-top: Tableau Server rejected the sign-in: .*Check TABLEAU_PAT_SECRET/)]);
		expect(result.stderr).not.toContain('not-the-secret');
		expect(sim.stats()).toMatchObject({failedSignIns: 1, signIns: 0, statusRequests: 0});
	}, 30_000);

	it('exit 1 when the Metadata API is not enabled (404 from the first request), and still signs out', async context => {
		const sim = await simulator(context, 'realistic', 60, [{kind: 'not-enabled', afterRequests: 1, count: 100}]);
		const result = await runCli(liveArgs(sim, '--once'), liveEnv()).done;
		expect(result.code).toBe(1);
		expect(result.stdout).toBe('');
		expect(lines(result.stderr)).toEqual([
			'backfill-top: The Metadata API is not enabled on this server (the Backfill API answered 404). Run `tsm maintenance metadata-services enable` on the server as a server administrator, then try again.',
		]);
		expect(sim.stats()).toMatchObject({signIns: 1, signOuts: 1, activeSessions: 0, statusRequests: 1});
	}, 30_000);

	it('exit 1 when the user is not a server administrator (403)', async context => {
		const sim = await simulator(context, 'realistic', 60, [{kind: 'not-admin', afterRequests: 1, count: 100}]);
		const result = await runCli(liveArgs(sim, '--once', '--json'), liveEnv()).done;
		expect(result.code).toBe(1);
		expect(result.stdout).toBe('');
		expect(lines(result.stderr)).toEqual([expect.stringMatching(/^backfill-top: The server refused the Backfill API to this user \(403\): it needs a server administrator/)]);
		expect(sim.stats()).toMatchObject({signOuts: 1, activeSessions: 0});
	}, 30_000);

	it('exit 1 when nothing listens at the address (connection refused)', async () => {
		const port = await closedPort();
		const result = await runCli(['--server', `http://127.0.0.1:${port}`, '--token-name', 'demo-monitor', '--once'], liveEnv()).done;
		expect(result.code).toBe(1);
		expect(result.stdout).toBe('');
		expect(lines(result.stderr)).toEqual([`backfill-top: 127.0.0.1:${port} refused the connection: nothing is listening there, or the server is restarting. Check the URL and port, and that Tableau Server is running; polling continues.`]);
	}, 30_000);
});

describe.concurrent('--once usage errors', () => {
	it.each([
		[['--demo', '--once', '--wait'], /--once and --wait cannot be combined/],
		[['--demo', '--json'], /--json goes with --once/],
		[['--demo', '--once', '--interval', '1'], /--interval must be at least 2 seconds/],
		[['--server', 'https://tableau.example.com', '--token-secret', 'hunter2', '--once'], /--token-secret is not accepted/],
		[['--server', 'https://tableau.example.com', '--token-name', 'ci', '--once'], /needs its secret/],
		[['--replay', '/nonexistent/run.jsonl', '--once'], /--replay \/nonexistent\/run\.jsonl: no such file or directory/],
	])('%j: exit 2 with one line on stderr', async (args, message) => {
		const result = await runCli(args).done;
		expect(result.code).toBe(2);
		expect(result.stdout).toBe('');
		expect(lines(result.stderr)).toEqual([expect.stringMatching(message)]);
		expect(result.stderr).toMatch(/^backfill-top: /);
		expect(result.stderr).not.toContain('hunter2');
	}, 30_000);
});

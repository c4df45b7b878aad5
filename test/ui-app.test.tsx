import {afterEach, describe, expect, it} from 'vitest';
import {startSimulator, type FaultSpec, type Simulator} from '../source/simulator/index.js';
import {connect, type TableauClient} from '../source/tableau/client.js';
import {App} from '../source/ui/App.js';
import {makeTheme} from '../source/ui/theme.js';
import {KEYS, plain, renderSized, type Rendered} from './helpers/ink.js';
import {createWatch} from '../source/watch.js';

const theme = makeTheme({color: false, ascii: false});
let cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
	for (const cleanup of cleanups.reverse()) {
		await cleanup();
	}

	cleanups = [];
});

interface Setup {
	readonly simulator: Simulator;
	readonly client: TableauClient;
	readonly app: Rendered;
	titles: string[];
	/** The visible frame, without escape codes. */
	screen(): string;
	until(text: string | RegExp, timeoutMs?: number): Promise<string>;
}

/** The App against a real simulated server, over HTTP, in a sized fake terminal. */
async function setup(options: {scenario?: string; timeScale?: number; intervalSeconds?: number; faults?: FaultSpec[]; columns?: number; rows?: number} = {}): Promise<Setup> {
	const simulator = await startSimulator({scenario: options.scenario ?? 'realistic', timeScale: options.timeScale ?? 600, faults: options.faults});
	cleanups.push(() => simulator.close());
	const {patName, patSecret} = simulator.credentials;
	const client = await connect({server: simulator.url, site: '', credentials: {kind: 'pat', name: patName, secret: patSecret}, timeoutSeconds: 5, mode: 'demo'});
	cleanups.push(() => client.close());
	const titles: string[] = [];
	const app = renderSized(
		<App watch={createWatch(client, {intervalSeconds: options.intervalSeconds ?? 0.3, minIntervalSeconds: 0.1})} theme={theme} bell={false} onTitle={title => titles.push(title)} />,
		{columns: options.columns ?? 120, rows: options.rows ?? 40},
	);
	cleanups.push(() => app.unmount());
	const screen = () => plain(app.lastFrame());
	return {
		simulator,
		client,
		app,
		titles,
		screen,
		until: async (text, timeoutMs) => plain(await app.waitFor(frame => (typeof text === 'string' ? plain(frame).includes(text) : text.test(plain(frame))), timeoutMs)),
	};
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe('the App', () => {
	it('signs in, polls, and draws all six types with the phase and the DEMO badge', async () => {
		const s = await setup();
		const screen = await s.until(/Workbook .*\d+ \/ 9,000/);
		for (const type of ['PublishedDatasource', 'Database', 'DatabaseTable', 'Metric', 'Workbook', 'Flow']) {
			expect(screen).toContain(type);
		}

		expect(screen).toContain('DEMO');
		expect(screen).toMatch(/CONTENT ▸ \d of 6 types done/);
		await s.app.waitFor(() => s.titles.some(t => /^backfill \d+%/.test(t)));
	}, 20_000);

	it('makes no request while paused, refreshes on r even then, and resumes on p', async () => {
		const s = await setup();
		await s.until(/updated \d\d:\d\d:\d\d/);
		s.app.press('p');
		await s.until('[PAUSED]');
		// Let a request that was already on the wire land before counting.
		await sleep(300);
		const before = s.simulator.stats().statusRequests;
		await sleep(1500);
		expect(s.simulator.stats().statusRequests).toBe(before);
		s.app.press('r');
		await s.app.waitFor(() => s.simulator.stats().statusRequests === before + 1);
		await sleep(1000);
		expect(s.simulator.stats().statusRequests).toBe(before + 1);
		expect(s.screen()).toContain('[PAUSED]');
		s.app.press('p');
		await s.app.waitFor(frame => !plain(frame).includes('[PAUSED]') && s.simulator.stats().statusRequests >= before + 3);
	}, 20_000);

	it('fetches at once on r or space, without waiting for the interval', async () => {
		const s = await setup({intervalSeconds: 60});
		await s.until(/updated \d\d:\d\d:\d\d/);
		await sleep(200);
		const before = s.simulator.stats().statusRequests;
		s.app.press('r');
		await s.app.waitFor(() => s.simulator.stats().statusRequests === before + 1);
		await s.until(/updated/);
		s.app.press(' ');
		await s.app.waitFor(() => s.simulator.stats().statusRequests === before + 2);
	}, 20_000);

	it('moves the selection with the arrows, and the sparkline title and detail line follow', async () => {
		const s = await setup();
		await s.until(/Workbook .*\d+ \/ 9,000/);
		s.app.press(KEYS.down);
		await s.until('Throughput · PublishedDatasource');
		expect(s.screen()).toMatch(/PublishedDatasource · last item/);
		s.app.press(KEYS.down);
		await s.until('Throughput · Database ');
		s.app.press(KEYS.up);
		await s.until('Throughput · PublishedDatasource');
		s.app.press('k');
		await s.until('Throughput · all types');
	}, 20_000);

	it('opens help on ? and closes it on ? or Esc', async () => {
		const s = await setup();
		await s.until('Content');
		s.app.press('?');
		await s.until('pause / resume polling');
		s.app.press(KEYS.escape);
		await s.app.waitFor(frame => !plain(frame).includes('pause / resume polling') && plain(frame).includes('Content'));
		s.app.press('?');
		await s.until('pause / resume polling');
		s.app.press('?');
		await s.app.waitFor(frame => !plain(frame).includes('pause / resume polling'));
	}, 20_000);

	it('steps the interval with + and -', async () => {
		const s = await setup({intervalSeconds: 2});
		await s.until('every 2s');
		s.app.press('+');
		await s.until('every 5s');
		s.app.press('-');
		await s.until('every 2s');
		s.app.press('-');
		await sleep(100);
		expect(s.screen()).toContain('every 2s');
		// Keys typed faster than a frame arrive as one chunk; each of them is a step.
		s.app.press('+++');
		await s.until('every 15s');
		s.app.press('--');
		await s.until('every 5s');
	}, 20_000);

	it('keeps the last good data through a failing poll, says what happened, and recovers', async () => {
		const s = await setup({faults: [{kind: 'html-500', afterRequests: 3, count: 2}]});
		await s.until(/Workbook .*\d+ \/ 9,000/);
		const failing = await s.until('ERROR: Tableau Server answered with an error (HTTP 500).');
		expect(failing).toMatch(/Workbook .*\d+ \/ 9,000/);
		expect(failing).toContain('[ERROR]');
		expect(failing).toMatch(/retrying (in \d+s \(attempt \d\)|now)/);
		await s.app.waitFor(frame => !plain(frame).includes('ERROR'), 15_000);
		expect(s.simulator.stats().maxConcurrentStatus).toBe(1);
	}, 30_000);

	it('re-lays out at once on a resize, without waiting for a poll', async () => {
		const s = await setup({intervalSeconds: 60});
		await s.until(/Workbook .*\d+ \/ 9,000/);
		s.app.press('p');
		await s.until('[PAUSED]');
		const requests = s.simulator.stats().statusRequests;
		s.app.resize(60, 20);
		const narrow = await s.app.waitFor(frame => plain(frame).split('\n').every(line => [...line].length <= 60) && plain(frame).includes('Lineage ─'));
		expect(plain(narrow).split('\n').length).toBeLessThanOrEqual(19);
		s.app.resize(40, 10);
		await s.until('terminal too small');
		s.app.resize(120, 40);
		await s.until(/Throughput · all types · items\/min per checkpoint/);
		expect(s.simulator.stats().statusRequests).toBe(requests);
	}, 20_000);

	it('quits on q', async () => {
		const s = await setup();
		await s.until(/Workbook .*\d+ \/ 9,000/);
		s.app.press('q');
		await sleep(300);
		const requests = s.simulator.stats().statusRequests;
		await sleep(800);
		expect(s.simulator.stats().statusRequests).toBe(requests);
	}, 20_000);
});

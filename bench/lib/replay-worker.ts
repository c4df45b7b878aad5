/**
 * The real dashboard (App under Ink, 120x40, incremental rendering, production React) fed a
 * simulator scenario's polls as fast as it takes them: each poll is 15 s of server time later than
 * the one before. Used by the memory benchmark (heap used after a day and after seven days of polls:
 * the history and the views are bounded, so these should match; the RSS here is the harness's, at a
 * poll rate no monitor has) and by the render-cost benchmark (Ink's onRender time
 * and the time from an answer to its frame, per poll). Run as a child process with --expose-gc;
 * writes one JSON line to resultFile (stdout by default).
 * argv: scenario days timedPolls [resultFile]
 */
process.env.NODE_ENV = 'production';

const {Writable} = await import('node:stream');
const {writeFileSync} = await import('node:fs');
const {performance} = await import('node:perf_hooks');
const React = await import('react');
const {render} = await import('ink');
const {App} = await import('../../source/ui/App.js');
const {createWatch} = await import('../../source/watch.js');
const {makeTheme} = await import('../../source/ui/theme.js');
const {snapshotAt, scenarioNamed} = await import('./scenario-polls.js');
type StatusSource = import('../../source/tableau/status-source.js').StatusSource;

const [scenarioName = 'week', daysText = '7', timedText = '5760', resultFile = '/dev/stdout'] = process.argv.slice(2);
const POLL_SECONDS = 15;
const POLLS_PER_DAY = (24 * 3600) / POLL_SECONDS;
const days = Number(daysText);
const timedPolls = Number(timedText);
const scenario = scenarioNamed(scenarioName);

/** A terminal that counts what it is sent and keeps nothing. */
class NullTerminal extends Writable {
	bytes = 0;
	readonly isTTY = true;
	readonly columns = 120;
	readonly rows = 40;
	override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
		this.bytes += chunk.length;
		done();
	}
}

const gc = (globalThis as {gc?: () => void}).gc;
const heapAtDay: number[] = [];
const collect = () => {
	gc?.();
	gc?.();
	heapAtDay.push(process.memoryUsage().heapUsed / 1024 / 1024);
};

/**
 * RSS a second after the collections: V8 hands the pages they freed back to the system from a
 * background thread, and read at once the figure still held them (154 MB instead of 131 on day 7).
 */
const rssAfterCollection = () => process.memoryUsage().rss / 1024 / 1024;

let polls = 0;
let answeredAt: number | null = null;
const renderMs: number[] = [];
const pollToFrameMs: number[] = [];
const rssAtDay: number[] = [];
let gate: Promise<void> | null = null;
let finish: () => void = () => undefined;
const finished = new Promise<void>(resolve => {
	finish = resolve;
});

const source: StatusSource = {
	description: {server: 'bench', site: '', productVersion: '2024.2.3', apiVersion: '3.23', mode: 'replay'},
	async fetchStatus() {
		if (gate) {
			await gate;
		}

		polls++;
		if (polls % POLLS_PER_DAY === 0) {
			// Measure between polls, after this one's frame: the next answer waits for it.
			gate = new Promise(resolve => {
				setTimeout(() => {
					collect();
					setTimeout(() => {
						rssAtDay.push(rssAfterCollection());
						gate = null;
						if (rssAtDay.length >= days) {
							finish();
						}

						resolve();
					}, 1000);
				}, 50);
			});
		}

		const snapshot = snapshotAt(scenario, polls * POLL_SECONDS);
		answeredAt = performance.now();
		return snapshot;
	},
	close: async () => undefined,
};

const terminal = new NullTerminal();
collect();
const startRss = rssAfterCollection();
const started = performance.now();
const instance = render(
	// 1 ms, not 0: the clock's "one interval late" timer divides by the interval.
	React.createElement(App, {watch: createWatch(source, {intervalSeconds: 0.001, minIntervalSeconds: 0}), theme: makeTheme({color: true, ascii: false}), bell: false}),
	{
		stdout: terminal as unknown as NodeJS.WriteStream,
		maxFps: 1000,
		patchConsole: false,
		exitOnCtrlC: false,
		incrementalRendering: true,
		onRender({renderTime}) {
			if (polls <= timedPolls) {
				renderMs.push(renderTime);
				if (answeredAt !== null) {
					pollToFrameMs.push(performance.now() - answeredAt);
					answeredAt = null;
				}
			}
		},
	},
);
await finished;
instance.unmount();
// To a file: process.exit right after a write to a pipe can cut a long line.
writeFileSync(
	resultFile,
	`${JSON.stringify({scenario: scenarioName, polls, seconds: (performance.now() - started) / 1000, startRss, rssAtDay, heapAtDay: heapAtDay.slice(1), renderMs, pollToFrameMs, bytes: terminal.bytes, heapMb: process.memoryUsage().heapUsed / 1024 / 1024})}\n`,
);
process.exit(0);

/**
 * The built dashboard in a real terminal: tmux on a private socket, keys sent with send-keys, the
 * screen read with capture-pane, the bytes counted with pipe-pane. Assertions stick to stable
 * facts (type names, panel titles, badges, the header's clock, widths, tmux's own pane flags) so
 * the lead can keep reshaping the panels.
 */
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runCli} from './helpers/cli.js';
import {
	cells,
	colorSequences,
	exitCode,
	expectTerminalRestored,
	hasAllTypes,
	hasSparkline,
	lastNonBlank,
	launch,
	shownAgeSeconds,
	throughputPanel,
	TYPES,
	updatedTime,
} from './helpers/dashboard-pane.js';
import {hasTmux, TmuxPane} from './helpers/tmux.js';

// CI installs tmux (.ci/run); there a missing tmux is a failure, not a reason to skip.
const describeTmux = hasTmux() || process.env.CI ? describe : describe.skip;

/** The header's "every 2s" / "every 10m", in seconds. */
function intervalShown(screen: string): number | null {
	const match = /every (\d+)(s|m)\b/.exec(screen.split('\n')[0] ?? '');
	return match ? Number(match[1]) * (match[2] === 'm' ? 60 : 1) : null;
}

const sleep = async (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** Waits until the pane has received no output for `quietMs`, and returns the byte count then. */
async function settledBytes(file: string, quietMs = 600, timeoutMs = 10_000): Promise<number> {
	const deadline = Date.now() + timeoutMs;
	let last = TmuxPane.bytes(file);
	let since = Date.now();
	while (Date.now() < deadline) {
		await sleep(100);
		const now = TmuxPane.bytes(file);
		if (now !== last) {
			last = now;
			since = Date.now();
		} else if (Date.now() - since >= quietMs) {
			return now;
		}
	}

	return last;
}

/**
 * Every non-blank row belongs to one whole frame: one header, one status bar at the bottom of the
 * frame and nothing below it, every panel closed exactly once, and every bordered row ending in
 * its border. An off-by-one incremental renderer leaves a stale copy of a line (a second header,
 * a status bar below the status bar) or a row cut short; these are what this catches.
 */
function expectOneWholeFrame(rows: readonly string[], width: number, panels: readonly string[] = ['Content', 'Lineage', 'Throughput']): void {
	const text = rows.join('\n');
	expect(rows.filter(row => row.startsWith('backfill-top')), text).toHaveLength(1);
	expect(rows[0]?.startsWith('backfill-top'), text).toBe(true);
	const status = lastNonBlank(rows);
	expect(rows.filter(row => /q quit/.test(row)), text).toHaveLength(1);
	expect(rows[status], text).toMatch(/q quit/);
	expect(status, text).toBeLessThanOrEqual(rows.length - 2);
	for (const title of ['Content', 'Lineage', 'Throughput']) {
		const count = rows.filter(row => row.includes(`┌ ${title}`)).length;
		expect(count, `${title}\n${text}`).toBe(panels.includes(title) ? 1 : Math.min(count, 1));
	}

	const tops = rows.reduce((n, row) => n + [...row].filter(c => c === '┌').length, 0);
	const bottoms = rows.reduce((n, row) => n + [...row].filter(c => c === '└').length, 0);
	expect(bottoms, text).toBe(tops);
	for (const row of rows) {
		expect(cells(row), row).toBeLessThanOrEqual(width);
		if (row.startsWith('│') || row.startsWith('┌') || row.startsWith('└')) {
			expect(row.trimEnd(), text).toMatch(/[│┐┘]$/);
		}
	}
}

describeTmux('one dashboard session in a 120x40 pane (steps run in order)', () => {
	let pane: TmuxPane;
	let bytesFile = '';

	beforeAll(async () => {
		pane = TmuxPane.start(120, 40);
		// 120x: server checkpoints (every 5 server minutes) arrive every few seconds, but the
		// content phase lasts minutes, so the whole session stays in one phase.
		launch(pane, '--demo --time-scale 120');
		await pane.waitFor(hasAllTypes, 30_000);
	}, 40_000);

	afterAll(() => {
		pane?.kill();
	});

	it('fills the alternate screen with the six types, Lineage, Throughput and a sparkline, in at most rows - 1 lines', async () => {
		await pane.waitFor(() => hasSparkline(pane.rows()), 30_000);
		const rows = pane.rows();
		const screen = rows.join('\n');
		expect(rows).toHaveLength(40);
		expect(hasAllTypes(screen), screen).toBe(true);
		expect(screen).toMatch(/┌ Content/);
		expect(screen).toMatch(/┌ Lineage/);
		expect(screen).toMatch(/┌ Throughput/);
		expect(rows[0]).toMatch(/ DEMO /);
		expect(throughputPanel(rows).join('\n')).toMatch(/[▁▂▃▄▅▆▇█]/);
		expect(pane.format('alternate_on')).toBe('1');
		expect(pane.format('cursor_flag')).toBe('0');
		// Ink 6.8 clears the whole screen on every frame of `rows` lines; the last row stays empty.
		expect(rows[39]?.trim(), screen).toBe('');
		expect(lastNonBlank(rows), screen).toBeLessThanOrEqual(38);
		expect(rows[lastNonBlank(rows)], screen).toMatch(/q quit/);
		// The control for the NO_COLOR test: this detector does see the default colors.
		expect(colorSequences(pane.rows({escapes: true}).join('\n')).length).toBeGreaterThan(0);
	}, 40_000);

	it('keeps the terminal title on a short progress summary', async () => {
		// tmux's own title for a pane is the host name; only the dashboard's OSC 2 makes it this.
		await pane.waitFor(() => /backfill.*\d+(\.\d+)?%/.test(pane.format('pane_title')));
		expect(pane.format('pane_title')).toMatch(/^backfill \d+(\.\d+)?%/);
	});

	it('↑/↓ point the throughput panel at one type and back, ? and Esc open and close help, + and - step the interval', async () => {
		const throughputTitle = (rows: readonly string[]) => rows.find(row => row.includes('Throughput')) ?? '';
		expect(throughputTitle(pane.rows())).toMatch(/all types/);
		pane.keys('Down');
		await pane.waitFor(() => TYPES.some(type => throughputTitle(pane.rows()).includes(type)));
		expect(throughputTitle(pane.rows())).not.toMatch(/all types/);
		pane.keys('Up');
		await pane.waitFor(() => /all types/.test(throughputTitle(pane.rows())));

		// The status bar names neither Esc nor Ctrl-C; the help does.
		const helpShown = (screen: string) => /Esc/.test(screen) && /Ctrl-C/.test(screen);
		pane.type('?');
		await pane.waitFor(helpShown);
		pane.type('?');
		await pane.waitFor(screen => !helpShown(screen) && hasAllTypes(screen));
		pane.type('?');
		await pane.waitFor(helpShown);
		pane.keys('Escape');
		await pane.waitFor(screen => !helpShown(screen) && hasAllTypes(screen));

		expect(pane.rows()[0]).toMatch(/every 2s/);
		pane.type('+');
		await pane.waitFor(screen => /every 5s/.test(screen.split('\n')[0] ?? ''));
		pane.type('-');
		await pane.waitFor(screen => /every 2s/.test(screen.split('\n')[0] ?? ''));
	}, 40_000);

	it('p pauses: PAUSED, and the data time stands still for more than two intervals while the age keeps counting; r refreshes once, still paused', async () => {
		pane.type('p');
		await pane.waitFor(s => /PAUSED/.test(s));
		// A poll already on the wire when p was pressed may still land; polls of the demo take
		// milliseconds.
		await sleep(500);
		let screen = pane.screen();
		const pausedAt = updatedTime(screen);
		expect(pausedAt, screen).not.toBeNull();
		// The app's own age display proves it is alive and counting; the time of the data must not
		// move meanwhile (a frozen app would show neither).
		screen = await pane.waitFor(s => {
			expect(updatedTime(s), s).toBe(pausedAt);
			expect(s).toMatch(/PAUSED/);
			return (shownAgeSeconds(s) ?? 0) >= 5;
		}, 30_000);
		expect(updatedTime(screen)).toBe(pausedAt);

		pane.type('r');
		screen = await pane.waitFor(s => updatedTime(s) !== pausedAt);
		expect(screen).toMatch(/PAUSED/);
		const refreshedAt = updatedTime(screen);
		// One refresh is one poll: the time stays put again afterwards.
		await pane.waitFor(s => {
			expect(updatedTime(s), s).toBe(refreshedAt);
			return (shownAgeSeconds(s) ?? 0) >= 3;
		}, 30_000);
	}, 60_000);

	it('incremental rendering: paused, the ticking age rewrites a line a second, not the frame; a refresh is one frame at most', async () => {
		// Still paused from the step before: nothing changes but the age of the data in the header.
		expect(pane.screen()).toMatch(/PAUSED/);
		// Data older than two intervals turns STALE and is dimmed: one whole redraw, once. Count after it.
		await pane.waitFor(s => /STALE/.test(s));
		await sleep(300);
		// A full redraw writes at least every visible glyph; this is that lower bound, in bytes.
		const fullFrameAtLeast = Buffer.byteLength(pane.rows().map(row => row.trimEnd()).join(''), 'utf8');
		bytesFile = pane.startCounting();
		const ageBefore = shownAgeSeconds(pane.screen()) ?? 0;
		await sleep(3200);
		const idleBytes = TmuxPane.bytes(bytesFile);
		const ticks = (shownAgeSeconds(pane.screen()) ?? 0) - ageBefore;

		const before = await settledBytes(bytesFile);
		const shown = updatedTime(pane.screen());
		pane.type('r');
		await pane.waitFor(s => updatedTime(s) !== shown && updatedTime(s) !== null);
		const refreshBytes = (await settledBytes(bytesFile)) - before;
		pane.stopCounting();
		console.log(`idle: ${idleBytes} bytes over ${ticks} age ticks; a refresh that changed the data: ${refreshBytes} bytes; a full frame is at least ${fullFrameAtLeast}`);
		expect(ticks).toBeGreaterThanOrEqual(2);
		expect(idleBytes).toBeGreaterThan(0);
		// Redrawing the frame on every tick would write at least `ticks` full frames.
		expect(idleBytes).toBeLessThan(fullFrameAtLeast / 4);
		expect(refreshBytes).toBeGreaterThan(0);
		// At 120x every type moved between the two polls, so most rows change; still no clear-and-redraw.
		expect(refreshBytes).toBeLessThan(fullFrameAtLeast * 1.5);
	}, 60_000);

	it('re-lays out on resize at once, even paused with a 10-minute interval: 60x20 fits in 60 columns, 40x10 says too small, 120x40 restores the panels', async () => {
		// Paused and at the slowest interval, nothing but the resize itself can redraw the screen.
		for (let step = 0; step < 8; step++) {
			pane.type('+');
		}

		await pane.waitFor(s => (intervalShown(s) ?? 0) >= 600 && /PAUSED/.test(s));
		const wide = pane.rows({joined: true});
		const wideContentTop = wide.find(row => row.startsWith('┌ Content')) ?? '';
		expect(cells(wideContentTop)).toBe(120);

		pane.resize(60, 20);
		const narrow = await pane.waitFor(() => {
			const rows = pane.rows({joined: true});
			return cells(rows.find(row => row.startsWith('┌ Content')) ?? '') === 60 && rows.every(row => cells(row) <= 60);
		}, 5000);
		const narrowRows = pane.rows({joined: true});
		for (const row of narrowRows) {
			expect(cells(row), narrow).toBeLessThanOrEqual(60);
		}

		expect(hasAllTypes(narrow), narrow).toBe(true);
		expect(lastNonBlank(pane.rows()), narrow).toBeLessThanOrEqual(18);

		pane.resize(40, 10);
		const small = await pane.waitFor(s => /terminal too small: need \d+x\d+/.test(s), 5000);
		expect(small.split('\n').filter(row => row.trim() !== ''), small).toHaveLength(1);
		for (const row of pane.rows({joined: true})) {
			expect(cells(row)).toBeLessThanOrEqual(40);
		}

		pane.resize(120, 40);
		const back = await pane.waitFor(s => hasAllTypes(s) && /┌ Lineage/.test(s) && /┌ Throughput/.test(s), 5000);
		expect(back).not.toMatch(/too small/);
		expect(cells(pane.rows({joined: true}).find(row => row.startsWith('┌ Content')) ?? '')).toBe(120);

		for (let step = 0; step < 8; step++) {
			pane.type('-');
		}

		await pane.waitFor(s => /every 2s/.test(s.split('\n')[0] ?? ''));
	}, 60_000);

	it('leaves no ghost lines after resizes and many live updates: the screen is one whole frame', async () => {
		expectOneWholeFrame(pane.rows(), 120);
		pane.type('p');
		await pane.waitFor(s => !/PAUSED/.test(s));
		// Live again: let a handful of polls redraw the frame, with a resize in between.
		let seen = updatedTime(pane.screen());
		for (let update = 0; update < 4; update++) {
			const screen = await pane.waitFor(s => updatedTime(s) !== seen && updatedTime(s) !== null, 20_000);
			seen = updatedTime(screen);
			if (update === 1) {
				pane.resize(100, 34);
				await pane.waitFor(() => cells(pane.rows({joined: true}).find(row => row.startsWith('┌ Content')) ?? '') === 100, 5000);
				expectOneWholeFrame(pane.rows(), 100, ['Content']);
				pane.resize(120, 40);
				await pane.waitFor(() => cells(pane.rows({joined: true}).find(row => row.startsWith('┌ Content')) ?? '') === 120, 5000);
			}
		}

		await sleep(300);
		expectOneWholeFrame(pane.rows(), 120);
	}, 90_000);

	it('q leaves the alternate screen with the cursor visible, exit code 0, and the shell takes input', async () => {
		pane.type('q');
		// The exit code first: typed while the tool is still exiting, the shell's echo would land on the rc= line.
		expect(await exitCode(pane)).toBe(0);
		await expectTerminalRestored(pane);
	}, 30_000);
});

describeTmux('the dashboard in other set-ups', () => {
	const panes: TmuxPane[] = [];
	const dirs: string[] = [];
	const start = (width: number, height: number, env: Record<string, string> = {}) => {
		const pane = TmuxPane.start(width, height, env);
		panes.push(pane);
		return pane;
	};

	// The tests below run concurrently: cleaning up after each one would kill the others' panes.
	afterAll(() => {
		for (const pane of panes.splice(0)) {
			pane.kill();
		}

		for (const dir of dirs.splice(0)) {
			rmSync(dir, {recursive: true, force: true});
		}
	});

	it.concurrent('with CI=true exported it still renders live on a terminal', async () => {
		const pane = start(120, 40, {CI: 'true'});
		pane.run('echo "CI is $CI"');
		await pane.waitFor(s => /^CI is true$/m.test(s));
		launch(pane, '--demo');
		let screen = await pane.waitFor(s => hasAllTypes(s) && updatedTime(s) !== null, 30_000);
		expect(pane.format('alternate_on')).toBe('1');
		// Ink in CI mode would draw once, at exit; a second poll redrawn proves live rendering.
		const first = updatedTime(screen);
		screen = await pane.waitFor(s => updatedTime(s) !== first && updatedTime(s) !== null, 20_000);
		expect(hasAllTypes(screen)).toBe(true);
		pane.type('q');
		await expectTerminalRestored(pane);
	}, 60_000);

	it.concurrent('rings the bell once when content completes and once when lineage completes, and never with --no-bell', async () => {
		const ringing = start(100, 30);
		const silent = start(100, 30);
		const rung = ringing.recordBells();
		const unrung = silent.recordBells();
		// 200x: a poll every 400 server seconds, so the 720-second lineage phase is seen by at least
		// one poll between content done and lineage done (two bells, not one for both).
		launch(ringing, '--demo --scenario fast --time-scale 200');
		launch(silent, '--demo --scenario fast --time-scale 200 --no-bell');
		for (const pane of [ringing, silent]) {
			await pane.waitFor(s => /COMPLETE/.test(s), 45_000);
		}

		// The hook runs asynchronously in the tmux server.
		await ringing.waitFor(() => TmuxPane.lineCount(rung) >= 2, 10_000);
		await sleep(1000);
		expect(TmuxPane.lineCount(rung)).toBe(2);
		expect(TmuxPane.lineCount(unrung)).toBe(0);
		expect(ringing.format('pane_title')).toMatch(/complete/);
		ringing.type('q');
		silent.type('q');
		await expectTerminalRestored(ringing);
		await expectTerminalRestored(silent);
		expect(TmuxPane.lineCount(rung)).toBe(2);
	}, 90_000);

	it.concurrent('--ascii draws only ASCII; NO_COLOR=1 draws no color at all', async () => {
		const ascii = start(120, 40);
		const plain = start(120, 40, {NO_COLOR: '1'});
		launch(ascii, '--demo --time-scale 120 --ascii');
		launch(plain, '--demo --time-scale 120');
		for (const pane of [ascii, plain]) {
			await pane.waitFor(s => hasAllTypes(s) && /Throughput/.test(s) && updatedTime(s) !== null, 30_000);
			const first = updatedTime(pane.screen());
			await pane.waitFor(s => updatedTime(s) !== first && updatedTime(s) !== null, 20_000);
		}

		const asciiScreen = ascii.screen();
		const foreign = [...asciiScreen].filter(c => (c.codePointAt(0) ?? 0) >= 0x80);
		expect(foreign, asciiScreen).toEqual([]);
		const colored = plain.rows({escapes: true}).join('\n');
		expect(colorSequences(colored), colored).toEqual([]);
		// Not colorless because nothing was drawn: the frame is there, in the alternate screen.
		expect(plain.format('alternate_on')).toBe('1');
		expect(hasAllTypes(plain.screen())).toBe(true);
		ascii.type('q');
		plain.type('q');
		await expectTerminalRestored(ascii);
		await expectTerminalRestored(plain);
	}, 60_000);

	it.concurrent('--replay FILE plays a recording through the dashboard: REPLAY in the header, the types on screen', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'bft-replay-'));
		dirs.push(dir);
		const file = join(dir, 'night.jsonl');
		const recording = runCli(['--demo', '--scenario', 'fast', '--time-scale', '900', '--plain', '--wait', '--record', file], {}, {timeoutMs: 60_000});
		const recorded = await recording.done;
		expect(recorded.code, recorded.stderr).toBe(0);
		expect(readFileSync(file, 'utf8')).toMatch(/"type":"snapshot"/);

		const pane = start(120, 40);
		launch(pane, `--replay '${file}'`);
		const screen = await pane.waitFor(s => hasAllTypes(s) && /REPLAY/.test(s.split('\n')[0] ?? ''), 30_000);
		expect(screen).not.toMatch(/ DEMO /);
		expect(pane.format('alternate_on')).toBe('1');
		pane.type('q');
		// The exit code first: typed while the tool is still exiting, the shell's echo would land on the rc= line.
		expect(await exitCode(pane)).toBe(0);
		await expectTerminalRestored(pane);
	}, 90_000);
});

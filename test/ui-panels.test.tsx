import './helpers/force-color.js';
import {readFileSync} from 'node:fs';
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {addSnapshot, emptyHistory, type History} from '../source/model/history.js';
import {deriveProgress, LASTING_CHANGE_MS, LINEAGE_SERIES, throughputSeries} from '../source/model/rates.js';
import type {PollState} from '../source/poller.js';
import {normalize} from '../source/tableau/schema.js';
import type {ServerDescription} from '../source/tableau/status-source.js';
import {renderToString} from 'ink';
import {Dashboard, dashboardLayout} from '../source/ui/Dashboard.js';
import {helpLines} from '../source/ui/HelpOverlay.js';
import {computeLayout, MIN_COLUMNS, MIN_ROWS} from '../source/ui/layout.js';
import {progressBarText} from '../source/ui/ProgressBar.js';
import {sameData} from '../source/ui/sameData.js';
import {sparklineRows, sparklineText} from '../source/ui/Sparkline.js';
import {makeTheme} from '../source/ui/theme.js';
import {plain} from './helpers/ink.js';
import {scenarioHistory, START} from './helpers/histories.js';


const description: ServerDescription = {server: 'tableau.example.com', site: '', productVersion: '2024.2.3', apiVersion: '3.23', mode: 'live'};
const colorTheme = makeTheme({color: true, ascii: false});
const monoTheme = makeTheme({color: false, ascii: false});
const asciiTheme = makeTheme({color: false, ascii: true});

function pollAt(at: number, change: Partial<PollState> = {}): PollState {
	return {
		paused: false,
		intervalSeconds: 15,
		inFlight: false,
		inFlightSince: null,
		lastAttemptAt: at,
		lastSuccessAt: at,
		error: null,
		consecutiveFailures: 0,
		nextPollAt: at + 15_000,
		...change,
	};
}

interface Screen {
	readonly raw: string;
	readonly text: string;
	readonly lines: string[];
}

/** Draws the dashboard for `history` as the App would: the sparkline sized by the layout, following the phase. */
function draw(history: History, options: {columns?: number; rows?: number; selected?: string | null; theme?: typeof colorTheme; poll?: Partial<PollState>} = {}): Screen {
	const columns = options.columns ?? 120;
	const rows = options.rows ?? 40;
	const progress = deriveProgress(history);
	const at = history.latest?.receivedAt ?? START;
	const poll = pollAt(at, options.poll);
	const now = at + 3000;
	const selected = options.selected ?? null;
	const layout = dashboardLayout({columns, rows, progress, selected, poll, now});
	const key = selected ?? (progress?.lineage.started && progress.phase !== 'content' ? LINEAGE_SERIES : null);
	const series = throughputSeries(history, key, layout.spark.width);
	const raw = renderToString(
		<Dashboard description={description} progress={progress} series={series} poll={poll} selected={selected} showHelp={false} columns={columns} rows={rows} theme={options.theme ?? monoTheme} now={now} />,
		{columns},
	);
	const text = plain(raw);
	return {raw, text, lines: text.split('\n')};
}

function row(screen: Screen, contentType: string): string {
	const line = screen.lines.find(l => new RegExp(`^│.*[ ]${contentType}[ ]`).test(l));
	if (!line) {
		throw new Error(`no row for ${contentType} in\n${screen.text}`);
	}

	return line;
}

function fits(screen: Screen, columns: number, rows: number): void {
	expect(screen.lines.length).toBeLessThanOrEqual(rows - 1);
	for (const line of screen.lines) {
		expect(stringWidth(line), line).toBeLessThanOrEqual(columns);
	}
}

const seedText = readFileSync(new URL('fixtures/seed-example.json', import.meta.url), 'utf8');
const seedHistory = addSnapshot(emptyHistory(), normalize(JSON.parse(seedText), {receivedAt: START, serverTime: START}));

describe('dashboard panels', () => {
	it('draws the documented example: six finished types and lineage in progress', () => {
		const screen = draw(seedHistory);
		for (const [type, count] of [
			['PublishedDatasource', '20 / 20'],
			['Database', '35 / 35'],
			['DatabaseTable', '64 / 64'],
			['Metric', '2 / 2'],
			['Workbook', '10 / 10'],
			['Flow', '4 / 4'],
		] as const) {
			const line = row(screen, type);
			expect(line).toContain('✓');
			expect(line).toContain(count);
			expect(line).toContain('100%');
		}

		expect(screen.lines[1]).toMatch(/^LINEAGE ▸ content done/);
		expect(screen.text).toContain('18 / 45');
		expect(screen.text).toContain('40%');
		expect(screen.text).toContain('last: CloudFile downstreamWorkbooks Workbook');
		fits(screen, 120, 40);
	});

	it('shows a running backfill with rates, ETAs and the type that bounds the phase', () => {
		const screen = draw(scenarioHistory('realistic', 2 * 3600));
		const workbook = row(screen, 'Workbook');
		expect(workbook).toContain('›');
		expect(workbook).toMatch(/\d+\.\d\/min/);
		expect(workbook).toMatch(/~\d+h/);
		expect(row(screen, 'Database')).toMatch(/done in \d+m/);
		expect(screen.lines[1]).toMatch(/CONTENT ▸ 4 of 6 types done .*ETA ~\S+.*\(Workbook\)/);
		expect(screen.text).toContain('waiting for content backfill');
		// A sparkline of block characters, scaled from zero, with its scale beside it.
		expect(screen.text).toMatch(/[▁▂▃▄▅▆▇█]{5,}/);
		expect(screen.text).toMatch(/now [\d.]+\/min {2}max [\d.,]+\/min/);
		expect(screen.text).toContain('Throughput · all types');
		fits(screen, 120, 40);
	});

	it('names a stall with its time instead of an ETA', () => {
		// DatabaseTable stops at half of its 27 minutes in the stalled scenario.
		const screen = draw(scenarioHistory('stalled', 50 * 60));
		const table = row(screen, 'DatabaseTable');
		expect(table).toMatch(/! DatabaseTable/);
		expect(table).toMatch(/stalled since \d\d:\d\d/);
		expect(table).not.toMatch(/~\d/);
		expect(screen.lines[1]).toContain('DatabaseTable stalled, no ETA');
	});

	it('shows failed items as a number and a mark, not by color alone', () => {
		const screen = draw(scenarioHistory('failures', 3 * 3600), {theme: monoTheme});
		expect(row(screen, 'Workbook')).toMatch(/\d+ ✗/);
		expect(screen.raw).not.toMatch(/\u001B\[(3\d|9\d|4\d|10\d|38|48)[;m]/);
	});

	it('draws lineage alone when the server reports only lineage', () => {
		const snapshot = normalize(
			{lineageBackfillTotalDurationSeconds: 600, lineageBackfillStatus: {totalCount: 900, processedCount: 300, lastLineageConnection: 'Database downstreamTables DatabaseTable', backfillComplete: false}},
			{receivedAt: START, serverTime: START},
		);
		const screen = draw(addSnapshot(emptyHistory(), snapshot));
		expect(screen.lines[1]).toMatch(/^LINEAGE/);
		expect(screen.text).toContain('no content types reported yet');
		expect(screen.text).toContain('300 / 900');
		expect(screen.text).toContain('33%');
		expect(screen.text).toContain('last: Database downstreamTables DatabaseTable');
	});

	it('follows the lineage phase in the sparkline when nothing is selected', () => {
		const screen = draw(scenarioHistory('fast', 36 * 60, {pollSeconds: 30}));
		expect(screen.lines[1]).toMatch(/^LINEAGE/);
		expect(screen.text).toContain('Throughput · lineage · relationships/min');
	});

	it('cuts a long lineage connection to its line instead of wrapping it', () => {
		const long = `Workbook ${'upstreamDatasources '.repeat(12)}PublishedDatasource`;
		const snapshot = normalize(
			{lineageBackfillTotalDurationSeconds: 60, lineageBackfillStatus: {totalCount: 10, processedCount: 4, lastLineageConnection: long, backfillComplete: false}},
			{receivedAt: START, serverTime: START},
		);
		const screen = draw(addSnapshot(emptyHistory(), snapshot), {columns: 80, rows: 24});
		const last = screen.lines.filter(l => l.includes('last: Workbook'));
		expect(last).toHaveLength(1);
		expect(last[0]).toContain('…');
		expect(screen.lines.filter(l => l.includes('upstream'))).toHaveLength(1);
		fits(screen, 80, 24);
	});

	it('drops columns in a fixed order as the terminal narrows', () => {
		const history = scenarioHistory('realistic', 2 * 3600);
		const wide = row(draw(history, {columns: 120}), 'Workbook');
		const medium = row(draw(history, {columns: 80, rows: 24}), 'Workbook');
		const narrow = row(draw(history, {columns: 60, rows: 20}), 'Workbook');
		expect(wide).toMatch(/\/min/);
		expect(wide).toMatch(/~\d/);
		// The rate goes first, then the ETA; the bar shrinks; counts, percent and failures stay.
		expect(medium).not.toMatch(/\/min/);
		expect(medium).toMatch(/~\d/);
		expect(narrow).not.toMatch(/~\d/);
		for (const line of [wide, medium, narrow]) {
			expect(line).toMatch(/3,\d{3} \/ 9,000/);
			expect(line).toMatch(/4\d%/);
			expect(line).toMatch(/\d ✗/);
		}

		const bar = (line: string) => (line.match(/[█▏▎▍▌▋▊▉░]+/)?.[0] ?? '').length;
		expect(bar(wide)).toBeGreaterThan(bar(medium));
		expect(bar(medium)).toBeGreaterThan(bar(narrow));
		expect(bar(narrow)).toBeGreaterThanOrEqual(8);
		for (const [columns, rows] of [
			[120, 40],
			[80, 24],
			[60, 20],
			[50, 12],
		] as const) {
			fits(draw(history, {columns, rows}), columns, rows);
		}
	});

	it('measures type names in terminal cells: wide (CJK) names are cut, never pushed past the border', () => {
		const wide = seedText.replaceAll('"Workbook"', '"ワークブック"').replaceAll('"Flow"', '"データベーステーブル一覧表示用コンテンツ"');
		const history = addSnapshot(emptyHistory(), normalize(JSON.parse(wide), {receivedAt: START, serverTime: START}));
		for (const [columns, rows] of [
			[120, 40],
			[80, 24],
			[60, 20],
		] as const) {
			const screen = draw(history, {columns, rows});
			fits(screen, columns, rows);
			const top = screen.lines.findIndex(line => line.startsWith('┌ Content'));
			const bottom = screen.lines.findIndex((line, index) => index > top && line.startsWith('└'));
			const rowsOfContent = screen.lines.slice(top + 1, bottom).filter(line => /\d \/ [\d,]+/.test(line));
			expect(rowsOfContent.length, screen.text).toBe(6);
			// Every content row is exactly as wide as the box, so the counts line up under each other.
			for (const line of rowsOfContent) {
				expect(stringWidth(line), screen.text).toBe(columns);
			}

			expect(screen.text).toMatch(/ワークブック/);
			expect(screen.text).toMatch(/データベース.*…/);
		}
	});

	it('help states the ETA rule as the model applies it: a change followed once it has lasted LASTING_CHANGE_MS', () => {
		const eta = helpLines(monoTheme).find(line => line.startsWith('ETA:'));
		expect(eta).toContain(`lasted ${LASTING_CHANGE_MS / 60_000}m;`);
	});

	it('says the terminal is too small below the minimum, on one line', () => {
		const screen = draw(scenarioHistory('realistic', 3600), {columns: 40, rows: 10});
		expect(screen.lines).toHaveLength(1);
		expect(screen.text).toContain(`terminal too small: need ${MIN_COLUMNS}x${MIN_ROWS}`.slice(0, 39));
	});

	it('keeps the selected type visible when the rows are clipped, and shows its detail line', () => {
		const history = scenarioHistory('extra-types', 2 * 3600);
		const screen = draw(history, {columns: 60, rows: 12, selected: 'Lens'});
		expect(screen.text).toContain('Lens');
		expect(screen.text).toMatch(/\+\d more/);
		const roomy = draw(history, {selected: 'Workbook'});
		expect(roomy.text).toMatch(/Workbook · last item sites\/1\/workbooks\/\d+ · checkpoint \d\d:\d\d:\d\d/);
		expect(roomy.text).toContain('Throughput · Workbook');
		fits(screen, 60, 12);
	});

	it('uses only ASCII with --ascii', () => {
		for (const history of [scenarioHistory('realistic', 2 * 3600), seedHistory, scenarioHistory('stalled', 50 * 60)]) {
			const screen = draw(history, {theme: asciiTheme});
			const offending = [...screen.text].filter(char => char.charCodeAt(0) > 0x7e);
			expect(offending).toEqual([]);
			expect(screen.text).toMatch(/[_.:\-=+*#]{5,}/);
		}
	});

	it('draws color only when color is on, and the same words either way', () => {
		const history = scenarioHistory('stalled', 50 * 60);
		const colored = draw(history, {theme: colorTheme});
		const mono = draw(history, {theme: monoTheme});
		expect(colored.raw).toMatch(/\u001B\[(3\d|9\d)m/);
		expect(mono.raw).not.toMatch(/\u001B\[(3\d|9\d|4\d|10\d|38|48)[;m]/);
		const visible = (screen: Screen) => screen.lines.map(line => line.trimEnd());
		expect(visible(mono)).toEqual(visible(colored));
	});

	it('dims the last good data and explains an error with a countdown', () => {
		const history = scenarioHistory('realistic', 2 * 3600);
		const at = history.latest?.receivedAt ?? START;
		const screen = draw(history, {
			poll: {error: {kind: 'server-error', message: 'Tableau Server answered with an error (HTTP 500).', action: 'The server may be restarting or overloaded; polling continues.', retryable: true}, consecutiveFailures: 2, nextPollAt: at + 3000 + 28_000, lastSuccessAt: at - 60_000},
		});
		expect(screen.text).toContain('ERROR: Tableau Server answered with an error (HTTP 500).');
		expect(screen.text).toMatch(/polling continues\. {2}retrying in 28s \(attempt 3\)/);
		expect(row(screen, 'Workbook')).toMatch(/3,\d{3} \/ 9,000/);
		expect(screen.text).toContain('[ERROR]');
		expect(screen.text).toContain('STALE');
		fits(screen, 120, 40);
	});

	it('shows PAUSED in the status bar', () => {
		const screen = draw(seedHistory, {poll: {paused: true, nextPollAt: null}});
		expect(screen.lines.at(-1)).toMatch(/p resume .*\[PAUSED\]$/);
	});
});

describe('layout', () => {
	it('never gives more than rows - 1 lines, at any size and number of types', () => {
		for (let columns = 50; columns <= 200; columns += 7) {
			for (let rows = 12; rows <= 60; rows += 3) {
				for (const typeCount of [0, 1, 6, 8, 30]) {
					for (const error of [false, true]) {
						const layout = computeLayout({columns, rows, typeCount, detailLine: typeCount > 0, error});
						const bottom = layout.sideBySide ? Math.max(layout.lineage.rows, layout.throughput.rows) : layout.lineage.rows + layout.throughput.rows;
						const used = 2 + layout.errorRows + (layout.contentRows + 2) + Math.max(bottom, layout.lineage.rows === 0 ? 1 : 0) + 1;
						expect(used).toBeLessThanOrEqual(rows - 1);
						expect(layout.contentRows).toBeGreaterThanOrEqual(1);
					}
				}
			}
		}
	});

	it('gives the content rows priority over the bottom panels', () => {
		const tight = computeLayout({columns: 120, rows: 14, typeCount: 6, detailLine: false, error: false});
		expect(tight.contentRows).toBe(6);
		expect(tight.throughput.rows).toBe(0);
		const roomy = computeLayout({columns: 120, rows: 40, typeCount: 6, detailLine: false, error: false});
		expect(roomy.contentRows).toBe(6);
		expect(roomy.spark.rows).toBeGreaterThan(5);
		expect(roomy.lineage.rows).toBe(roomy.throughput.rows);
	});
});

describe('bars and sparklines', () => {
	it('draws a bar of exactly its width that never looks finished before it is', () => {
		for (const fraction of [0, 0.001, 0.33, 0.5, 0.999, 1]) {
			for (const width of [3, 8, 31]) {
				for (const theme of [monoTheme, asciiTheme]) {
					const {filled, empty} = progressBarText(fraction, width, theme);
					expect([...filled, ...empty]).toHaveLength(width);
					if (fraction < 1) {
						expect(empty.length).toBeGreaterThan(0);
					}
				}
			}
		}

		expect(progressBarText(1, 10, monoTheme).empty).toBe('');
		expect(progressBarText(Number.NaN, 4, monoTheme)).toEqual({filled: '', empty: '░░░░'});
	});

	it('scales from zero, keeps gaps as gaps, and puts the newest value on the right', () => {
		expect(sparklineText([0, 4, 8, null, 8], 5, 8, monoTheme)).toBe('▁▅█·█');
		expect(sparklineText([8, 8], 4, 8, monoTheme)).toBe('  ██');
		expect(sparklineText([1, 2, 3, 4, 5, 6], 3, 6, monoTheme)).toBe(sparklineText([4, 5, 6], 3, 6, monoTheme));
		expect(sparklineText([0, 4, 8, null], 4, 8, asciiTheme)).toBe('_=# ');
		const tall = sparklineRows([8, 4, null, 1], 4, 2, 8, monoTheme);
		expect(tall).toEqual(['█   ', '██·▂']);
	});
});

describe('sameData (what the memoized panels compare)', () => {
	it('is structural for plain data and by identity for anything else', () => {
		const progress = deriveProgress(scenarioHistory('realistic', 7200));
		const again = deriveProgress(scenarioHistory('realistic', 7200));
		expect(again).not.toBe(progress);
		expect(sameData(progress, again)).toBe(true);
		expect(sameData(progress, deriveProgress(scenarioHistory('realistic', 7500)))).toBe(false);
		expect(sameData({a: [1, {b: Number.NaN}]}, {a: [1, {b: Number.NaN}]})).toBe(true);
		expect(sameData({a: [1, 2]}, {a: [1, 2, 3]})).toBe(false);
		expect(sameData({a: 1}, {a: 1, b: undefined})).toBe(false);
		expect(sameData({a: null}, {a: undefined})).toBe(false);
		expect(sameData([1], {0: 1})).toBe(false);
		const f = () => 1;
		expect(sameData({f}, {f})).toBe(true);
		expect(sameData({f}, {f: () => 1})).toBe(false);
		expect(sameData(new Date(0), new Date(0))).toBe(false);
	});
});

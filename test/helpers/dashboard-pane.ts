import {randomBytes} from 'node:crypto';
import {CLI} from './cli.js';
import {TmuxPane} from './tmux.js';

/**
 * What the end-to-end tests read off a real screen. The lead keeps changing the layout, so these
 * look only for stable facts: type names, panel titles, badges, the header's clock, line widths.
 */

/** The six documented content types, as the demo's realistic and fast scenarios report them. */
export const TYPES = ['PublishedDatasource', 'Database', 'DatabaseTable', 'Metric', 'Workbook', 'Flow'] as const;

/** The built command, quoted for the pane's shell (the repository path may hold anything). */
export const COMMAND = `node '${CLI.replaceAll("'", String.raw`'\''`)}'`;

const SPARK_GLYPHS = /[▁▂▃▄▅▆▇█]/;

/** Each of the six types as a whole word ("Database" must not be found inside "DatabaseTable"). */
export function hasAllTypes(screen: string): boolean {
	return TYPES.every(type => new RegExp(`(^|[^A-Za-z])${type}([^A-Za-z]|$)`, 'm').test(screen));
}

/** The header's "updated HH:MM:SS": when the data on screen arrived (client clock). */
export function updatedTime(screen: string): string | null {
	return /updated (\d\d:\d\d:\d\d)/.exec(screen)?.[1] ?? null;
}

/** The age the header shows next to "updated", in seconds; null when not shown as seconds or minutes. */
export function shownAgeSeconds(screen: string): number | null {
	const match = /updated \d\d:\d\d:\d\d \((?:(\d+)m ?)?(?:(\d+)s)? ago\)/.exec(screen);
	if (match === null || (match[1] === undefined && match[2] === undefined)) {
		return null;
	}

	return Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0);
}

/** Terminal cells of a captured line: every glyph this dashboard draws is one cell wide. */
export function cells(line: string): number {
	return [...line].length;
}

/**
 * The inside of the Throughput panel, wherever the layout puts it: the rows under its top border,
 * from its left border to the end of the row, down to its bottom border.
 */
export function throughputPanel(rows: readonly string[]): string[] {
	const top = rows.findIndex(row => /┌[─ ]*Throughput/.test(row) || /\+[- ]*Throughput/.test(row));
	if (top === -1) {
		return [];
	}

	const topCells = [...(rows[top] ?? '')];
	const titleAt = topCells.join('').indexOf('Throughput');
	let left = titleAt;
	while (left > 0 && topCells[left] !== '┌' && topCells[left] !== '+') {
		left--;
	}

	const inside: string[] = [];
	for (const row of rows.slice(top + 1)) {
		const rowCells = [...row];
		if (rowCells[left] === '└' || rowCells[left] === '+') {
			break;
		}

		inside.push(rowCells.slice(left + 1).join(''));
	}

	return inside;
}

export function hasSparkline(rows: readonly string[]): boolean {
	return throughputPanel(rows).some(row => SPARK_GLYPHS.test(row));
}

/** The last row with something on it: the status bar, when the frame is whole. */
export function lastNonBlank(rows: readonly string[]): number {
	for (let index = rows.length - 1; index >= 0; index--) {
		if ((rows[index] ?? '').trim() !== '') {
			return index;
		}
	}

	return -1;
}

/** SGR sequences that set a foreground or background color (3x, 4x, 9x, 10x, 38;5/38;2, 48;...). */
export function colorSequences(text: string): string[] {
	const found: string[] = [];
	for (const match of text.matchAll(/\u001B\[([\d;:]*)m/g)) {
		const params = (match[1] ?? '').split(/[;:]/).map(Number);
		if (params.some(p => (p >= 30 && p <= 38) || (p >= 40 && p <= 48) || (p >= 90 && p <= 97) || (p >= 100 && p <= 107))) {
			found.push(match[0]);
		}
	}

	return found;
}

/** Starts the built command in the pane's shell, followed by its exit code on a line of its own. */
export function launch(pane: TmuxPane, args: string, prefix = ''): void {
	pane.run(`${prefix}${COMMAND} ${args}; echo "rc=$?"`);
}

/** The exit code the shell printed after the command (see `launch`). */
export async function exitCode(pane: TmuxPane, timeoutMs = 20_000): Promise<number> {
	const screen = await pane.waitFor(s => /^rc=\d+$/m.test(s), timeoutMs);
	return Number(/^rc=(\d+)$/m.exec(screen)?.[1]);
}

/**
 * The terminal is back as it was: the normal screen, the cursor visible, and a shell that reads
 * and runs a command typed into it.
 */
export async function expectTerminalRestored(pane: TmuxPane, timeoutMs = 20_000): Promise<void> {
	await pane.waitForFormat('alternate_on', '0', timeoutMs);
	await pane.waitForFormat('cursor_flag', '1', timeoutMs);
	const word = `ok-${randomBytes(4).toString('hex')}`;
	pane.run(`echo ${word}`);
	await pane.waitFor(screen => new RegExp(`^${word}$`, 'm').test(screen), timeoutMs);
}

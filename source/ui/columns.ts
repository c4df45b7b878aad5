import stringWidth from 'string-width';
import {formatCount, formatEta, formatPercent, formatRate} from '../model/format.js';
import type {TypeProgress} from '../model/progress.js';
import {stateText} from '../modes/summary.js';
import type {Theme} from './theme.js';

/** The text of each cell of a content row; the layout decides which of them fit. */
export interface RowCells {
	readonly glyph: string;
	readonly name: string;
	readonly count: string;
	readonly percent: string;
	readonly failed: string;
	readonly rate: string;
	readonly eta: string;
}

export function rowCells(type: TypeProgress, theme: Theme, narrowCounts: boolean): RowCells {
	return {
		glyph: theme.glyphs.state[type.state],
		name: type.contentType,
		count: `${formatCount(type.processed, narrowCounts)} / ${formatCount(type.total, narrowCounts)}`,
		percent: formatPercent(type.percent, type.complete),
		failed: type.failed > 0 ? `${formatCount(type.failed, true)} ${theme.glyphs.failed}` : '',
		rate: type.ratePerMinute === null || type.complete ? '' : formatRate(type.ratePerMinute),
		eta: etaCell(type),
	};
}

function etaCell(type: TypeProgress): string {
	if (type.state === 'running' && type.etaSeconds !== null) {
		return formatEta(type.etaSeconds);
	}

	return type.state === 'running' ? '' : stateText(type);
}

export interface ColumnWidths {
	readonly name: number;
	readonly bar: number;
	readonly count: number;
	readonly percent: number;
	readonly failed: number;
	/** 0 = dropped. */
	readonly rate: number;
	readonly eta: number;
}

const MIN_BAR = 8;
const GLYPH = 2;

/**
 * Fits the columns into `width`: the rate goes first, then the ETA, then the bar shrinks and
 * finally goes; the name is truncated last. Every row then has exactly the same width.
 */
export function fitColumns(rows: readonly RowCells[], width: number): ColumnWidths {
	// Cells, not code units: a server's type name may hold wide (CJK) or combined characters.
	const widest = (pick: (row: RowCells) => string) => Math.max(0, ...rows.map(row => stringWidth(pick(row))));
	const name = Math.min(widest(r => r.name), 22);
	const count = widest(r => r.count);
	const percent = 4;
	const failed = widest(r => r.failed);
	const rate = widest(r => r.rate);
	const eta = widest(r => r.eta);
	const cell = (w: number) => (w > 0 ? w + 1 : 0);
	const fixed = GLYPH + name + 1 + count + 1 + percent + cell(failed);
	const barWith = (withRate: boolean, withEta: boolean) => width - fixed - 1 - (withRate ? cell(rate) : 0) - (withEta ? cell(eta) : 0);
	for (const [withRate, withEta] of [
		[true, true],
		[false, true],
		[false, false],
	] as const) {
		const bar = barWith(withRate, withEta);
		if (bar >= MIN_BAR || (!withRate && !withEta)) {
			const fits = bar >= 3 ? bar : 0;
			const spare = bar >= 3 ? 0 : bar + 1;
			// Without room for even a small bar, the name gives way before the numbers do.
			const nameWidth = spare < 0 ? Math.max(4, name + spare) : name;
			return {name: nameWidth, bar: fits, count, percent, failed, rate: withRate ? rate : 0, eta: withEta ? eta : 0};
		}
	}

	return {name, bar: 0, count, percent, failed, rate: 0, eta: 0};
}

/** Pads or cuts `text` to exactly `width` cells, marking a cut with the theme's ellipsis. */
export function fitText(text: string, width: number, ellipsis: string): string {
	if (width <= 0) {
		return '';
	}

	const cells = stringWidth(text);
	if (cells <= width) {
		return text + ' '.repeat(width - cells);
	}

	// Whole characters up to the room left for the ellipsis; a wide one that would overhang is left
	// out and its cell padded, so the columns after it stay put.
	const room = width - stringWidth(ellipsis);
	let kept = '';
	let used = 0;
	for (const {segment} of new Intl.Segmenter().segment(text)) {
		const next = stringWidth(segment);
		if (used + next > room) {
			break;
		}

		kept += segment;
		used += next;
	}

	return `${kept}${ellipsis}${' '.repeat(Math.max(0, room - used))}`;
}

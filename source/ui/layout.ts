/**
 * Where every panel goes, from the terminal size alone. One function, so the App (which asks the
 * model for as many sparkline slots as there are cells) and the Dashboard (which draws them) agree.
 *
 * The frame is at most rows - 1 lines: a frame of `rows` lines makes Ink 6.8 clear the whole
 * screen on every update. When space runs out, things give way in a fixed order: the throughput
 * panel shrinks to one sparkline row, then the lineage panel to one line, then the throughput panel
 * goes, and the content rows are clipped last.
 */
export const MIN_COLUMNS = 50;
export const MIN_ROWS = 12;
/** From this width the lineage and throughput panels sit side by side. */
export const SIDE_BY_SIDE_COLUMNS = 70;
/** A sparkline taller than this adds nothing a person can read. */
const MAX_SPARK_ROWS = 14;
const HEADER_ROWS = 2;
const STATUS_ROWS = 1;
const ERROR_ROWS = 2;
const BORDER_ROWS = 2;
/** The lineage panel's lines, most important first: progress, last connection, then detail. */
const LINEAGE_LINES = 2;

export interface Layout {
	readonly tooSmall: boolean;
	readonly columns: number;
	/** rows - 1. */
	readonly height: number;
	readonly errorRows: number;
	/** Lines inside the content panel (type rows, "+N more", the selection's detail line). */
	readonly contentRows: number;
	readonly sideBySide: boolean;
	/** Outer size of the lineage panel; 0 rows = drawn as a single unboxed line. */
	readonly lineage: {readonly width: number; readonly rows: number};
	/** Outer size of the throughput panel; rows 0 = not drawn. */
	readonly throughput: {readonly width: number; readonly rows: number};
	/** Cells of the sparkline: width = how many five-minute slots to ask the model for. */
	readonly spark: {readonly width: number; readonly rows: number};
}

export interface LayoutInput {
	readonly columns: number;
	readonly rows: number;
	readonly typeCount: number;
	readonly detailLine: boolean;
	readonly error: boolean;
}

export function computeLayout(input: LayoutInput): Layout {
	const columns = Math.max(0, Math.floor(input.columns));
	const height = Math.max(0, Math.floor(input.rows) - 1);
	const tooSmall = columns < MIN_COLUMNS || input.rows < MIN_ROWS;
	const errorRows = input.error ? ERROR_ROWS : 0;
	const sideBySide = columns >= SIDE_BY_SIDE_COLUMNS;
	const lineageWidth = sideBySide ? Math.floor(columns * 0.42) : columns;
	const throughputWidth = sideBySide ? columns - lineageWidth : columns;
	const wanted = Math.max(1, input.typeCount) + (input.detailLine ? 1 : 0);
	// What the bottom gets once the header, the error banner, the status bar and the content box are placed.
	const free = height - HEADER_ROWS - STATUS_ROWS - errorRows - BORDER_ROWS;
	const minimal = (contentRows: number): Layout => ({
		tooSmall,
		columns,
		height,
		errorRows,
		contentRows,
		sideBySide,
		lineage: {width: columns, rows: 0},
		throughput: {width: throughputWidth, rows: 0},
		spark: {width: 0, rows: 0},
	});
	const sparkWidth = Math.max(0, throughputWidth - 4);
	const withBottom = (contentRows: number, bottomRows: number): Layout => {
		if (sideBySide) {
			const rows = Math.min(bottomRows, MAX_SPARK_ROWS + 1 + BORDER_ROWS);
			return {
				...minimal(contentRows),
				lineage: {width: lineageWidth, rows},
				throughput: {width: throughputWidth, rows},
				spark: {width: sparkWidth, rows: rows - BORDER_ROWS - 1},
			};
		}

		const lineageRows = LINEAGE_LINES + BORDER_ROWS;
		const throughputRows = Math.min(bottomRows - lineageRows, MAX_SPARK_ROWS + 1 + BORDER_ROWS);
		return {
			...minimal(contentRows),
			lineage: {width: columns, rows: lineageRows},
			throughput: {width: columns, rows: throughputRows >= BORDER_ROWS + 2 ? throughputRows : 0},
			spark: {width: sparkWidth, rows: throughputRows >= BORDER_ROWS + 2 ? throughputRows - BORDER_ROWS - 1 : 0},
		};
	};

	// Side by side, both panels share one band; stacked, lineage then throughput, each with a border.
	const smallestBottom = sideBySide ? LINEAGE_LINES + BORDER_ROWS : LINEAGE_LINES + BORDER_ROWS + 1 + 1 + BORDER_ROWS;
	if (free - wanted >= smallestBottom) {
		return withBottom(wanted, free - wanted);
	}

	if (!sideBySide && free - wanted >= LINEAGE_LINES + BORDER_ROWS) {
		return {...minimal(wanted), lineage: {width: columns, rows: LINEAGE_LINES + BORDER_ROWS}};
	}

	// The lineage panel becomes one line without a box; the content rows take the rest.
	return minimal(Math.max(1, Math.min(wanted, free - 1)));
}

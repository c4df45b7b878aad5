import {formatCount, formatPercent} from '../model/format.js';
import {addSnapshot, emptyHistory, type History} from '../model/history.js';
import type {BackfillProgress} from '../model/progress.js';
import {deriveProgress} from '../model/rates.js';
import type {StatusSource} from '../tableau/status-source.js';
import {jsonReport} from './report.js';
import {lineageText, progressLine, stateText} from './summary.js';

export interface OnceOptions {
	readonly json: boolean;
	readonly out: NodeJS.WritableStream;
	/** Primed from --record FILE, so one look shows the same rates and ETA as the dashboard would. */
	readonly initialHistory?: History;
}

/** Fetches one status and prints it; the caller turns a thrown error into its sentence and exit 1. */
export async function runOnce(source: StatusSource, options: OnceOptions, signal: AbortSignal): Promise<void> {
	const snapshot = await source.fetchStatus(signal);
	const progress = deriveProgress(addSnapshot(options.initialHistory ?? emptyHistory(), snapshot));
	if (!progress) {
		return;
	}

	options.out.write(options.json ? `${JSON.stringify(jsonReport(progress, source.description), null, 2)}\n` : onceTable(progress));
}

/** A plain table: type, done/total, %, failed, state; then the lineage line and the summary. */
export function onceTable(progress: BackfillProgress): string {
	const header = ['TYPE', 'DONE', 'TOTAL', '%', 'FAILED', 'STATE'];
	const rows = progress.types.map(t => [
		t.contentType,
		formatCount(t.processed),
		formatCount(t.total),
		formatPercent(t.percent, t.complete),
		formatCount(t.failed),
		stateText(t),
	]);
	const widths = header.map((title, column) => Math.max(title.length, ...rows.map(row => row[column]?.length ?? 0)));
	const numeric = new Set([1, 2, 3, 4]);
	const line = (cells: readonly string[]) =>
		cells
			.map((cell, column) => {
				const width = widths[column] ?? cell.length;
				return numeric.has(column) ? cell.padStart(width) : cell.padEnd(width);
			})
			.join('  ')
			.trimEnd();
	const table = progress.types.length > 0 ? [line(header), ...rows.map(line)] : [];
	return [...table, `lineage: ${lineageText(progress.lineage)}`, `summary: ${progressLine(progress)}`, ''].join('\n');
}

import {
	formatCount,
	formatDuration,
	formatEta,
	formatPercent,
	formatRate,
	formatClock,
	formatShortDuration,
} from '../model/format.js';
import type {BackfillProgress, LineageProgress, TypeProgress} from '../model/progress.js';

/**
 * The words plain output, --once and --wait share with each other (and, for states, with the
 * dashboard), so a log line and a table say the same thing about the same poll.
 */
export function stateText(type: TypeProgress | LineageProgress): string {
	switch (type.state) {
		case 'done': {
			return type.durationSeconds === null ? 'done' : `done in ${formatShortDuration(type.durationSeconds)}`;
		}

		case 'stalled': {
			return type.stalledSince === null ? 'stalled' : `stalled since ${formatClock(type.stalledSince)}`;
		}

		case 'waiting': {
			return 'waiting';
		}

		case 'running': {
			return type.etaSeconds === null ? 'running' : `running, ETA ${formatEta(type.etaSeconds)}`;
		}
	}
}

/** One line for logs: `content 4/6 types · 61.8% · 12.4/min · ETA ~1h 10m · Workbook 4,120/9,000`. */
export function progressLine(progress: BackfillProgress): string {
	switch (progress.phase) {
		case 'not-started': {
			return 'not started · the server reports no backfill yet';
		}

		case 'content': {
			const parts = [
				`content ${progress.typesDone}/${progress.typesTotal} types`,
				formatPercent(progress.contentPercent, false, 1),
			];
			if (progress.contentRatePerMinute !== null) {
				parts.push(formatRate(progress.contentRatePerMinute));
			}

			const stalled = progress.types.filter(t => t.state === 'stalled');
			if (stalled.length > 0) {
				parts.push(...stalled.map(t => `${t.contentType} ${stateText(t)}`));
			} else if (progress.contentEtaSeconds !== null) {
				parts.push(`ETA ${formatEta(progress.contentEtaSeconds)}`);
			}

			const focus = progress.types.find(t => t.contentType === progress.etaBoundBy) ?? progress.types.find(t => !t.complete);
			if (focus) {
				parts.push(`${focus.contentType} ${formatCount(focus.processed)}/${formatCount(focus.total)}`);
			}

			if (progress.contentFailed > 0) {
				parts.push(`${formatCount(progress.contentFailed)} failed`);
			}

			return parts.join(' · ');
		}

		case 'lineage': {
			return `lineage ${lineageText(progress.lineage)}`;
		}

		case 'complete': {
			const content = progress.contentDurationSeconds === null ? '' : ` · content in ${formatDuration(progress.contentDurationSeconds)}`;
			const lineage = progress.lineage.durationSeconds === null ? '' : ` · lineage in ${formatDuration(progress.lineage.durationSeconds)}`;
			const failed = progress.contentFailed > 0 ? ` · ${formatCount(progress.contentFailed)} failed` : '';
			return `complete${content}${lineage}${failed}`;
		}
	}
}

export function lineageText(lineage: LineageProgress): string {
	if (!lineage.started) {
		return 'waiting for content backfill';
	}

	const parts = [
		`${formatCount(lineage.processed)}/${formatCount(lineage.total)}`,
		formatPercent(lineage.percent, lineage.complete, 1),
	];
	if (lineage.ratePerMinute !== null) {
		parts.push(formatRate(lineage.ratePerMinute));
	}

	if (lineage.state === 'stalled' || lineage.state === 'done') {
		parts.push(stateText(lineage));
	} else if (lineage.etaSeconds !== null) {
		parts.push(`ETA ${formatEta(lineage.etaSeconds)}`);
	}

	if (lineage.lastConnection) {
		parts.push(`last: ${lineage.lastConnection}`);
	}

	return parts.join(' · ');
}

import type {BackfillProgress} from '../model/progress.js';
import type {ServerDescription} from '../tableau/status-source.js';

/**
 * The document `--once --json` prints. Versioned: fields are only ever added within a version;
 * renaming or removing one bumps schemaVersion. Times are ISO 8601 UTC, rates items per minute.
 */
export const REPORT_SCHEMA_VERSION = 1;

export function jsonReport(progress: BackfillProgress, description: ServerDescription): Record<string, unknown> {
	const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
	// n * 100 leaves the finite range above about 1.8e306 (a rate from a sub-second duration); such n need no rounding.
	const round = (n: number | null, digits = 2) => (n === null ? null : Math.abs(n) >= 1e15 ? n : Math.round(n * 10 ** digits) / 10 ** digits);
	return {
		schemaVersion: REPORT_SCHEMA_VERSION,
		server: description.server,
		site: description.site,
		productVersion: description.productVersion,
		apiVersion: description.apiVersion,
		fetchedAt: iso(progress.receivedAt),
		serverTime: iso(progress.serverTime),
		phase: progress.phase,
		content: {
			durationSeconds: progress.contentDurationSeconds,
			processed: progress.contentProcessed,
			total: progress.contentTotal,
			failed: progress.contentFailed,
			percent: round(progress.contentPercent),
			typesDone: progress.typesDone,
			typesTotal: progress.typesTotal,
			ratePerMinute: round(progress.contentRatePerMinute),
			etaSeconds: round(progress.contentEtaSeconds, 0),
			etaBoundBy: progress.etaBoundBy,
			types: progress.types.map(t => ({
				contentType: t.contentType,
				state: t.state,
				succeeded: t.succeeded,
				failed: t.failed,
				total: t.total,
				percent: round(t.percent),
				complete: t.complete,
				ratePerMinute: round(t.ratePerMinute),
				etaSeconds: round(t.etaSeconds, 0),
				stalledSince: iso(t.stalledSince),
				checkpoint: iso(t.checkpoint),
				durationSeconds: t.durationSeconds,
				lastContentId: t.lastContentId,
			})),
		},
		lineage: {
			started: progress.lineage.started,
			state: progress.lineage.state,
			processed: progress.lineage.processed,
			total: progress.lineage.total,
			percent: round(progress.lineage.percent),
			complete: progress.lineage.complete,
			ratePerMinute: round(progress.lineage.ratePerMinute),
			etaSeconds: round(progress.lineage.etaSeconds, 0),
			durationSeconds: progress.lineage.durationSeconds,
			lastConnection: progress.lineage.lastConnection,
		},
		restarts: progress.restarts,
	};
}

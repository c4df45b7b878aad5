import type {BackfillSnapshot, ContentTypeStatus, LineageStatus} from '../../source/model/snapshot.js';

export const T0 = Date.parse('2026-12-03T10:00:00Z');
export const MIN = 60_000;

export function typeStatus(contentType: string, fields: Partial<ContentTypeStatus> = {}): ContentTypeStatus {
	return {
		contentType,
		lastContentId: `sites/1/${contentType.toLowerCase()}s/1`,
		succeeded: 0,
		failed: 0,
		total: 1000,
		complete: false,
		checkpoint: null,
		durationSeconds: 0,
		...fields,
	};
}

/** A poll at server time `at` (ms since T0) whose answer carries that Date header. */
export function poll(
	atMs: number,
	content: ContentTypeStatus[],
	lineage: LineageStatus | null = null,
	lineageDurationSeconds: number | null = null,
): BackfillSnapshot {
	return {
		receivedAt: 5_000_000 + atMs,
		serverTime: T0 + atMs,
		contentDurationSeconds: atMs / 1000,
		lineageDurationSeconds,
		content,
		lineage,
	};
}

/** A type advancing at `perMinute` items per minute since T0, checkpointed every 5 min from `offsetMin`. */
export function steadyType(contentType: string, atMs: number, perMinute: number, total: number, offsetMin = 0): ContentTypeStatus {
	const periodMs = 5 * MIN;
	const lastCheckpointMs = Math.floor((atMs - offsetMin * MIN) / periodMs) * periodMs + offsetMin * MIN;
	if (lastCheckpointMs < 0) {
		return typeStatus(contentType, {total});
	}

	const processed = Math.min(total, Math.floor((lastCheckpointMs / MIN) * perMinute));
	return typeStatus(contentType, {
		succeeded: processed,
		total,
		complete: processed >= total,
		checkpoint: T0 + lastCheckpointMs,
		durationSeconds: lastCheckpointMs / 1000,
	});
}

/**
 * The normalized view of one poll of the Backfill API. Times are epoch milliseconds so that a
 * snapshot survives a JSON round trip (recordings) unchanged.
 */
export interface ContentTypeStatus {
	/** Open string: the six documented types and whatever a newer server adds. */
	readonly contentType: string;
	readonly lastContentId: string | null;
	readonly succeeded: number;
	readonly failed: number;
	readonly total: number;
	readonly complete: boolean;
	/** Server clock: when the server last recorded an indexed item of this type. */
	readonly checkpoint: number | null;
	readonly durationSeconds: number | null;
}

export interface LineageStatus {
	readonly processed: number;
	readonly total: number;
	readonly complete: boolean;
	readonly lastConnection: string | null;
}

export interface BackfillSnapshot {
	/** Client clock: when the answer arrived. */
	readonly receivedAt: number;
	/** Server clock at answer time, from the HTTP Date header, when the server sent one. */
	readonly serverTime: number | null;
	readonly contentDurationSeconds: number | null;
	readonly lineageDurationSeconds: number | null;
	readonly content: readonly ContentTypeStatus[];
	readonly lineage: LineageStatus | null;
}

/** Items a type has dealt with, whether they failed or not: what progress and rates count. */
export function processedOf(status: ContentTypeStatus): number {
	return status.succeeded + status.failed;
}

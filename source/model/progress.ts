/**
 * What the model derives from the history of snapshots: everything a view or a plain-text mode
 * shows. Views read these values; they compute nothing new.
 */
export type Phase = 'not-started' | 'content' | 'lineage' | 'complete';

/** waiting: no item indexed yet; running: advancing; stalled: no checkpoint advance for 15 min of server time. */
export type TypeState = 'waiting' | 'running' | 'stalled' | 'done';

export interface TypeProgress {
	readonly contentType: string;
	readonly succeeded: number;
	readonly failed: number;
	readonly total: number;
	/** succeeded + failed. */
	readonly processed: number;
	/** 0-100; below 100 until the server says the type is complete. */
	readonly percent: number;
	readonly complete: boolean;
	readonly state: TypeState;
	/** Smoothed items per minute, server clock; null when there is no evidence yet. */
	readonly ratePerMinute: number | null;
	/** Seconds left; null when complete, stalled, or when the evidence is too thin. */
	readonly etaSeconds: number | null;
	/** Server clock, ms: the last time this type advanced, when it is stalled. */
	readonly stalledSince: number | null;
	/** Seconds the server has spent on this type ("done in 41m" once complete). */
	readonly durationSeconds: number | null;
	readonly checkpoint: number | null;
	readonly lastContentId: string | null;
}

export interface LineageProgress {
	/** False until the server reports lineage: the panel then says it waits for content backfill. */
	readonly started: boolean;
	readonly processed: number;
	readonly total: number;
	readonly percent: number;
	readonly complete: boolean;
	readonly state: TypeState;
	readonly ratePerMinute: number | null;
	readonly etaSeconds: number | null;
	readonly stalledSince: number | null;
	readonly durationSeconds: number | null;
	readonly lastConnection: string | null;
}

export interface BackfillProgress {
	readonly phase: Phase;
	readonly types: readonly TypeProgress[];
	readonly typesDone: number;
	readonly typesTotal: number;
	readonly contentProcessed: number;
	readonly contentTotal: number;
	readonly contentFailed: number;
	/** 0-100, below 100 until every type is complete. */
	readonly contentPercent: number;
	readonly contentRatePerMinute: number | null;
	/** The slowest running type's ETA: types are indexed concurrently. */
	readonly contentEtaSeconds: number | null;
	/** The type that bounds the content ETA. */
	readonly etaBoundBy: string | null;
	readonly contentDurationSeconds: number | null;
	readonly lineage: LineageProgress;
	/** How many times counts went backwards (the backfill was restarted) since this tool started watching. */
	readonly restarts: number;
	/** Client clock, ms: when the data shown arrived. */
	readonly receivedAt: number;
	/** Server clock, ms, of the newest answer (HTTP Date header), when known. */
	readonly serverTime: number | null;
}

/** Items per minute, one slot per checkpoint interval, oldest first; null is a gap (no data), not a zero. */
export interface ThroughputSeries {
	/** null = all content types together. */
	readonly contentType: string | null;
	readonly points: readonly (number | null)[];
	readonly current: number | null;
	readonly max: number | null;
}

import {processedOf, type BackfillSnapshot, type ContentTypeStatus} from './snapshot.js';

/**
 * One observation on the server's clock. For a content type `at` is its checkpointCreatedTime; for
 * lineage, which has no checkpoint, it is lineageBackfillTotalDurationSeconds in ms.
 */
export interface Sample {
	readonly at: number;
	readonly processed: number;
}

export interface Track {
	/** Oldest first; recent samples at full resolution, older ones thinned (see thin()). */
	readonly samples: readonly Sample[];
	/** Server clock, ms: the last time the processed count went up (the start of a stall). */
	readonly lastIncreaseAt: number | null;
}

/** A time window on the server clock during which polls failed: a gap in the sparkline, not a zero. */
export interface Outage {
	readonly from: number;
	readonly to: number | null;
}

export interface History {
	readonly latest: BackfillSnapshot | null;
	readonly tracks: ReadonlyMap<string, Track>;
	readonly lineage: Track;
	/** Server-clock time at which lineage last advanced (its own clock is a duration). */
	readonly lineageIncreaseServerAt: number | null;
	readonly outages: readonly Outage[];
	readonly restarts: number;
	/** serverTime - receivedAt of the newest answer that carried a Date header. */
	readonly clockOffset: number | null;
}

/** Full-resolution samples kept per track; beyond this the older half is thinned. */
export const RECENT_SAMPLES = 360;
/** Hard bound per track, whatever the run length: memory stays flat over a week of polls. */
export const MAX_SAMPLES = 720;
const MAX_OUTAGES = 64;

const emptyTrack: Track = {samples: [], lastIncreaseAt: null};

export function emptyHistory(): History {
	return {
		latest: null,
		tracks: new Map(),
		lineage: emptyTrack,
		lineageIncreaseServerAt: null,
		outages: [],
		restarts: 0,
		clockOffset: null,
	};
}

/** The server's current time as best known at the newest answer. */
export function serverNow(history: History): number | null {
	const latest = history.latest;
	if (!latest) {
		return null;
	}

	if (latest.serverTime !== null) {
		return latest.serverTime;
	}

	if (history.clockOffset !== null) {
		return latest.receivedAt + history.clockOffset;
	}

	// No Date header ever: the newest checkpoint is a lower bound of the server's time.
	const checkpoints = latest.content.map(c => c.checkpoint ?? Number.NEGATIVE_INFINITY);
	const newest = Math.max(...checkpoints);
	return Number.isFinite(newest) ? newest : null;
}

/** Folds one successful poll in. A poll that repeats the last checkpoint adds no sample. */
export function addSnapshot(history: History, snapshot: BackfillSnapshot): History {
	const base = isRestart(history, snapshot) ? {...emptyHistory(), restarts: history.restarts + 1, outages: history.outages} : history;
	const tracks = new Map(base.tracks);
	for (const status of snapshot.content) {
		tracks.set(status.contentType, advanceContent(tracks.get(status.contentType) ?? emptyTrack, status));
	}

	const clockOffset = snapshot.serverTime === null ? base.clockOffset : snapshot.serverTime - snapshot.receivedAt;
	const withSnapshot: History = {...base, latest: snapshot, tracks, clockOffset};
	const lineage = advanceLineage(base.lineage, snapshot);
	const lineageIncreased = lineage.lastIncreaseAt !== base.lineage.lastIncreaseAt;
	return {
		...withSnapshot,
		lineage,
		lineageIncreaseServerAt: lineageIncreased || base.lineageIncreaseServerAt === null && lineage.samples.length > 0
			? serverNow(withSnapshot)
			: base.lineageIncreaseServerAt,
		outages: closeOutage(base.outages, serverNow(withSnapshot)),
	};
}

/** Records a failed poll at client time `at`: the sparkline shows the time it covers as a gap. */
export function addFailure(history: History, at: number): History {
	const serverAt = history.clockOffset === null ? at : at + history.clockOffset;
	const last = history.outages.at(-1);
	if (last && last.to === null) {
		return history;
	}

	const outages = [...history.outages, {from: serverAt, to: null}];
	return {...history, outages: outages.slice(-MAX_OUTAGES)};
}

function closeOutage(outages: readonly Outage[], at: number | null): readonly Outage[] {
	const last = outages.at(-1);
	if (!last || last.to !== null) {
		return outages;
	}

	return [...outages.slice(0, -1), {from: last.from, to: Math.max(last.from, at ?? last.from)}];
}

function isRestart(history: History, snapshot: BackfillSnapshot): boolean {
	for (const status of snapshot.content) {
		const last = history.tracks.get(status.contentType)?.samples.at(-1);
		if (!last) {
			continue;
		}

		if (processedOf(status) < last.processed || (status.checkpoint !== null && status.checkpoint < last.at)) {
			return true;
		}
	}

	const lastLineage = history.lineage.samples.at(-1);
	if (lastLineage && snapshot.lineage && snapshot.lineage.processed < lastLineage.processed) {
		return true;
	}

	// Content reappearing unfinished after lineage began also means a fresh index is being built.
	const sawLineage = history.lineage.samples.length > 0;
	return sawLineage && snapshot.lineage === null && snapshot.content.some(c => !c.complete);
}

function advanceContent(track: Track, status: ContentTypeStatus): Track {
	if (status.checkpoint === null) {
		return track;
	}

	const sample: Sample = {at: status.checkpoint, processed: processedOf(status)};
	return append(track, sample, sample.at);
}

function advanceLineage(track: Track, snapshot: BackfillSnapshot): Track {
	if (!snapshot.lineage || snapshot.lineageDurationSeconds === null) {
		return track;
	}

	const sample: Sample = {at: snapshot.lineageDurationSeconds * 1000, processed: snapshot.lineage.processed};
	return append(track, sample, sample.at);
}

function append(track: Track, sample: Sample, increaseAt: number): Track {
	const last = track.samples.at(-1);
	if (last && sample.at <= last.at) {
		return track;
	}

	const increased = !last || sample.processed > last.processed;
	return {
		samples: thin([...track.samples, sample]),
		lastIncreaseAt: increased ? increaseAt : track.lastIncreaseAt,
	};
}

/**
 * Counts are cumulative, so dropping a sample merges its two intervals without losing items:
 * the rate over the merged interval is exact. Older samples are dropped alternately.
 */
export function thin(samples: readonly Sample[]): readonly Sample[] {
	if (samples.length <= MAX_SAMPLES) {
		return samples;
	}

	const old = samples.slice(0, samples.length - RECENT_SAMPLES);
	const recent = samples.slice(samples.length - RECENT_SAMPLES);
	const kept = old.filter((_, index) => index % 2 === 0 || index === old.length - 1);
	return [...kept, ...recent];
}

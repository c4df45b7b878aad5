import {serverNow, type History, type Outage, type Sample, type Track} from './history.js';
import type {
	BackfillProgress,
	LineageProgress,
	Phase,
	ThroughputSeries,
	TypeProgress,
	TypeState,
} from './progress.js';
import {processedOf, type BackfillSnapshot, type ContentTypeStatus} from './snapshot.js';

const MINUTE = 60_000;
/** The server records a checkpoint about every five minutes (the Backfill API documentation). */
export const CHECKPOINT_PERIOD_MS = 5 * MINUTE;
/** Three checkpoint periods without an advance: stalled (DESIGN.md). */
export const STALL_AFTER_MS = 3 * CHECKPOINT_PERIOD_MS;
/**
 * How long every checkpoint must have differed from the run's usual rate, the same way, before the
 * change counts as lasting: half an hour, six checkpoints in a row each more than a fifth off.
 * Against an hour, on the eight ETA scenarios (`npm run bench -- eta`): a busy start that eases, or
 * big items left for last, are followed half an hour sooner, and over every poll from 10 to 90 % of
 * the content phase the median error goes 17.2 -> 10.6 %. The price: a dip longer than this (an hour
 * of extract refreshes) is followed for the rest of it, the ETA too late until its first normal
 * checkpoint.
 */
export const LASTING_CHANGE_MS = 30 * MINUTE;
/**
 * A checkpoint rate within a fifth of the run's usual rate is ordinary variation (items differ in
 * size), not a change: following it would make the ETA jitter to gain less than a fifth.
 */
export const RATE_TOLERANCE = 0.2;
/** No ETA before the server has spent this long on a type: a first minute says little. */
const MIN_EVIDENCE_MS = 2 * MINUTE;
/** Beyond this an estimate says nothing useful; "no ETA" is more honest than "~212d". */
const MAX_ETA_SECONDS = 60 * 24 * 3600;
/** Series name for the lineage phase's throughput (it has its own clock). */
export const LINEAGE_SERIES = 'Lineage';

export function deriveProgress(history: History): BackfillProgress | null {
	const snapshot = history.latest;
	if (!snapshot) {
		return null;
	}

	const now = serverNow(history);
	const types = snapshot.content.map(status =>
		typeProgress(status, history.tracks.get(status.contentType), now),
	);
	const running = types.filter(t => !t.complete);
	const contentTotal = sum(types.map(t => t.total));
	const contentProcessed = sum(types.map(t => Math.min(t.processed, t.total)));
	const allComplete = types.length > 0 && running.length === 0;
	const {eta, boundBy} = contentEta(running);
	const lineage = lineageProgress(snapshot, history, now);
	const rates = running.map(t => t.ratePerMinute).filter((r): r is number => r !== null);

	return {
		phase: phaseOf(snapshot, allComplete),
		types,
		typesDone: types.length - running.length,
		typesTotal: types.length,
		contentProcessed,
		contentTotal,
		contentFailed: sum(types.map(t => t.failed)),
		contentPercent: allComplete ? 100 : percentOf(contentProcessed, contentTotal, false),
		contentRatePerMinute: rates.length > 0 ? sum(rates) : null,
		contentEtaSeconds: eta,
		etaBoundBy: boundBy,
		contentDurationSeconds: snapshot.contentDurationSeconds,
		lineage,
		restarts: history.restarts,
		receivedAt: snapshot.receivedAt,
		serverTime: now,
	};
}

function phaseOf(snapshot: BackfillSnapshot, allContentComplete: boolean): Phase {
	const hasContent = snapshot.content.length > 0;
	if (!hasContent && !snapshot.lineage) {
		return 'not-started';
	}

	if (hasContent && !allContentComplete) {
		return 'content';
	}

	return snapshot.lineage?.complete ? 'complete' : 'lineage';
}

function typeProgress(status: ContentTypeStatus, track: Track | undefined, now: number | null): TypeProgress {
	const processed = processedOf(status);
	const state = stateOf(status.complete, processed, track?.lastIncreaseAt ?? status.checkpoint, now);
	const ratePerMinute = status.complete ? null : runRate(track?.samples ?? [], runStart(status), priorRate(processed, status.durationSeconds));
	const stalled = state === 'stalled';
	return {
		contentType: status.contentType,
		succeeded: status.succeeded,
		failed: status.failed,
		total: status.total,
		processed,
		percent: percentOf(processed, status.total, status.complete),
		complete: status.complete,
		state,
		ratePerMinute: stalled ? null : ratePerMinute,
		etaSeconds:
			status.complete || stalled || !enoughEvidence(status, track)
				? null
				: etaSeconds(status.total - processed, ratePerMinute, status.checkpoint, now),
		stalledSince: stalled ? (track?.lastIncreaseAt ?? status.checkpoint) : null,
		durationSeconds: status.durationSeconds,
		checkpoint: status.checkpoint,
		lastContentId: status.lastContentId,
	};
}

function stateOf(complete: boolean, processed: number, lastIncrease: number | null, now: number | null): TypeState {
	if (complete) {
		return 'done';
	}

	if (lastIncrease !== null && now !== null && now - lastIncrease >= STALL_AFTER_MS) {
		return 'stalled';
	}

	return processed > 0 ? 'running' : 'waiting';
}

function enoughEvidence(status: ContentTypeStatus, track: Track | undefined): boolean {
	if (processedOf(status) <= 0) {
		return false;
	}

	const samples = track?.samples ?? [];
	const first = samples[0];
	const last = samples.at(-1);
	const observedSpan = first && last ? last.at - first.at : 0;
	const serverSpan = (status.durationSeconds ?? 0) * 1000;
	return Math.max(observedSpan, serverSpan) >= MIN_EVIDENCE_MS;
}

/** Whole-run average from the server's own counters: the estimate before any interval is seen. */
function priorRate(processed: number, durationSeconds: number | null): number | null {
	if (durationSeconds === null || durationSeconds <= 0 || processed <= 0) {
		return null;
	}

	return (processed / durationSeconds) * 60;
}

/** When the type began, on the server's clock: its newest checkpoint less the time spent on it. */
function runStart(status: ContentTypeStatus): number | null {
	if (status.checkpoint === null || status.durationSeconds === null || status.durationSeconds <= 0) {
		return null;
	}

	return status.checkpoint - status.durationSeconds * 1000;
}

interface Interval {
	readonly span: number;
	readonly items: number;
	/** Items per minute. */
	readonly rate: number;
}

/**
 * The rate the ETA assumes (items/min). Normally the run's usual rate: the median of its checkpoint
 * rates weighted by the time each covers, which a dip, a burst or a slow warm-up cannot drag (as
 * they drag an average) unless they fill half the run. When every interval of at least the last
 * LASTING_CHANGE_MS has been beyond RATE_TOLERANCE of it on the same side, the speed has changed
 * for good, and the rate since that change is used instead. `start` (when the run began) turns the
 * work done before the first sample into one interval, so a monitor started hours into a run weighs
 * those hours; `fallback` is used while there is no interval at all.
 */
export function runRate(samples: readonly Sample[], start: number | null, fallback: number | null): number | null {
	const intervals = intervalsOf(samples, start);
	const usual = weightedMedian(intervals);
	const rate = usual === null ? fallback : (lastingChange(intervals, usual) ?? usual);
	return rate !== null && Number.isFinite(rate) && rate >= 0 ? rate : null;
}

/**
 * Intervals between the moments the count moved. Counts move in whole items, so a slow type (or
 * lineage, whose clock advances at every poll) shows spans without a move between its moves; each
 * such span is folded into the interval that ends at the next move, or one item in ten minutes
 * would read as alternating nothing and a burst. The span since the last move is left out until
 * the count moves again (the stall check watches it).
 */
function intervalsOf(samples: readonly Sample[], start: number | null): Interval[] {
	const first = samples[0];
	const points = first && start !== null && start < first.at ? [{at: start, processed: 0}, ...samples] : samples;
	const intervals: Interval[] = [];
	let from = points[0];
	for (const current of points) {
		if (!from || current.processed <= from.processed || current.at <= from.at) {
			continue;
		}

		const span = current.at - from.at;
		const items = current.processed - from.processed;
		intervals.push({span, items, rate: (items / span) * MINUTE});
		from = current;
	}

	return intervals;
}

function weightedMedian(intervals: readonly Interval[]): number | null {
	const sorted = [...intervals].sort((a, b) => a.rate - b.rate);
	const half = sorted.reduce((total, interval) => total + interval.span, 0) / 2;
	let covered = 0;
	for (let i = 0; i < sorted.length; i++) {
		const interval = sorted[i];
		if (!interval) {
			continue;
		}

		covered += interval.span;
		if (covered > half) {
			return interval.rate;
		}

		if (covered === half) {
			// Exactly half the time at or below this rate: the median lies between it and the next.
			return (interval.rate + (sorted[i + 1]?.rate ?? interval.rate)) / 2;
		}
	}

	return null;
}

/** The rate since the newest run of checkpoints all beyond the tolerance on one side, if it is long enough. */
function lastingChange(intervals: readonly Interval[], usual: number): number | null {
	const side = (rate: number) => (rate > usual * (1 + RATE_TOLERANCE) ? 1 : rate < usual / (1 + RATE_TOLERANCE) ? -1 : 0);
	const newest = intervals.at(-1);
	const direction = newest ? side(newest.rate) : 0;
	if (direction === 0) {
		return null;
	}

	let span = 0;
	let items = 0;
	for (let i = intervals.length - 1; i >= 0; i--) {
		const interval = intervals[i];
		if (!interval || side(interval.rate) !== direction) {
			break;
		}

		span += interval.span;
		items += interval.items;
	}

	return span >= LASTING_CHANGE_MS ? (items / span) * MINUTE : null;
}

/** Remaining items at the run's rate, counted from the checkpoint the counts belong to. */
function etaSeconds(remaining: number, ratePerMinute: number | null, checkpoint: number | null, now: number | null): number | null {
	if (ratePerMinute === null || ratePerMinute <= 0) {
		return null;
	}

	const fromCheckpoint = (Math.max(0, remaining) / ratePerMinute) * 60;
	const sinceCheckpoint = checkpoint !== null && now !== null ? Math.max(0, (now - checkpoint) / 1000) : 0;
	const eta = Math.max(0, fromCheckpoint - sinceCheckpoint);
	return eta <= MAX_ETA_SECONDS ? eta : null;
}

/** Types are indexed concurrently: content is done when its slowest type is. */
function contentEta(running: readonly TypeProgress[]): {eta: number | null; boundBy: string | null} {
	let eta: number | null = null;
	let boundBy: string | null = null;
	for (const type of running) {
		if (type.etaSeconds === null) {
			// One type without an estimate (stalled, or too young) leaves the phase's end unknown.
			return {eta: null, boundBy: type.state === 'stalled' ? type.contentType : null};
		}

		if (eta === null || type.etaSeconds > eta) {
			eta = type.etaSeconds;
			boundBy = type.contentType;
		}
	}

	return {eta, boundBy};
}

function lineageProgress(snapshot: BackfillSnapshot, history: History, now: number | null): LineageProgress {
	const status = snapshot.lineage;
	if (!status) {
		return {
			started: false,
			processed: 0,
			total: 0,
			percent: 0,
			complete: false,
			state: 'waiting',
			ratePerMinute: null,
			etaSeconds: null,
			stalledSince: null,
			durationSeconds: null,
			lastConnection: null,
		};
	}

	const track = history.lineage;
	const durationMs = (snapshot.lineageDurationSeconds ?? 0) * 1000;
	const sinceIncrease = track.lastIncreaseAt === null ? 0 : durationMs - track.lastIncreaseAt;
	const stalled = !status.complete && track.lastIncreaseAt !== null && sinceIncrease >= STALL_AFTER_MS;
	const state: TypeState = status.complete ? 'done' : stalled ? 'stalled' : status.processed > 0 ? 'running' : 'waiting';
	// Lineage's clock is its own duration, which starts at zero.
	const rate = status.complete || stalled ? null : runRate(track.samples, 0, priorRate(status.processed, snapshot.lineageDurationSeconds));
	const evidence = durationMs >= MIN_EVIDENCE_MS && status.processed > 0;
	const lastSampleAt = track.samples.at(-1)?.at ?? durationMs;
	return {
		started: true,
		processed: status.processed,
		total: status.total,
		percent: percentOf(status.processed, status.total, status.complete),
		complete: status.complete,
		state,
		ratePerMinute: rate,
		etaSeconds:
			status.complete || stalled || !evidence ? null : etaSeconds(status.total - status.processed, rate, lastSampleAt, durationMs),
		stalledSince: stalled && now !== null ? history.lineageIncreaseServerAt ?? now - sinceIncrease : null,
		durationSeconds: snapshot.lineageDurationSeconds,
		lastConnection: status.lastConnection,
	};
}

/** 0-100, and never 100 before the server says complete (99.97% of 3,000 is not done). */
export function percentOf(processed: number, total: number, complete: boolean): number {
	if (complete) {
		return 100;
	}

	if (total <= 0) {
		return 0;
	}

	return Math.min(99.9, Math.max(0, (processed / total) * 100));
}

function sum(values: readonly number[]): number {
	return values.reduce((a, b) => a + b, 0);
}

/**
 * Items per minute in five-minute buckets of server time, the newest bucket last. Each
 * checkpoint-to-checkpoint interval spreads its items over the buckets it overlaps, so types that
 * checkpoint at different moments add up. A bucket no interval covers, or one inside an outage of
 * the monitor, is a gap (null), not a zero.
 */
export function throughputSeries(history: History, contentType: string | null, slots: number): ThroughputSeries {
	const count = Math.max(0, Math.floor(slots));
	if (contentType === LINEAGE_SERIES) {
		return seriesOf(contentType, [history.lineage], [], count);
	}

	const tracks = contentType === null ? [...history.tracks.values()] : [history.tracks.get(contentType) ?? {samples: [], lastIncreaseAt: null}];
	return seriesOf(contentType, tracks, history.outages, count);
}

function seriesOf(contentType: string | null, tracks: readonly Track[], outages: readonly Outage[], slots: number): ThroughputSeries {
	const end = Math.max(Number.NEGATIVE_INFINITY, ...tracks.map(t => t.samples.at(-1)?.at ?? Number.NEGATIVE_INFINITY));
	if (!Number.isFinite(end) || slots === 0) {
		return {contentType, points: [], current: null, max: null};
	}

	const bucketEnd = Math.ceil(end / CHECKPOINT_PERIOD_MS) * CHECKPOINT_PERIOD_MS;
	const start = bucketEnd - slots * CHECKPOINT_PERIOD_MS;
	const items = new Array<number>(slots).fill(0);
	// The time a bucket is really covered: the longest any one track covers it. Dividing by it keeps
	// the newest, half-elapsed bucket from reading as a slowdown.
	const covered = new Array<number>(slots).fill(0);
	for (const track of tracks) {
		const trackCovered = new Array<number>(slots).fill(0);
		for (let i = 1; i < track.samples.length; i++) {
			const a = track.samples[i - 1];
			const b = track.samples[i];
			if (!a || !b || b.at <= start) {
				continue;
			}

			spread(a, b, start, items, trackCovered);
		}

		trackCovered.forEach((time, index) => {
			covered[index] = Math.max(covered[index] ?? 0, time);
		});
	}

	const points = items.map((value, index) => {
		const from = start + index * CHECKPOINT_PERIOD_MS;
		const to = from + CHECKPOINT_PERIOD_MS;
		const time = covered[index] ?? 0;
		if (time <= 0 || outages.some(o => o.from <= from && (o.to ?? Number.POSITIVE_INFINITY) >= to)) {
			return null;
		}

		return (value / time) * MINUTE;
	});
	const firstData = points.findIndex(p => p !== null);
	const trimmed = firstData < 0 ? [] : points.slice(firstData);
	const values = trimmed.filter((p): p is number => p !== null);
	return {
		contentType,
		points: trimmed,
		current: [...trimmed].reverse().find((p): p is number => p !== null) ?? null,
		max: values.length > 0 ? Math.max(...values) : null,
	};
}

function spread(a: Sample, b: Sample, start: number, items: number[], covered: number[]): void {
	const span = b.at - a.at;
	const delta = Math.max(0, b.processed - a.processed);
	const first = Math.max(0, Math.floor((a.at - start) / CHECKPOINT_PERIOD_MS));
	const last = Math.min(items.length - 1, Math.floor((b.at - 1 - start) / CHECKPOINT_PERIOD_MS));
	for (let index = first; index <= last; index++) {
		const from = start + index * CHECKPOINT_PERIOD_MS;
		const overlap = Math.min(b.at, from + CHECKPOINT_PERIOD_MS) - Math.max(a.at, from);
		if (overlap <= 0) {
			continue;
		}

		items[index] = (items[index] ?? 0) + (delta * overlap) / span;
		covered[index] = (covered[index] ?? 0) + overlap;
	}
}

import {describe, expect, it} from 'vitest';
import {addFailure, addSnapshot, emptyHistory, MAX_SAMPLES, type History} from '../source/model/history.js';
import {deriveProgress, LASTING_CHANGE_MS, LINEAGE_SERIES, RATE_TOLERANCE, throughputSeries} from '../source/model/rates.js';
import type {BackfillProgress} from '../source/model/progress.js';
import type {BackfillSnapshot, ContentTypeStatus} from '../source/model/snapshot.js';
import {MIN, poll, steadyType, T0, typeStatus} from './helpers/snapshots.js';

function fold(snapshots: BackfillSnapshot[], start: History = emptyHistory()): History {
	return snapshots.reduce(addSnapshot, start);
}

function progressOf(history: History): BackfillProgress {
	const progress = deriveProgress(history);
	if (!progress) {
		throw new Error('no progress');
	}

	return progress;
}

/** Polls every 15 s of server time from `fromMin` to `toMin`. */
function polls(fromMin: number, toMin: number, build: (atMs: number) => BackfillSnapshot): BackfillSnapshot[] {
	const result: BackfillSnapshot[] = [];
	for (let at = fromMin * MIN; at <= toMin * MIN; at += 15_000) {
		result.push(build(at));
	}

	return result;
}

function assertSane(progress: BackfillProgress): void {
	const numbers: Array<number | null> = [
		progress.contentPercent,
		progress.contentEtaSeconds,
		progress.contentRatePerMinute,
		progress.lineage.percent,
		progress.lineage.etaSeconds,
		progress.lineage.ratePerMinute,
		...progress.types.flatMap(t => [t.percent, t.etaSeconds, t.ratePerMinute]),
	];
	for (const value of numbers) {
		if (value !== null) {
			expect(Number.isFinite(value)).toBe(true);
			expect(value).toBeGreaterThanOrEqual(0);
		}
	}

	for (const t of progress.types) {
		expect(t.percent).toBeLessThanOrEqual(100);
		if (!t.complete) {
			expect(t.percent).toBeLessThan(100);
		}
	}
}

describe('history', () => {
	it('adds no sample for a poll that repeats the last checkpoint', () => {
		const history = fold(polls(0, 4.9, at => poll(at, [steadyType('Workbook', at, 10, 10_000)])));
		expect(history.tracks.get('Workbook')?.samples).toHaveLength(1);
		const later = fold(polls(5, 9.9, at => poll(at, [steadyType('Workbook', at, 10, 10_000)])), history);
		expect(later.tracks.get('Workbook')?.samples).toHaveLength(2);
	});

	it('starts a new run when counts go backwards and keeps old samples out of the rate', () => {
		const first = fold(polls(0, 60, at => poll(at, [steadyType('Workbook', at, 100, 100_000)])));
		expect(progressOf(first).types[0]?.ratePerMinute).toBeCloseTo(100, 0);
		// An admin re-ran `tsm maintenance metadata-services enable`: a fresh run, ten times slower.
		const restarted = fold(
			polls(61, 120, at => {
				const status = steadyType('Workbook', at - 61 * MIN, 10, 100_000);
				return poll(at, [{...status, checkpoint: status.checkpoint === null ? null : status.checkpoint + 61 * MIN}]);
			}),
			first,
		);
		const progress = progressOf(restarted);
		expect(progress.restarts).toBe(1);
		expect(progress.types[0]?.ratePerMinute).toBeCloseTo(10, 0);
		expect(restarted.tracks.get('Workbook')?.samples.every(s => s.at >= T0 + 61 * MIN)).toBe(true);
	});

	it('stays bounded over a week of 15-second polls', () => {
		let history = emptyHistory();
		const total = 10_000_000;
		for (let at = 0; at <= 7 * 24 * 60 * MIN; at += 15_000) {
			history = addSnapshot(history, poll(at, [steadyType('Workbook', at, 0.5, total), steadyType('Flow', at, 0.7, total, 2)]));
		}

		for (const track of history.tracks.values()) {
			expect(track.samples.length).toBeLessThanOrEqual(MAX_SAMPLES);
			expect(track.samples.length).toBeGreaterThan(MAX_SAMPLES / 2);
			// Thinning keeps the oldest sample, so the whole-run view survives.
			expect(track.samples[0]?.at).toBeLessThanOrEqual(T0 + 5 * MIN);
		}

		// Thinned, the rate is still right: counts are cumulative.
		expect(progressOf(history).types[0]?.ratePerMinute).toBeCloseTo(0.5, 1);
	});
});

describe('rates and ETA', () => {
	it('computes checkpoint-to-checkpoint throughput on the server clock', () => {
		const history = fold(polls(0, 30, at => poll(at, [steadyType('Workbook', at, 12, 10_000)])));
		const progress = progressOf(history);
		expect(progress.types[0]?.ratePerMinute).toBeCloseTo(12, 1);
		const series = throughputSeries(history, 'Workbook', 10);
		expect(series.points.length).toBeGreaterThan(3);
		for (const p of series.points) {
			expect(p).toBeCloseTo(12, 1);
		}
	});

	it('sums two types with unsynchronized checkpoints over common buckets', () => {
		const history = fold(
			polls(0, 60, at => poll(at, [steadyType('Workbook', at, 10, 100_000, 0), steadyType('DatabaseTable', at, 30, 100_000, 2)])),
		);
		const series = throughputSeries(history, null, 8);
		const full = series.points.slice(1, -1);
		expect(full.length).toBeGreaterThan(3);
		for (const p of full) {
			expect(p).toBeCloseTo(40, 0);
		}

		expect(series.max).toBeCloseTo(40, 0);
		expect(progressOf(history).contentRatePerMinute).toBeCloseTo(40, 0);
	});

	it('takes the content ETA from the slowest type, not from the sum', () => {
		const history = fold(
			polls(0, 60, at => poll(at, [steadyType('Workbook', at, 10, 1000), steadyType('DatabaseTable', at, 100, 100_000)])),
		);
		const progress = progressOf(history);
		const workbook = progress.types.find(t => t.contentType === 'Workbook');
		const tables = progress.types.find(t => t.contentType === 'DatabaseTable');
		// At 60 min: Workbook 600/1000 at 10/min -> 40 min; tables 6000/100000 at 100/min -> 940 min.
		expect(workbook?.etaSeconds).toBeCloseTo(40 * 60, -2);
		expect(tables?.etaSeconds).toBeCloseTo(940 * 60, -2);
		expect(progress.contentEtaSeconds).toBe(tables?.etaSeconds);
		expect(progress.etaBoundBy).toBe('DatabaseTable');
	});

	it('uses done / durationSeconds as the first estimate', () => {
		const history = fold([poll(30 * MIN, [typeStatus('Workbook', {succeeded: 300, total: 900, checkpoint: T0 + 30 * MIN, durationSeconds: 1800})])]);
		const type = progressOf(history).types[0];
		expect(type?.ratePerMinute).toBeCloseTo(10, 5);
		expect(type?.etaSeconds).toBeCloseTo(60 * 60, 0);
	});

	it('gives no ETA on thin evidence', () => {
		const history = fold([poll(30_000, [typeStatus('Workbook', {succeeded: 3, total: 900, checkpoint: T0 + 30_000, durationSeconds: 30})])]);
		expect(progressOf(history).types[0]?.etaSeconds).toBeNull();
		expect(progressOf(fold([poll(0, [typeStatus('Workbook')])])).types[0]?.state).toBe('waiting');
	});

	it('finishes a type early and keeps the rest running', () => {
		const history = fold(polls(0, 60, at => poll(at, [steadyType('Flow', at, 10, 200), steadyType('Workbook', at, 10, 10_000)])));
		const progress = progressOf(history);
		const flow = progress.types.find(t => t.contentType === 'Flow');
		expect(flow).toMatchObject({complete: true, state: 'done', percent: 100, etaSeconds: null, ratePerMinute: null});
		expect(progress.typesDone).toBe(1);
		expect(progress.phase).toBe('content');
		expect(progress.etaBoundBy).toBe('Workbook');
		// The aggregate sparkline drops the finished type's share once it is done.
		const series = throughputSeries(history, null, 12);
		expect(series.current).toBeCloseTo(10, 0);
		expect(series.max).toBeCloseTo(20, 0);
	});

	it('names a stall after 15 minutes of server time without an advance, and shows no ETA then', () => {
		const stuckAt = 30 * MIN;
		const build = (at: number) => poll(at, [steadyType('DatabaseTable', Math.min(at, stuckAt), 20, 10_000), steadyType('Workbook', at, 10, 100_000)]);
		const before = progressOf(fold(polls(0, 44, build)));
		expect(before.types[0]?.state).toBe('running');
		expect(before.types[0]?.etaSeconds).not.toBeNull();
		const after = progressOf(fold(polls(0, 46, build)));
		expect(after.types[0]).toMatchObject({state: 'stalled', etaSeconds: null, stalledSince: T0 + stuckAt});
		expect(after.contentEtaSeconds).toBeNull();
		expect(after.etaBoundBy).toBe('DatabaseTable');
		// Hours later the ETA has not exploded; there simply is none.
		const muchLater = progressOf(fold(polls(0, 600, build)));
		expect(muchLater.types[0]?.etaSeconds).toBeNull();
		assertSane(muchLater);
	});

	it('moves to lineage after content, with lineage throughput on its own clock', () => {
		const done = [typeStatus('Workbook', {succeeded: 100, total: 100, complete: true, checkpoint: T0, durationSeconds: 600})];
		const history = fold(
			polls(60, 120, at => {
				const lineageSeconds = (at - 60 * MIN) / 1000;
				const processed = Math.floor(lineageSeconds / 60) * 5;
				return poll(at, done, {processed, total: 1000, complete: false, lastConnection: `Table upstream ${processed}`}, lineageSeconds);
			}),
		);
		const progress = progressOf(history);
		expect(progress.phase).toBe('lineage');
		expect(progress.lineage).toMatchObject({started: true, state: 'running', processed: 300});
		expect(progress.lineage.ratePerMinute).toBeCloseTo(5, 0);
		expect(progress.lineage.etaSeconds).toBeGreaterThan(130 * 60);
		expect(progress.lineage.etaSeconds).toBeLessThan(150 * 60);
		expect(throughputSeries(history, LINEAGE_SERIES, 10).current).toBeCloseTo(5, 0);
		const finished = addSnapshot(history, poll(200 * MIN, done, {processed: 1000, total: 1000, complete: true, lastConnection: 'x'}, 140 * 60));
		expect(progressOf(finished).phase).toBe('complete');
	});

	it('reports phases for empty and lineage-only documents', () => {
		expect(progressOf(fold([poll(0, [])])).phase).toBe('not-started');
		expect(deriveProgress(emptyHistory())).toBeNull();
		const lineageOnly = progressOf(fold([poll(0, [], {processed: 1, total: 2, complete: false, lastConnection: null}, 10)]));
		expect(lineageOnly.phase).toBe('lineage');
		expect(lineageOnly.lineage.started).toBe(true);
	});

	it('shows failed polls as gaps, not zeros', () => {
		let history = fold(polls(0, 20, at => poll(at, [steadyType('Workbook', at, 10, 100_000)])));
		history = addFailure(history, 5_000_000 + 20 * MIN + 15_000);
		// Server unreachable for 30 minutes, then back: the interval spanning it still counts for rates.
		history = fold(polls(50, 70, at => poll(at, [steadyType('Workbook', at, 10, 100_000)])), history);
		const series = throughputSeries(history, 'Workbook', 14);
		expect(series.points.filter(p => p === null).length).toBeGreaterThanOrEqual(4);
		expect(series.points.filter(p => p === 0)).toHaveLength(0);
		expect(progressOf(history).types[0]?.ratePerMinute).toBeCloseTo(10, 0);
	});

	it('never lets NaN, Infinity or negatives out, whatever the counts', () => {
		const odd = [
			typeStatus('Zero', {total: 0, checkpoint: T0}),
			typeStatus('ZeroDone', {total: 0, complete: true, checkpoint: T0}),
			typeStatus('Over', {succeeded: 120, failed: 9, total: 100, checkpoint: T0, durationSeconds: 0}),
			typeStatus('NoDuration', {succeeded: 5, total: 10, checkpoint: T0, durationSeconds: null}),
			typeStatus('Huge', {succeeded: 1, total: Number.MAX_SAFE_INTEGER, checkpoint: T0, durationSeconds: 3600}),
		];
		const history = fold([poll(0, odd), poll(MIN, odd.map(t => ({...t, checkpoint: T0 + MIN}))), poll(2 * MIN, odd, {processed: 5, total: 0, complete: false, lastConnection: null}, 0)]);
		const progress = progressOf(history);
		assertSane(progress);
		expect(progress.types.find(t => t.contentType === 'Over')?.percent).toBeLessThan(100);
		const series = throughputSeries(history, null, 20);
		for (const p of series.points) {
			if (p !== null) {
				expect(Number.isFinite(p)).toBe(true);
			}
		}
	});
});

/**
 * A type whose speed changes: `segments` are [until minute, items per minute], the last one open-ended.
 * Checkpointed every 5 min from T0, as the server does.
 */
function varyingType(atMs: number, segments: ReadonlyArray<readonly [number, number]>, total = 100_000): ContentTypeStatus {
	const checkpointMin = Math.floor(atMs / (5 * MIN)) * 5;
	let processed = 0;
	let from = 0;
	for (const [until, perMinute] of segments) {
		processed += Math.max(0, Math.min(checkpointMin, until) - from) * perMinute;
		from = until;
		if (checkpointMin <= until) {
			break;
		}
	}

	return typeStatus('Workbook', {
		succeeded: Math.floor(processed),
		total,
		checkpoint: T0 + checkpointMin * MIN,
		durationSeconds: checkpointMin * 60,
	});
}

function workbookAfter(minutes: number, segments: ReadonlyArray<readonly [number, number]>, total?: number) {
	const workbook = progressOf(fold(polls(0, minutes, at => poll(at, [varyingType(at, segments, total)])))).types[0];
	if (!workbook) {
		throw new Error('no Workbook');
	}

	return workbook;
}

describe('the rate behind the ETA', () => {
	const lasting = LASTING_CHANGE_MS / MIN;

	it('gives the exact remaining time for a steady type, counted from the checkpoint', () => {
		// 90 min at 12/min: 1,080 of 10,000 done, 8,920 left = 743 min 20 s.
		const atCheckpoint = workbookAfter(90, [[Number.POSITIVE_INFINITY, 12]], 10_000);
		expect(atCheckpoint.ratePerMinute).toBeCloseTo(12, 9);
		expect(atCheckpoint.etaSeconds).toBeCloseTo(44_600, 6);
		const later = workbookAfter(92, [[Number.POSITIVE_INFINITY, 12]], 10_000);
		expect(later.etaSeconds).toBeCloseTo(44_600 - 120, 6);
	});

	it(`keeps the ETA through a dip shorter than ${lasting} minutes: 40 % speed after two hours`, () => {
		const dipEnd = 120 + lasting - 5;
		const dip: Array<[number, number]> = [
			[120, 20],
			[dipEnd, 8],
			[Number.POSITIVE_INFINITY, 20],
		];
		for (const minute of [125, 120 + lasting / 2, dipEnd, dipEnd + 10]) {
			const workbook = workbookAfter(minute, dip);
			// The rate the run has shown most of the time, so the ETA is what it was before the dip.
			expect(workbook.ratePerMinute, `at ${minute} min`).toBeCloseTo(20, 9);
		}

		// An average over the last hour would be well below 20/min at the end of the dip.
		const endOfDip = workbookAfter(dipEnd, dip);
		const remaining = 100_000 - endOfDip.processed;
		expect(endOfDip.etaSeconds).toBeCloseTo((remaining / 20) * 60, 3);
	});

	it(`follows a dip that outlasts ${lasting} minutes, and leaves it at its first normal checkpoint`, () => {
		const dipEnd = 120 + 2 * lasting;
		const dip: Array<[number, number]> = [
			[120, 20],
			[dipEnd, 8],
			[Number.POSITIVE_INFINITY, 20],
		];
		expect(workbookAfter(dipEnd - 5, dip).ratePerMinute).toBeCloseTo(8, 9);
		expect(workbookAfter(dipEnd + 5, dip).ratePerMinute).toBeCloseTo(20, 9);
	});

	it(`follows a lasting slowdown once it has held for ${lasting} minutes (plus a checkpoint)`, () => {
		const slowdown: Array<[number, number]> = [
			[180, 20],
			[Number.POSITIVE_INFINITY, 8],
		];
		// Not yet: for the rule, a change shorter than LASTING_CHANGE_MS may still be a dip.
		expect(workbookAfter(180 + lasting - 10, slowdown).ratePerMinute).toBeCloseTo(20, 9);
		// Followed, at the rate since the change, within one checkpoint of the stated time.
		const followed = workbookAfter(180 + lasting + 5, slowdown);
		expect(followed.ratePerMinute).toBeCloseTo(8, 9);
		expect(followed.etaSeconds).toBeCloseTo(((100_000 - followed.processed) / 8) * 60, 3);
		// And a speed-up the same way.
		const speedup: Array<[number, number]> = [
			[180, 8],
			[Number.POSITIVE_INFINITY, 20],
		];
		expect(workbookAfter(180 + lasting + 5, speedup).ratePerMinute).toBeCloseTo(20, 9);
	});

	it('treats a change within the tolerance as ordinary variation, however long it lasts', () => {
		const small = 1 + RATE_TOLERANCE / 2;
		const workbook = workbookAfter(240 + 3 * lasting, [
			[240, 20],
			[Number.POSITIVE_INFINITY, 20 / small],
		]);
		expect(workbook.ratePerMinute).toBeCloseTo(20, 9);
	});

	it('weighs the hours before the monitor started, from durationSeconds', () => {
		// Started 3 h into a run at 20/min; the 20 minutes watched since ran at 10/min.
		const history = fold(
			polls(180, 200, at => {
				const minute = Math.floor(at / (5 * MIN)) * 5;
				return poll(at, [
					typeStatus('Workbook', {succeeded: 3600 + (minute - 180) * 10, total: 100_000, checkpoint: T0 + minute * MIN, durationSeconds: minute * 60}),
				]);
			}),
		);
		expect(progressOf(history).types[0]?.ratePerMinute).toBeCloseTo(20, 9);
	});

	it('reads a slow type from the moves of its count, not as alternating nothing and a burst', () => {
		// One item every fifteen minutes, checkpoints every five: two checkpoints in three move nothing,
		// and a median of checkpoint rates would read zero.
		const workbook = workbookAfter(180, [[Number.POSITIVE_INFINITY, 1 / 15]], 100);
		expect(workbook.ratePerMinute).toBeCloseTo(1 / 15, 9);
		expect(workbook.etaSeconds).toBeCloseTo(88 * 15 * 60, 3);
	});
});

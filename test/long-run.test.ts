/**
 * A week of 15-second polls (40,320) through the history, in-process and without a network: the
 * snapshots come from the simulator's 'week' scenario (a very large server whose backfill takes
 * longer than the week) and go through the same schema and model as a live poll. The history
 * must stay bounded: no track beyond MAX_SAMPLES, outages beyond their cap, and day 7 not much
 * bigger than day 1 although seven times as many polls went in. Sample counts and heap are printed
 * (the heap for information only: nothing here asserts memory or time).
 */
import {describe, expect, it} from 'vitest';
import {addFailure, addSnapshot, emptyHistory, MAX_SAMPLES, type History} from '../source/model/history.js';
import {deriveProgress} from '../source/model/rates.js';
import type {BackfillSnapshot} from '../source/model/snapshot.js';
import {scenarioByName} from '../source/simulator/scenarios.js';
import {normalize} from '../source/tableau/schema.js';

const POLL_SECONDS = 15;
const DAY_POLLS = (24 * 3600) / POLL_SECONDS;
const WEEK_POLLS = 7 * DAY_POLLS;
const START = Date.parse('2026-12-01T00:00:00Z');
/** The client's clock runs 90 s behind the server's: the model must not mix the two. */
const CLIENT_OFFSET_MS = -90_000;
/** Outages the history keeps at most (history.ts, MAX_OUTAGES). */
const MAX_OUTAGES = 64;
const LINEAGE = '(lineage)';

function samples(history: History): number {
	let count = history.lineage.samples.length;
	for (const track of history.tracks.values()) {
		count += track.samples.length;
	}

	return count;
}

function largestTrack(history: History): number {
	return Math.max(history.lineage.samples.length, ...[...history.tracks.values()].map(t => t.samples.length));
}

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

describe('a week of 15-second polls', () => {
	it('keeps the history bounded: every track at most MAX_SAMPLES, day 7 close to day 1', () => {
		expect(WEEK_POLLS).toBe(40_320);
		const scenario = scenarioByName('week');
		expect(scenario).toBeDefined();
		if (!scenario) {
			return;
		}

		// Still running at the end of the week: samples keep coming all week long.
		expect(scenario.completesAfterSeconds ?? 0).toBeGreaterThan(7 * 24 * 3600);

		let history = emptyHistory();
		/** Samples offered to the history (a checkpoint or lineage clock newer than the last): what an unbounded one would hold. */
		let appended = 0;
		const newest = new Map<string, number>();
		const offered = (snapshot: BackfillSnapshot): number => {
			const clocks: Array<[string, number | null]> = [
				...snapshot.content.map(c => [c.contentType, c.checkpoint] as [string, number | null]),
				[LINEAGE, snapshot.lineage && snapshot.lineageDurationSeconds !== null ? snapshot.lineageDurationSeconds * 1000 : null],
			];
			let count = 0;
			for (const [key, at] of clocks) {
				if (at !== null && at > (newest.get(key) ?? Number.NEGATIVE_INFINITY)) {
					newest.set(key, at);
					count++;
				}
			}

			return count;
		};
		let failures = 0;
		/** The largest track after any poll of the week. */
		let largestEver = 0;
		const perDay: Array<{samples: number; largest: number; appended: number; heap: number}> = [];
		for (let poll = 1; poll <= WEEK_POLLS; poll++) {
			const serverTime = START + poll * POLL_SECONDS * 1000;
			const receivedAt = serverTime + CLIENT_OFFSET_MS;
			// A failed poll every two hours: the outages list must stay bounded too.
			if (poll % 480 === 7) {
				history = addFailure(history, receivedAt);
				failures++;
				continue;
			}

			const snapshot = normalize(scenario.statusAt(poll * POLL_SECONDS, START), {receivedAt, serverTime});
			appended += offered(snapshot);
			history = addSnapshot(history, snapshot);
			largestEver = Math.max(largestEver, largestTrack(history));

			if (poll % 240 === 0) {
				// The model still works on a thinned history, hourly.
				const progress = deriveProgress(history);
				expect(progress).not.toBeNull();
			}

			if (poll % DAY_POLLS === 0) {
				perDay.push({samples: samples(history), largest: largestTrack(history), appended, heap: process.memoryUsage().heapUsed});
			}
		}

		const day1 = perDay[0];
		const day7 = perDay[6];
		expect(perDay).toHaveLength(7);
		if (!day1 || !day7) {
			return;
		}

		const tracks = history.tracks.size + 1;
		console.log(
			[
				`week of ${WEEK_POLLS} polls (${failures} failed), ${tracks} tracks, at most ${MAX_SAMPLES} samples a track (${tracks * MAX_SAMPLES} in all):`,
				...perDay.map((day, index) => `  day ${index + 1}: ${day.samples} samples kept (largest track ${day.largest}) of ${day.appended} offered; heap used ${mib(day.heap)} MiB`),
			].join('\n'),
		);

		// The stated maximum, never exceeded, on any poll.
		expect(largestEver).toBeLessThanOrEqual(MAX_SAMPLES);
		expect(day7.largest).toBeLessThanOrEqual(MAX_SAMPLES);
		expect(day7.samples).toBeLessThanOrEqual(tracks * MAX_SAMPLES);
		// Seven times the polls, and more samples offered than all tracks together may keep (lineage
		// adds one a poll in its phase): an unbounded history would hold them all.
		expect(day7.appended).toBeGreaterThan(tracks * MAX_SAMPLES);
		expect(day7.appended).toBeGreaterThan(4 * day1.appended);
		// Day 7 stays close to day 1: at most 2.5 times it, where the samples offered grew more than 4
		// times (no track is full on day 1: a checkpoint every five minutes is 288 a day).
		expect(day7.samples).toBeLessThanOrEqual(2.5 * day1.samples);
		// Once the busiest tracks are full (day 3) the size stays flat while the offers keep growing.
		const day3 = perDay[2]?.samples ?? 0;
		expect(day7.samples).toBeLessThanOrEqual(1.25 * day3);
		// Full tracks are thinned to between half and all of the bound, never emptied.
		expect(day7.largest).toBeGreaterThan(MAX_SAMPLES / 2);
		expect(history.outages.length).toBeLessThanOrEqual(MAX_OUTAGES);
		expect(failures).toBeGreaterThan(MAX_OUTAGES);
	}, 60_000);
});

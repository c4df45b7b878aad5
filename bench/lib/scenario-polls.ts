/**
 * Polls of a simulator scenario without the network: the scenario's pure `statusAt` gives the raw
 * Backfill API payload at a server time, and the real schema turns it into the snapshot the client
 * would hand the model. The benchmarks that replay days of polls or score the ETA use this, so they
 * see exactly the documents the simulator serves.
 */
import {scenarioByName, type RawPayload, type Scenario} from '../../source/simulator/scenarios.js';
import type {BackfillSnapshot} from '../../source/model/snapshot.js';
import {normalize} from '../../source/tableau/schema.js';

/** Server time of `tsm maintenance metadata-services enable` in every benchmark run. */
export const BENCH_START = Date.parse('2026-12-03T10:00:00Z');

export function scenarioNamed(name: string): Scenario {
	const scenario = scenarioByName(name);
	if (!scenario) {
		throw new Error(`unknown scenario ${name}`);
	}

	return scenario;
}

/** The snapshot a poll `elapsedSeconds` after enable would give; client and server clocks agree. */
export function snapshotAt(scenario: Scenario, elapsedSeconds: number, start = BENCH_START): BackfillSnapshot {
	const at = start + elapsedSeconds * 1000;
	return normalize(scenario.statusAt(elapsedSeconds, start), {receivedAt: at, serverTime: at});
}

export function contentComplete(raw: RawPayload): boolean {
	const statuses = raw.contentBackfillStatuses;
	return Array.isArray(statuses) && statuses.length > 0 && statuses.every(s => isRecord(s) && s.backfillComplete === true);
}

export function processedTotal(raw: RawPayload): number {
	const statuses = Array.isArray(raw.contentBackfillStatuses) ? raw.contentBackfillStatuses : [];
	let sum = 0;
	for (const s of statuses) {
		if (isRecord(s)) {
			sum += numberOf(s.successfullyIngestedCount) + numberOf(s.failedToIngestCount) + numberOf(s.failedIngestedCount);
		}
	}

	return sum;
}

/** The first whole second at or after `from` at which the content phase is complete; null if never before `limit`. */
export function contentEnd(scenario: Scenario, from: number, limit: number, start = BENCH_START): number | null {
	for (let t = Math.ceil(from); t <= limit; t++) {
		if (contentComplete(scenario.statusAt(t, start))) {
			return t;
		}
	}

	return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null;
}

function numberOf(value: unknown): number {
	return typeof value === 'number' ? value : 0;
}

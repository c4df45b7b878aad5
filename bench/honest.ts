/**
 * Benchmark 6, honest numbers: how good is the ETA on screen, and how soon is a stall named?
 * Every scenario is run to the end of its content phase with a poll every 15 s of server time; the
 * model (history + rates) and the four reimplemented estimators see the same polls. At 10/25/50/75/90 %
 * of the content phase's true duration the ETA each would show is compared with when content really
 * ended. No network: the scenario functions are the simulator's own.
 */
import {addSnapshot, emptyHistory, type History} from '../source/model/history.js';
import {deriveProgress} from '../source/model/rates.js';
import type {BackfillSnapshot} from '../source/model/snapshot.js';
import {processedOf} from '../source/model/snapshot.js';
import {ESTIMATORS, type CounterEstimator, type EstimatorKind} from './estimators.js';
import {contentEnd, processedTotal, scenarioNamed, snapshotAt, BENCH_START} from './lib/scenario-polls.js';
import {median} from './lib/stats.js';

export const POLL_SECONDS = 15;
export const MARKS = [0.1, 0.25, 0.5, 0.75, 0.9] as const;
/**
 * One run per shape of the type that bounds the content phase (Workbook), each shape a cause an admin
 * would meet (source/simulator/scenarios.ts): the demo's varied run, the same on a small server, a
 * slow warm-up, big workbooks last, a late speed-up, an extract-refresh dip, a busy start, and a
 * run slowing as its index grows (restarted part-way). 'failures' and 'extra-types' are left out:
 * their Workbook run is realistic's, so they would count that one run three times.
 */
export const ETA_SCENARIOS = ['realistic', 'fast', 'warm-up', 'late-slowdown', 'late-speedup', 'refresh-window', 'busy-start', 'restart'] as const;
export const OURS = 'backfill-top';
/** What "no usable ETA" means for the tools that have no stall state: none, or beyond our own cap. */
const USELESS_ETA_SECONDS = 60 * 24 * 3600;
/** A rate that a bar prints as 0.0000/s. */
const ZERO_RATE_PER_SECOND = 1e-4;
const DAY = 24 * 3600;

/** What a content-phase watcher reports after each poll. */
interface Watcher {
	readonly name: string;
	observe(snapshot: BackfillSnapshot, at: number): void;
	contentEta(at: number): number | null;
	/** Does it flag this running type as stalled (ours) or show it with no usable ETA/zero rate (theirs)? */
	looksStalled(contentType: string, at: number): boolean;
}

function ourWatcher(): Watcher {
	let history: History = emptyHistory();
	let progress = deriveProgress(history);
	return {
		name: OURS,
		observe(snapshot) {
			history = addSnapshot(history, snapshot);
			progress = deriveProgress(history);
		},
		contentEta: () => progress?.contentEtaSeconds ?? null,
		looksStalled: type => progress?.types.find(t => t.contentType === type)?.state === 'stalled',
	};
}

/**
 * One bar per content type, as a wrapper around the tool would draw. The content ETA is the largest
 * per-type ETA, and unknown when any running type has none: the rule ours uses, so the comparison is
 * of the rate estimators alone. Counts going backwards (a restart) start new bars.
 */
function theirWatcher(kind: EstimatorKind): Watcher {
	let bars = new Map<string, {estimator: CounterEstimator; done: number; complete: boolean}>();
	return {
		name: kind.name,
		observe(snapshot, at) {
			if (snapshot.content.some(s => processedOf(s) < (bars.get(s.contentType)?.done ?? 0))) {
				bars = new Map();
			}

			for (const status of snapshot.content) {
				let bar = bars.get(status.contentType);
				if (!bar) {
					bar = {estimator: kind.create(status.total), done: 0, complete: false};
					bars.set(status.contentType, bar);
				}

				bar.done = processedOf(status);
				bar.complete = status.complete;
				bar.estimator.observe(at, bar.done);
			}
		},
		contentEta(at) {
			let eta: number | null = null;
			for (const bar of bars.values()) {
				if (bar.complete) {
					continue;
				}

				const value = bar.estimator.eta(at);
				if (value === null || !Number.isFinite(value)) {
					return null;
				}

				eta = Math.max(eta ?? 0, value);
			}

			return eta;
		},
		looksStalled(type, at) {
			const bar = bars.get(type);
			if (!bar || bar.complete || bar.done === 0) {
				return false;
			}

			const eta = bar.estimator.eta(at);
			const rate = bar.estimator.rate(at);
			return eta === null || !Number.isFinite(eta) || eta > USELESS_ETA_SECONDS || rate === null || rate < ZERO_RATE_PER_SECOND;
		},
	};
}

export function allWatchers(): Watcher[] {
	return [ourWatcher(), ...ESTIMATORS.map(kind => theirWatcher(kind))];
}

export interface EtaRow {
	readonly scenario: string;
	readonly estimator: string;
	/** Signed error in % of the true remaining time at each mark; null = no ETA shown. */
	readonly errors: ReadonlyArray<number | null>;
	/** Server seconds after enable of the poll each mark was read at. */
	readonly readAt: readonly number[];
	/** Median |error| (%) over every poll from the first mark to the last; no ETA counts as infinitely wrong. */
	readonly overall: number;
}

export interface PhaseInfo {
	readonly scenario: string;
	readonly start: number;
	readonly end: number;
	/** Share of content-phase polls at which some running type looked stalled, per estimator (0-1). */
	readonly falseStalls: ReadonlyMap<string, number>;
}

/** The content phase of a scenario: from enable (or the restart) to the first second every type is complete. */
function contentPhase(scenarioName: string): {start: number; end: number} {
	const scenario = scenarioNamed(scenarioName);
	let start = 0;
	let previous = 0;
	// A restart shows as counts going backwards; the phase that matters is the run that completes.
	for (let t = 0; t <= 2 * DAY; t += POLL_SECONDS) {
		const done = processedTotal(scenario.statusAt(t, BENCH_START));
		if (done < previous) {
			start = t;
			break;
		}

		previous = done;
		if (contentEnd(scenario, t, t) !== null) {
			break;
		}
	}

	const end = contentEnd(scenario, start, start + 7 * DAY);
	if (end === null) {
		throw new Error(`${scenarioName}: content never completes`);
	}

	return {start, end};
}

export function scoreScenario(scenarioName: string, watchers: readonly Watcher[] = allWatchers()): {rows: EtaRow[]; phase: PhaseInfo} {
	const scenario = scenarioNamed(scenarioName);
	const {start, end} = contentPhase(scenarioName);
	const marks = MARKS.map(p => start + p * (end - start));
	const errors = watchers.map(() => [] as Array<number | null>);
	const readAt: number[] = [];
	const stallPolls = watchers.map(() => 0);
	// Five marks can each land just before or after a change; every poll between them shows how the
	// estimate behaves the rest of the time.
	const everyPoll = watchers.map(() => [] as number[]);
	const [firstMark = start, lastMark = end] = [marks[0], marks.at(-1)];
	let phasePolls = 0;
	let next = 0;
	for (let t = POLL_SECONDS; t < end; t += POLL_SECONDS) {
		const snapshot = snapshotAt(scenario, t);
		for (const watcher of watchers) {
			watcher.observe(snapshot, t);
		}

		if (t >= start) {
			phasePolls++;
			const running = snapshot.content.filter(s => !s.complete && processedOf(s) > 0).map(s => s.contentType);
			watchers.forEach((watcher, index) => {
				if (running.some(type => watcher.looksStalled(type, t))) {
					stallPolls[index] = (stallPolls[index] ?? 0) + 1;
				}
			});
		}

		if (t >= firstMark && t <= lastMark) {
			watchers.forEach((watcher, index) => {
				everyPoll[index]?.push(absError(errorPercent(watcher.contentEta(t), end - t)));
			});
		}

		const mark = marks[next];
		if (mark !== undefined && t >= mark) {
			readAt.push(t);
			const remaining = end - t;
			watchers.forEach((watcher, index) => {
				errors[index]?.push(errorPercent(watcher.contentEta(t), remaining));
			});
			next++;
		}
	}

	return {
		rows: watchers.map((watcher, index) => ({
			scenario: scenarioName,
			estimator: watcher.name,
			errors: errors[index] ?? [],
			readAt,
			overall: median(everyPoll[index] ?? []),
		})),
		phase: {
			scenario: scenarioName,
			start,
			end,
			falseStalls: new Map(watchers.map((watcher, index) => [watcher.name, phasePolls > 0 ? (stallPolls[index] ?? 0) / phasePolls : 0])),
		},
	};
}

export interface StallRow {
	readonly estimator: string;
	/** Server seconds from the real stall start to the poll from which the stall is named for good; null = never. */
	readonly namedAfter: number | null;
	/** Polls after the stall was named at which the stalled type still showed an ETA (ours) or content had one. */
	readonly etaShownAfterNaming: number;
	/** The content ETA shown one hour into the stall, seconds; null = none. */
	readonly etaAnHourIn: number | null;
}

export interface StallResult {
	readonly scenario: string;
	readonly contentType: string;
	/** Server seconds after enable of the stalled type's last advance (its last checkpoint that moved). */
	readonly stallStart: number;
	readonly rows: StallRow[];
}

export function scoreStall(scenarioName = 'stalled', watchHours = 2): StallResult {
	const scenario = scenarioNamed(scenarioName);
	const late = snapshotAt(scenario, 12 * 3600);
	const stuck = late.content.find(s => !s.complete);
	if (!stuck || stuck.checkpoint === null) {
		throw new Error(`${scenarioName}: no stalled type`);
	}

	const stallStart = (stuck.checkpoint - BENCH_START) / 1000;
	const watchers = allWatchers();
	const until = stallStart + watchHours * 3600;
	const since = watchers.map(() => null as number | null);
	const etaAfter = watchers.map(() => 0);
	const anHourIn = watchers.map(() => null as number | null);
	for (let t = POLL_SECONDS; t <= until; t += POLL_SECONDS) {
		const snapshot = snapshotAt(scenario, t);
		watchers.forEach((watcher, index) => {
			watcher.observe(snapshot, t);
			const stalled = t >= stallStart && watcher.looksStalled(stuck.contentType, t);
			if (!stalled) {
				since[index] = null;
			} else if (since[index] === null) {
				since[index] = t;
			}

			if (since[index] !== null && watcher.contentEta(t) !== null) {
				etaAfter[index] = (etaAfter[index] ?? 0) + 1;
			}

			if (anHourIn[index] === null && t >= stallStart + 3600) {
				anHourIn[index] = watcher.contentEta(t) ?? Number.NaN;
			}
		});
	}

	return {
		scenario: scenarioName,
		contentType: stuck.contentType,
		stallStart,
		rows: watchers.map((watcher, index) => {
			const named = since[index] ?? null;
			const hour = anHourIn[index] ?? null;
			return {
				estimator: watcher.name,
				namedAfter: named === null ? null : named - stallStart,
				etaShownAfterNaming: etaAfter[index] ?? 0,
				etaAnHourIn: hour === null || Number.isNaN(hour) ? null : hour,
			};
		}),
	};
}

export interface HonestResult {
	readonly rows: EtaRow[];
	readonly phases: PhaseInfo[];
	/** Median over scenarios of |error| at each mark, per estimator; a missing ETA counts as infinitely wrong. */
	readonly medianAbs: ReadonlyMap<string, number[]>;
	/** Median over scenarios of each scenario's median |error| over every poll from the first mark to the last. */
	readonly medianOverall: ReadonlyMap<string, number>;
	readonly stall: StallResult;
}

export function runHonest(scenarios: readonly string[] = ETA_SCENARIOS): HonestResult {
	const rows: EtaRow[] = [];
	const phases: PhaseInfo[] = [];
	for (const name of scenarios) {
		const scored = scoreScenario(name);
		rows.push(...scored.rows);
		phases.push(scored.phase);
	}

	const medianAbs = new Map<string, number[]>();
	const medianOverall = new Map<string, number>();
	for (const name of [OURS, ...ESTIMATORS.map(e => e.name)]) {
		const mine = rows.filter(r => r.estimator === name);
		medianAbs.set(
			name,
			MARKS.map((_, index) => median(mine.map(r => absError(r.errors[index])))),
		);
		medianOverall.set(name, median(mine.map(r => r.overall)));
	}

	return {rows, phases, medianAbs, medianOverall, stall: scoreStall()};
}

/** How far an ETA is from the true remaining time, in % of it (+ = too late); null when no ETA is shown. */
function errorPercent(eta: number | null, remaining: number): number | null {
	return eta === null ? null : ((eta - remaining) / remaining) * 100;
}

export function absError(error: number | null | undefined): number {
	return error === null || error === undefined ? Number.POSITIVE_INFINITY : Math.abs(error);
}

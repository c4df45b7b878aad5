/**
 * Backfill progress as pure functions of server time: what the Backfill API would answer
 * `elapsedSeconds` after `tsm maintenance metadata-services enable`. Deterministic, no I/O, so the
 * simulator, the tests and the benchmarks all see the same runs.
 */
import {SEED_EXAMPLE} from './seed-example.js';

export type RawPayload = Record<string, unknown>;

export interface Scenario {
	readonly name: string;
	readonly description: string;
	statusAt(elapsedSeconds: number, startTime: number): RawPayload;
	/** Server seconds until content and lineage are complete; null when it never completes. */
	readonly completesAfterSeconds: number | null;
}

interface TypePlan {
	readonly contentType: string;
	readonly total: number;
	readonly failed: number;
	/** Seconds of server time before the first checkpoint of this type (types are not synchronized). */
	readonly offset: number;
	/** Relative speed over the run, piecewise: [fraction of the type's duration, relative speed]. */
	readonly profile: ReadonlyArray<readonly [number, number]>;
	/** Seconds to index everything. */
	readonly duration: number;
	/** Stops at this fraction and never completes. */
	readonly stallAt?: number;
}

interface RunPlan {
	readonly types: readonly TypePlan[];
	readonly lineageTotal: number;
	readonly lineageDuration: number;
	readonly lineageProfile: ReadonlyArray<readonly [number, number]>;
	readonly failedField: 'failedToIngestCount' | 'failedIngestedCount';
}

const CHECKPOINT_SECONDS = 300;

const CONNECTIONS = [
	'CloudFile downstreamWorkbooks Workbook',
	'DatabaseTable upstreamDatabases Database',
	'PublishedDatasource downstreamSheets Sheet',
	'Workbook upstreamTables DatabaseTable',
	'Flow downstreamDatasources PublishedDatasource',
	'Database downstreamTables DatabaseTable',
	'Metric upstreamViews View',
];

/** A speed profile that varies like real runs: warm-up, slow patches of big items, faster stretches. */
const VARIED: ReadonlyArray<readonly [number, number]> = [
	[0.05, 0.5],
	[0.3, 1.2],
	[0.45, 0.6],
	[0.75, 1.1],
	[0.85, 0.7],
	[1, 1.3],
];
const STEADY: ReadonlyArray<readonly [number, number]> = [
	[0.1, 0.8],
	[1, 1],
];
const BURSTY: ReadonlyArray<readonly [number, number]> = [
	[0.15, 1.6],
	[0.4, 0.8],
	[0.6, 1.4],
	[1, 0.9],
];

const HOUR = 3600;

/*
 * Shapes of a run's bounding type (Workbook) for the ETA benchmark (bench/honest.ts). No public
 * timing data of real backfills exists (research/tableau.md), so each shape stands for a cause an
 * admin would meet, argued rather than measured; none was chosen for how an estimator does on it.
 */
/** Steady after a slow first half hour: caches are cold and the index is being created. */
const WARM_UP: ReadonlyArray<readonly [number, number]> = [
	[0.12, 0.3],
	[1, 1],
];
/**
 * The big workbooks come last (a large project of dashboards with dozens of sheets and embedded data
 * sources): the last 40 % of the workbooks by count index at half the speed, to the end.
 */
const BIG_LAST: ReadonlyArray<readonly [number, number]> = [
	[0.1, 0.8],
	[0.43, 1],
	[1, 0.5],
];

const realisticTypes: readonly TypePlan[] = [
	{contentType: 'PublishedDatasource', total: 1200, failed: 2, offset: 40, profile: STEADY, duration: 1.6 * HOUR},
	{contentType: 'Database', total: 800, failed: 0, offset: 95, profile: BURSTY, duration: 0.7 * HOUR},
	{contentType: 'DatabaseTable', total: 6400, failed: 5, offset: 150, profile: VARIED, duration: 3.4 * HOUR},
	{contentType: 'Metric', total: 40, failed: 0, offset: 210, profile: STEADY, duration: 0.3 * HOUR},
	{contentType: 'Workbook', total: 9000, failed: 3, offset: 20, profile: VARIED, duration: 4.2 * HOUR},
	{contentType: 'Flow', total: 300, failed: 1, offset: 260, profile: BURSTY, duration: 1.1 * HOUR},
];

const fastTypes: readonly TypePlan[] = [
	{contentType: 'PublishedDatasource', total: 120, failed: 1, offset: 30, profile: STEADY, duration: 0.35 * HOUR},
	{contentType: 'Database', total: 60, failed: 0, offset: 60, profile: BURSTY, duration: 0.2 * HOUR},
	{contentType: 'DatabaseTable', total: 400, failed: 0, offset: 90, profile: VARIED, duration: 0.45 * HOUR},
	{contentType: 'Metric', total: 8, failed: 0, offset: 120, profile: STEADY, duration: 0.1 * HOUR},
	{contentType: 'Workbook', total: 500, failed: 2, offset: 10, profile: VARIED, duration: 0.5 * HOUR},
	{contentType: 'Flow', total: 30, failed: 0, offset: 150, profile: STEADY, duration: 0.25 * HOUR},
];

/**
 * Load on the host that slows every type alike, over the run's own clock: [until seconds after
 * enable, relative speed], the last entry open-ended.
 */
type HostLoad = ReadonlyArray<readonly [number, number]>;

/** Nightly extract refreshes take the host's CPU and repository for an hour, 1 h after enable. */
const REFRESH_WINDOW: HostLoad = [
	[1 * HOUR, 1],
	[2 * HOUR, 0.4],
	[Number.POSITIVE_INFINITY, 1],
];
/** Enabled during the working day: interactive load and scheduled jobs halve ingestion for 1.5 h. */
const BUSY_START: HostLoad = [
	[1.5 * HOUR, 0.5],
	[Number.POSITIVE_INFINITY, 1],
];
/** Each insert costs a little more as the index grows: about 15 % slower every hour. */
const GROWING_INDEX: HostLoad = [
	[1 * HOUR, 1.2],
	[2 * HOUR, 1.02],
	[3 * HOUR, 0.87],
	[4 * HOUR, 0.74],
	[Number.POSITIVE_INFINITY, 0.63],
];

/** A type's own profile multiplied by the host's load, both mapped onto the type's own duration. */
function underLoad(type: TypePlan, load: HostLoad): TypePlan {
	const toFraction = (seconds: number) => (seconds - type.offset) / type.duration;
	const cuts = [...type.profile.map(([until]) => until), ...load.map(([until]) => toFraction(until)).filter(f => f > 0 && f < 1)];
	const ends = [...new Set(cuts)].sort((a, b) => a - b);
	let previous = 0;
	const profile = ends.map(until => {
		const middle = (previous + until) / 2;
		previous = until;
		const own = type.profile.find(([end]) => middle < end)?.[1] ?? 1;
		const host = load.find(([end]) => type.offset + middle * type.duration < end)?.[1] ?? 1;
		return [until, own * host] as const;
	});
	return {...type, profile};
}

function withWorkbook(types: readonly TypePlan[], profile: ReadonlyArray<readonly [number, number]>): TypePlan[] {
	return types.map(t => (t.contentType === 'Workbook' ? {...t, profile} : t));
}

/** Workbook's own profile steady, so that the run's shape is the one named. */
const steadyWorkbook = withWorkbook(realisticTypes, STEADY);

function realisticWith(types: readonly TypePlan[]): RunPlan {
	return {types, lineageTotal: 4000, lineageDuration: 1.4 * HOUR, lineageProfile: BURSTY, failedField: 'failedToIngestCount'};
}

/**
 * When DatabaseTable, the other big type, finishes, Workbook gets its share of the ingestion threads
 * and runs half as fast again to the end.
 */
function lateSpeedup(types: readonly TypePlan[]): TypePlan[] {
	const workbook = types.find(t => t.contentType === 'Workbook') ?? fail();
	const tables = types.find(t => t.contentType === 'DatabaseTable') ?? fail();
	const freed = (tables.offset + tables.duration - workbook.offset) / workbook.duration;
	return withWorkbook(types, [
		[0.1, 0.8],
		[freed, 1],
		[1, 1.5],
	]);
}

const plans: Record<string, RunPlan> = {
	realistic: {types: realisticTypes, lineageTotal: 4000, lineageDuration: 1.4 * HOUR, lineageProfile: BURSTY, failedField: 'failedToIngestCount'},
	fast: {types: fastTypes, lineageTotal: 300, lineageDuration: 0.2 * HOUR, lineageProfile: STEADY, failedField: 'failedToIngestCount'},
	stalled: {
		types: fastTypes.map(t => (t.contentType === 'DatabaseTable' ? {...t, stallAt: 0.5} : t)),
		lineageTotal: 300,
		lineageDuration: 0.2 * HOUR,
		lineageProfile: STEADY,
		failedField: 'failedToIngestCount',
	},
	failures: {
		types: realisticTypes.map(t => (t.contentType === 'Workbook' ? {...t, failed: 640} : t)),
		lineageTotal: 4000,
		lineageDuration: 1.4 * HOUR,
		lineageProfile: BURSTY,
		failedField: 'failedToIngestCount',
	},
	// A very large server watched for a week: the long-run tests feed a week of polls through the model.
	week: {
		types: realisticTypes.map(t => ({...t, total: t.total * 40, duration: t.duration * 36})),
		lineageTotal: 160_000,
		lineageDuration: 25.2 * HOUR,
		lineageProfile: BURSTY,
		failedField: 'failedToIngestCount',
	},
	'extra-types': {
		types: [
			...realisticTypes,
			{contentType: 'VirtualConnection', total: 90, failed: 0, offset: 75, profile: STEADY, duration: 0.8 * HOUR},
			{contentType: 'Lens', total: 25, failed: 1, offset: 130, profile: BURSTY, duration: 0.5 * HOUR},
		],
		lineageTotal: 4000,
		lineageDuration: 1.4 * HOUR,
		lineageProfile: BURSTY,
		failedField: 'failedIngestedCount',
	},
	'warm-up': realisticWith(withWorkbook(realisticTypes, WARM_UP)),
	'late-slowdown': realisticWith(withWorkbook(realisticTypes, BIG_LAST)),
	'late-speedup': realisticWith(lateSpeedup(realisticTypes)),
	'refresh-window': realisticWith(steadyWorkbook.map(t => underLoad(t, REFRESH_WINDOW))),
	'busy-start': realisticWith(steadyWorkbook.map(t => underLoad(t, BUSY_START))),
	'growing-index': realisticWith(steadyWorkbook.map(t => underLoad(t, GROWING_INDEX))),
};

/** Fraction of the work done after `fraction` of the duration, under a piecewise speed profile. */
export function workDone(profile: ReadonlyArray<readonly [number, number]>, fraction: number): number {
	let area = 0;
	let totalArea = 0;
	let previous = 0;
	for (const [until, speed] of profile) {
		const span = until - previous;
		totalArea += span * speed;
		area += Math.max(0, Math.min(fraction, until) - previous) * speed;
		previous = until;
	}

	return totalArea > 0 ? Math.min(1, area / totalArea) : 1;
}

function contentEnd(plan: RunPlan): number {
	return Math.max(...plan.types.map(t => t.offset + t.duration));
}

function runStatus(plan: RunPlan, elapsed: number, startTime: number): RawPayload {
	const statuses = plan.types.map(type => typeStatus(plan, type, elapsed, startTime));
	const contentDone = statuses.every(s => s.backfillComplete === true);
	const contentSeconds = Math.min(elapsed, Math.ceil(contentEnd(plan)));
	const payload: RawPayload = {
		contentBackfillTotalDurationSeconds: Math.floor(contentSeconds),
		lineageBackfillTotalDurationSeconds: 0,
		contentBackfillStatuses: statuses,
	};
	if (!contentDone) {
		return payload;
	}

	const lineageElapsed = Math.max(0, elapsed - Math.ceil(contentEnd(plan)));
	const fraction = Math.min(1, lineageElapsed / plan.lineageDuration);
	// Lineage reports in the same five-minute steps as content.
	const stepped = fraction >= 1 ? 1 : Math.floor(lineageElapsed / CHECKPOINT_SECONDS) * CHECKPOINT_SECONDS / plan.lineageDuration;
	const processed = Math.floor(plan.lineageTotal * workDone(plan.lineageProfile, stepped));
	const complete = fraction >= 1;
	payload.lineageBackfillTotalDurationSeconds = Math.floor(Math.min(lineageElapsed, plan.lineageDuration));
	payload.lineageBackfillStatus = {
		totalCount: plan.lineageTotal,
		processedCount: complete ? plan.lineageTotal : processed,
		lastLineageConnection: CONNECTIONS[Math.floor(processed / 7) % CONNECTIONS.length],
		backfillComplete: complete,
	};
	return payload;
}

function typeStatus(plan: RunPlan, type: TypePlan, elapsed: number, startTime: number): RawPayload {
	const local = elapsed - type.offset;
	const stallSeconds = type.stallAt === undefined ? Number.POSITIVE_INFINITY : type.stallAt * type.duration;
	const finished = local >= type.duration && type.stallAt === undefined;
	// Counts only move at checkpoints, every five minutes of the type's own schedule.
	const checkpointLocal = finished ? type.duration : Math.floor(Math.max(0, local) / CHECKPOINT_SECONDS) * CHECKPOINT_SECONDS;
	const effective = Math.min(checkpointLocal, stallSeconds);
	const hasCheckpoint = local >= CHECKPOINT_SECONDS || finished;
	const fraction = finished ? 1 : workDone(type.profile, effective / type.duration);
	const processed = hasCheckpoint ? Math.floor(type.total * fraction) : 0;
	const failed = Math.min(processed, Math.floor(type.failed * fraction));
	const checkpointTime = startTime + (type.offset + effective) * 1000;
	return {
		contentType: type.contentType,
		contentId: processed > 0 ? `sites/1/${type.contentType.toLowerCase()}s/${1000 + processed}` : null,
		successfullyIngestedCount: processed - failed,
		[plan.failedField]: failed,
		durationSeconds: Math.floor(Math.max(0, effective)),
		totalCount: type.total,
		checkpointCreatedTime: hasCheckpoint ? new Date(checkpointTime).toISOString() : null,
		backfillComplete: finished,
	};
}

function fromPlan(name: string, description: string, plan: RunPlan, stalls: boolean): Scenario {
	return {
		name,
		description,
		statusAt: (elapsed, startTime) => runStatus(plan, elapsed, startTime),
		completesAfterSeconds: stalls ? null : Math.ceil(contentEnd(plan)) + plan.lineageDuration,
	};
}

const restartAfter = 1.5 * HOUR;

const scenarios: readonly Scenario[] = [
	fromPlan('realistic', 'six types of very different sizes and speeds, about 4 h of content then 1.4 h of lineage', plans.realistic ?? fail(), false),
	fromPlan('fast', 'small totals: content and lineage complete in about 45 minutes', plans.fast ?? fail(), false),
	fromPlan('stalled', 'like fast, but DatabaseTable stops at half and never completes', plans.stalled ?? fail(), true),
	fromPlan('failures', 'realistic, with 640 failed workbooks', plans.failures ?? fail(), false),
	fromPlan('week', 'a very large server: about 6 days of content, then a day of lineage (complete after 7.35 days)', plans.week ?? fail(), false),
	fromPlan('extra-types', 'realistic plus VirtualConnection and Lens, with the failedIngestedCount spelling', plans['extra-types'] ?? fail(), false),
	{
		name: 'restart',
		description: 'realistic sizes, ingestion slowing as the index grows, re-enabled after 1.5 h: counts go back to zero and a new run begins',
		statusAt(elapsed, startTime) {
			const plan = plans['growing-index'] ?? fail();
			return elapsed < restartAfter
				? runStatus(plan, elapsed, startTime)
				: runStatus(plan, elapsed - restartAfter, startTime + restartAfter * 1000);
		},
		completesAfterSeconds: restartAfter + Math.ceil(contentEnd(plans['growing-index'] ?? fail())) + (plans['growing-index']?.lineageDuration ?? 0),
	},
	fromPlan('warm-up', 'realistic sizes, Workbook at 30 % speed for its first half hour, then steady', plans['warm-up'] ?? fail(), false),
	fromPlan('late-slowdown', 'realistic sizes, the big workbooks last: the last 40 % of them at half speed', plans['late-slowdown'] ?? fail(), false),
	fromPlan('late-speedup', 'realistic sizes, Workbook half as fast again once DatabaseTable is done', plans['late-speedup'] ?? fail(), false),
	fromPlan('refresh-window', 'realistic sizes, every type at 40 % speed from 1 h to 2 h (extract refreshes), then back', plans['refresh-window'] ?? fail(), false),
	fromPlan('busy-start', 'realistic sizes, every type at half speed for the first 1.5 h (working-day load), then faster', plans['busy-start'] ?? fail(), false),
	{name: 'seed', description: 'the documented example response, unchanging', statusAt: () => structuredClone(SEED_EXAMPLE), completesAfterSeconds: null},
	{name: 'not-started', description: 'an empty document: metadata services enabled, nothing indexed yet', statusAt: () => ({}), completesAfterSeconds: null},
];

function fail(): never {
	throw new Error('scenario plan missing');
}

export const PROGRESS_SCENARIO_NAMES: readonly string[] = scenarios.map(s => s.name);

export function scenarioByName(name: string): Scenario | undefined {
	return scenarios.find(s => s.name === name);
}

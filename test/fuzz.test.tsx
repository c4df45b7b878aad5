import './helpers/force-color.js';
/**
 * Property-based fuzzing (fast-check) of the three layers a server's answer goes through: the schema
 * (any value ends as a snapshot or as a SchemaError naming a path), the model (finite numbers,
 * percentages in 0..100, non-negative rates and ETAs, whatever the sequence of polls), and the views
 * (no NaN, undefined, Infinity or null on screen, at any size or theme).
 *
 * Seeds are fast-check's (random, but fixed under CI); a failure prints its seed and path. To replay one:
 * FUZZ_SEED=<seed> CI=true npx vitest run test/fuzz.test.tsx -t '<test name>'
 */
import fc from 'fast-check';
import {renderToString} from 'ink';
import {afterAll, describe, expect, it} from 'vitest';
import {addFailure, addSnapshot, emptyHistory, MAX_SAMPLES, type History} from '../source/model/history.js';
import type {BackfillProgress} from '../source/model/progress.js';
import {deriveProgress, LINEAGE_SERIES, throughputSeries} from '../source/model/rates.js';
import type {BackfillSnapshot} from '../source/model/snapshot.js';
import {onceTable} from '../source/modes/once.js';
import {jsonReport} from '../source/modes/report.js';
import {progressLine} from '../source/modes/summary.js';
import type {PollState} from '../source/poller.js';
import {PROGRESS_SCENARIO_NAMES, scenarioByName} from '../source/simulator/scenarios.js';
import {normalize, printable, SchemaError} from '../source/tableau/schema.js';
import type {ServerDescription} from '../source/tableau/status-source.js';
import {titleOf} from '../source/ui/App.js';
import {Dashboard, dashboardLayout} from '../source/ui/Dashboard.js';
import {makeTheme, type Theme} from '../source/ui/theme.js';
import {
	CONTENT_FIELDS,
	applyMutations,
	foldSteps,
	LEAK,
	mutation,
	parsePath,
	safeString,
	SEED_PAYLOAD,
	sequenceArb,
	TERMINAL_ATTACK,
	TYPE_NAMES,
	validPayload,
	valueAt,
	weirdValue,
	type Event,
	type Key,
	type Sequence,
} from './helpers/fuzz-payloads.js';
import {START} from './helpers/histories.js';
import {plain} from './helpers/ink.js';

/**
 * CI runs one fixed seed, so that a change lands or not on its own merits; a run anywhere else draws
 * a new seed each time and so keeps hunting. FUZZ_SEED overrides both.
 */
const CI_SEED = 20_261_204;
const seed = process.env.FUZZ_SEED === undefined ? (process.env.CI ? CI_SEED : undefined) : Number(process.env.FUZZ_SEED);
/** FUZZ_SCALE=10 runs ten times as many cases, for a longer hunt; the default keeps the file fast. */
const scale = Math.max(1, Number(process.env.FUZZ_SCALE ?? 1) || 1);
const params = (runs: number): fc.Parameters<unknown> => {
	const numRuns = Math.round(runs * scale);
	return seed === undefined ? {numRuns} : {numRuns, seed};
};

/** Per-test limit: a property runs hundreds of cases, and a loaded 2-core machine can be slow. No timing is asserted. */
const SLOW = 120_000;

const INFO = {receivedAt: START, serverTime: START + 1234};
let payloadsTried = 0;
let sequencesTried = 0;
let pollsFolded = 0;
let rendersDone = 0;

afterAll(() => {
	console.log(`fuzz: ${payloadsTried} payloads normalized, ${sequencesTried} poll sequences (${pollsFolded} polls) through the model, ${rendersDone} dashboard renders`);
});

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Control characters (C0 but LF, DEL, C1): from data they could drive the terminal. */
const CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/;
/** What the views themselves send: SGR color and style sequences. */
const SGR = /\u001B\[[0-9;]*m/g;

const isCount = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** For each expectation a SchemaError can name, whether a value fails it: the error must be about a value that does. */
const violates: Record<string, (value: unknown) => boolean> = {
	'a number': v => typeof v !== 'number' || Number.isNaN(v),
	'a string': v => typeof v !== 'string',
	'true or false': v => typeof v !== 'boolean',
	'an object': v => !isRecord(v),
	'an array': v => !Array.isArray(v),
	'a non-negative finite number': v => !isCount(v),
	'a non-negative finite number of seconds': v => !isCount(v),
	'a count below 2^53': v => typeof v === 'number' && v > Number.MAX_SAFE_INTEGER,
	'a number of seconds below 2^53 ms': v => typeof v === 'number' && v > Number.MAX_SAFE_INTEGER / 1000,
	'an ISO 8601 time': v => typeof v !== 'string' || Number.isNaN(Date.parse(v)),
};

/** What SchemaError says it got, computed independently. */
function described(value: unknown): string {
	if (value === undefined) {
		return 'nothing (the field is missing)';
	}

	if (Array.isArray(value)) {
		return 'an array';
	}

	if (typeof value === 'object' && value !== null) {
		return 'an object';
	}

	const text = typeof value === 'number' && !Number.isFinite(value) ? String(value) : JSON.stringify(value);
	return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function checkSchemaError(error: SchemaError, input: unknown): void {
	const keys = parsePath(error.path);
	expect(keys, `unparseable path in: ${error.message}`).not.toBeNull();
	const path = keys ?? [];
	expect(error.message).toBe(`${error.path}: expected ${error.expected}, got ${error.got}`);
	const check = violates[error.expected];
	expect(check, `unknown expectation in: ${error.message}`).toBeDefined();
	// Every key but the last must exist in the input: the path leads to the offending field.
	if (path.length > 0) {
		const parent = valueAt(input, path.slice(0, -1));
		expect(typeof parent === 'object' && parent !== null, `path ${error.path} does not lead into the input`).toBe(true);
	}

	const value = path.length === 0 ? input : valueAt(input, path);
	expect(check?.(value), `${error.message}: the value there satisfies the expectation`).toBe(true);
	expect(error.got).toBe(described(value));
}

function checkSnapshot(snapshot: BackfillSnapshot, input: unknown): void {
	expect(isRecord(input)).toBe(true);
	const doc = input as Record<string, unknown>;
	expect(snapshot.receivedAt).toBe(INFO.receivedAt);
	expect(snapshot.serverTime).toBe(INFO.serverTime);
	for (const seconds of [snapshot.contentDurationSeconds, snapshot.lineageDurationSeconds]) {
		expect(seconds === null || isCount(seconds)).toBe(true);
	}

	const raw = Array.isArray(doc.contentBackfillStatuses) ? doc.contentBackfillStatuses : [];
	expect(snapshot.content).toHaveLength(raw.length);
	snapshot.content.forEach((status, index) => {
		const entry = raw[index] as Record<string, unknown>;
		expect(status.contentType).toBe(printable(String(entry.contentType)));
		expect(status.contentType).not.toMatch(CONTROL);
		expect(status.succeeded).toBe(entry.successfullyIngestedCount);
		expect(status.total).toBe(entry.totalCount);
		expect(status.complete).toBe(entry.backfillComplete);
		expect([entry.failedToIngestCount, entry.failedIngestedCount, 0]).toContain(status.failed);
		for (const n of [status.succeeded, status.failed, status.total]) {
			expect(isCount(n)).toBe(true);
		}

		expect(status.checkpoint === null || Number.isFinite(status.checkpoint)).toBe(true);
		expect(status.durationSeconds === null || isCount(status.durationSeconds)).toBe(true);
		expect(status.lastContentId === null || (typeof status.lastContentId === 'string' && !CONTROL.test(status.lastContentId))).toBe(true);
	});
	if (doc.lineageBackfillStatus === null || doc.lineageBackfillStatus === undefined) {
		expect(snapshot.lineage).toBeNull();
	} else {
		expect(snapshot.lineage).not.toBeNull();
		expect(isCount(snapshot.lineage?.processed)).toBe(true);
		expect(isCount(snapshot.lineage?.total)).toBe(true);
		expect(snapshot.lineage?.lastConnection ?? '').not.toMatch(CONTROL);
	}
}

/** Normalizes one payload; anything but a snapshot or a SchemaError escapes and fails the property. */
function outcome(input: unknown): 'accepted' | 'rejected' {
	payloadsTried++;
	let snapshot: BackfillSnapshot;
	try {
		snapshot = normalize(input, INFO);
	} catch (error) {
		if (!(error instanceof SchemaError)) {
			throw error;
		}

		checkSchemaError(error, input);
		return 'rejected';
	}

	checkSnapshot(snapshot, input);
	return 'accepted';
}

const randomStatus = fc.dictionary(fc.constantFrom(...CONTENT_FIELDS, 'extra'), weirdValue, {maxKeys: 10});
const randomDocument = fc.record(
	{
		contentBackfillTotalDurationSeconds: weirdValue,
		lineageBackfillTotalDurationSeconds: weirdValue,
		contentBackfillStatuses: fc.oneof(fc.array(randomStatus, {maxLength: 4}), weirdValue),
		lineageBackfillStatus: fc.oneof(
			fc.dictionary(fc.constantFrom('totalCount', 'processedCount', 'lastLineageConnection', 'backfillComplete', 'extra'), weirdValue, {maxKeys: 5}),
			weirdValue,
		),
	},
	{requiredKeys: []},
);

describe('schema fuzzing: every payload is a snapshot or a SchemaError naming a path', () => {
	it('checks errors of this shape', () => {
		const doc = structuredClone(SEED_PAYLOAD);
		const first = (doc.contentBackfillStatuses as Array<Record<string, unknown>>)[0] ?? {};
		first.successfullyIngestedCount = 'lots';
		const error = expectSchemaError(doc);
		expect(error.message).toBe('contentBackfillStatuses[0].successfullyIngestedCount: expected a number, got "lots"');
		checkSchemaError(error, doc);
		// The checker itself rejects an error that names the wrong place or the wrong value.
		expect(() => checkSchemaError(new SchemaError('contentBackfillStatuses[1].successfullyIngestedCount', 'a number', '"lots"'), doc)).toThrow();
		expect(() => checkSchemaError(new SchemaError('contentBackfillStatuses[0].successfullyIngestedCount', 'a number', '"many"'), doc)).toThrow();
		expect(() => checkSchemaError(new SchemaError('contentBackfillStatuses.0', 'a number', '"lots"'), doc)).toThrow();
	});

	it('survives arbitrary values and arbitrary documents', () => {
		const seen = {accepted: 0, rejected: 0};
		fc.assert(
			fc.property(fc.oneof(fc.anything(), fc.jsonValue(), randomDocument, randomDocument), input => {
				seen[outcome(input)]++;
			}),
			params(3000),
		);
		// Not vacuous: both ends are reached.
		expect(seen.accepted).toBeGreaterThan(0);
		expect(seen.rejected).toBeGreaterThan(0);
	}, SLOW);

	it('survives valid payloads (the documented example, every simulator scenario) mutated', () => {
		const seen = {accepted: 0, rejected: 0};
		fc.assert(
			fc.property(validPayload, fc.array(mutation, {minLength: 0, maxLength: 5}), (base, mutations) => {
				seen[outcome(applyMutations(base, mutations))]++;
			}),
			params(4500),
		);
		expect(seen.accepted).toBeGreaterThan(100);
		expect(seen.rejected).toBeGreaterThan(100);
	}, SLOW);

	it('accepts every unmutated valid payload', () => {
		fc.assert(
			fc.property(validPayload, base => {
				expect(outcome(base)).toBe('accepted');
			}),
			params(500),
		);
	}, SLOW);

	const evilObject: unknown = JSON.parse('{"toString": 1}');
	const badCount = fc.constantFrom<unknown>('lots', '12', '', -1, -0.001, Number.NaN, Number.POSITIVE_INFINITY, JSON.parse('1e400'), 2 ** 53, 1e300, true, {}, evilObject, [], [3]);
	const missing = Symbol('missing');
	const badValues: Record<string, fc.Arbitrary<unknown>> = {
		contentType: fc.constantFrom<unknown>(5, null, missing, true, {}, evilObject, ['Workbook']),
		successfullyIngestedCount: fc.oneof(badCount, fc.constantFrom<unknown>(null, missing)),
		totalCount: fc.oneof(badCount, fc.constantFrom<unknown>(null, missing)),
		backfillComplete: fc.constantFrom<unknown>('true', 1, 0, null, missing, 'false', []),
		// Optional fields: absent or null is fine, a wrong type is not.
		failedToIngestCount: badCount,
		failedIngestedCount: badCount,
		durationSeconds: badCount,
		contentId: fc.constantFrom<unknown>(1, true, {}, []),
		checkpointCreatedTime: fc.constantFrom<unknown>('not a date', '2020-13-45T99:00:00Z', '', 1_600_000_000_000, true, {}, []),
	};

	it('names the exact field of one bad value in a content status', () => {
		const withContent = validPayload.filter(p => Array.isArray(p.contentBackfillStatuses) && p.contentBackfillStatuses.length > 0);
		const field = fc.constantFrom(...Object.keys(badValues));
		fc.assert(
			fc.property(
				withContent,
				fc.nat(),
				field.chain(name => fc.tuple(fc.constant(name), badValues[name] ?? fc.constant(null))),
				(base, at, [name, value]) => {
					const doc = structuredClone(base);
					const list = doc.contentBackfillStatuses as Array<Record<string, unknown>>;
					const index = at % list.length;
					const entry = list[index] ?? {};
					if (value === missing) {
						delete entry[name];
					} else {
						entry[name] = value;
					}

					payloadsTried++;
					const error = expectSchemaError(doc);
					expect(error.path).toBe(`contentBackfillStatuses[${index}].${name}`);
					expect(error.message.startsWith(`contentBackfillStatuses[${index}].${name}: expected `)).toBe(true);
					checkSchemaError(error, doc);
				},
			),
			params(1500),
		);
	}, SLOW);

	it('names the exact field of one bad value in lineage or the durations', () => {
		const targets: ReadonlyArray<readonly [readonly Key[], fc.Arbitrary<unknown>]> = [
			[['lineageBackfillStatus', 'totalCount'], fc.oneof(badCount, fc.constantFrom<unknown>(null, missing))],
			[['lineageBackfillStatus', 'processedCount'], fc.oneof(badCount, fc.constantFrom<unknown>(null, missing))],
			[['lineageBackfillStatus', 'backfillComplete'], fc.constantFrom<unknown>('yes', null, missing)],
			[['lineageBackfillStatus', 'lastLineageConnection'], fc.constantFrom<unknown>(7, false, {}, [])],
			[['lineageBackfillStatus'], fc.constantFrom<unknown>('x', 3, true, [], [{}])],
			[['contentBackfillStatuses'], fc.constantFrom<unknown>('x', 3, true, {}, {0: {}})],
			[['contentBackfillTotalDurationSeconds'], badCount],
			[['lineageBackfillTotalDurationSeconds'], badCount],
		];
		fc.assert(
			fc.property(validPayload, fc.constantFrom(...targets).chain(([path, bad]) => fc.tuple(fc.constant(path), bad)), (base, [path, value]) => {
				const doc: Record<string, unknown> = structuredClone(base);
				if (path.length === 2) {
					doc.lineageBackfillStatus = {totalCount: 10, processedCount: 3, backfillComplete: false, ...(isRecord(doc.lineageBackfillStatus) ? doc.lineageBackfillStatus : {})};
				}

				const parent = path.length === 2 ? (doc.lineageBackfillStatus as Record<string, unknown>) : doc;
				const key = String(path.at(-1));
				if (value === missing) {
					delete parent[key];
				} else {
					parent[key] = value;
				}

				payloadsTried++;
				const error = expectSchemaError(doc);
				expect(error.path).toBe(path.join('.'));
				checkSchemaError(error, doc);
			}),
			params(800),
		);
	}, SLOW);

	it('accepts harmless changes: extra fields, either spelling of the failed count, nulls in optional fields, unknown types', () => {
		const optional = ['contentId', 'failedToIngestCount', 'failedIngestedCount', 'durationSeconds', 'checkpointCreatedTime'];
		const change = fc.oneof(
			fc.record({kind: fc.constant('extra' as const), key: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'newField', 'toString'), fc.string({maxLength: 8})), value: weirdValue, at: fc.nat()}),
			fc.record({kind: fc.constant('spelling' as const), both: fc.boolean()}),
			fc.record({kind: fc.constant('optional' as const), key: fc.constantFrom(...optional), remove: fc.boolean(), at: fc.nat()}),
			fc.record({kind: fc.constant('type' as const), name: safeString(40, 1), at: fc.nat()}),
		);
		fc.assert(
			fc.property(validPayload, change, (base, c) => {
				const before = normalize(base, INFO);
				const doc = structuredClone(base);
				const list = Array.isArray(doc.contentBackfillStatuses) ? (doc.contentBackfillStatuses as Array<Record<string, unknown>>) : [];
				const index = list.length > 0 ? ('at' in c ? c.at : 0) % list.length : -1;
				const entry = list[index];
				fc.pre(entry !== undefined || c.kind === 'extra' || c.kind === 'spelling');
				switch (c.kind) {
					case 'extra': {
						const target = entry ?? doc;
						Object.defineProperty(target, c.key, {value: c.value, enumerable: true, writable: true, configurable: true});
						break;
					}

					case 'spelling': {
						for (const status of list) {
							const failed = status.failedToIngestCount ?? status.failedIngestedCount;
							delete status.failedToIngestCount;
							delete status.failedIngestedCount;
							status[c.both ? 'failedToIngestCount' : 'failedIngestedCount'] = failed;
							if (c.both) {
								status.failedIngestedCount = failed;
							}
						}

						break;
					}

					case 'optional': {
						if (entry) {
							if (c.remove) {
								delete entry[c.key];
							} else {
								entry[c.key] = null;
							}
						}

						break;
					}

					case 'type': {
						if (entry) {
							entry.contentType = c.name;
						}

						break;
					}
				}

				expect(outcome(doc)).toBe('accepted');
				const after = normalize(doc, INFO);
				if (c.kind === 'extra' || c.kind === 'spelling') {
					expect(after).toEqual(before);
				} else if (c.kind === 'type') {
					expect(after.content.map((s, i) => (i === index ? {...s, contentType: 'X'} : s))).toEqual(
						before.content.map((s, i) => (i === index ? {...s, contentType: 'X'} : s)),
					);
					expect(after.content[index]?.contentType).toBe(c.name);
				}
			}),
			params(1000),
		);
	}, SLOW);

	it('counted at least 10,000 payloads', () => {
		expect(payloadsTried).toBeGreaterThanOrEqual(10_000);
	});
});

describe('regressions the fuzzing found', () => {
	it('reports a JSON object with its own toString as a SchemaError, not a TypeError', () => {
		// superstruct's messages interpolated the value; `${{toString: 1}}` throws.
		const cases: ReadonlyArray<readonly [string, string]> = [
			['[{"toString": 1}]', '(document): expected an object, got an array'],
			['{"contentBackfillStatuses": {"toString": null}}', 'contentBackfillStatuses: expected an array, got an object'],
			['{"contentBackfillTotalDurationSeconds": {"valueOf": 1, "toString": 2}}', 'contentBackfillTotalDurationSeconds: expected a number, got an object'],
			['{"contentBackfillStatuses": [{"contentType": {"toString": 0}}]}', 'contentBackfillStatuses[0].contentType: expected a string, got an object'],
			['{"lineageBackfillStatus": [{"toString": 0}]}', 'lineageBackfillStatus: expected an object, got an array'],
		];
		for (const [body, message] of cases) {
			expect(expectSchemaError(JSON.parse(body)).message).toBe(message);
		}
	});

	it('turns control characters in the server\'s strings into ?, so they cannot drive the terminal', () => {
		const entry = {contentType: TERMINAL_ATTACK, contentId: TERMINAL_ATTACK, successfullyIngestedCount: 1, totalCount: 5, backfillComplete: false};
		const snapshot = normalize({contentBackfillStatuses: [entry], lineageBackfillStatus: {totalCount: 3, processedCount: 1, lastLineageConnection: TERMINAL_ATTACK, backfillComplete: false}}, INFO);
		const clean = 'Work?]2;pwned??[2Jbook???31m?';
		expect(snapshot.content[0]?.contentType).toBe(clean);
		expect(snapshot.content[0]?.lastContentId).toBe(clean);
		expect(snapshot.lineage?.lastConnection).toBe(clean);
		const history = addSnapshot(emptyHistory(), snapshot);
		for (const theme of ['color', 'ascii'] as const) {
			drawAndCheck(history, {columns: 120, rows: 40, theme, selected: 0, poll: 'ok'});
		}
	});

	it('rejects counts of 2^53 and more, whose sums left the finite range', () => {
		const entry = (total: number) => ({contentType: 'Workbook', successfullyIngestedCount: 1, totalCount: total, backfillComplete: false});
		expect(expectSchemaError({contentBackfillStatuses: [entry(1e300)]}).message).toBe('contentBackfillStatuses[0].totalCount: expected a count below 2^53, got 1e+300');
		expect(expectSchemaError({lineageBackfillTotalDurationSeconds: 1e300}).message).toBe('lineageBackfillTotalDurationSeconds: expected a number of seconds below 2^53 ms, got 1e+300');
		// The largest accepted values still give finite totals.
		const snapshot = normalize({contentBackfillStatuses: [entry(Number.MAX_SAFE_INTEGER), {...entry(Number.MAX_SAFE_INTEGER), contentType: 'Flow'}]}, INFO);
		expectFinite(deriveProgress(addSnapshot(emptyHistory(), snapshot)), 'progress');
	});
});

function expectSchemaError(doc: unknown): SchemaError {
	try {
		normalize(doc, INFO);
	} catch (error) {
		if (error instanceof SchemaError) {
			return error;
		}

		throw error;
	}

	throw new Error(`accepted a payload with a bad value: ${JSON.stringify(doc)}`);
}

/** [path, value] for every number reachable in a value (objects, arrays, maps). */
function numbersIn(value: unknown, path = ''): Array<[string, number]> {
	if (typeof value === 'number') {
		return [[path, value]];
	}

	if (value instanceof Map) {
		return [...value.entries()].flatMap(([key, item]) => numbersIn(item, `${path}[${String(key)}]`));
	}

	if (Array.isArray(value)) {
		return value.flatMap((item, index) => numbersIn(item, `${path}[${index}]`));
	}

	if (typeof value === 'object' && value !== null) {
		return Object.entries(value).flatMap(([key, item]) => numbersIn(item, path ? `${path}.${key}` : key));
	}

	return [];
}

function expectFinite(value: unknown, what: string): void {
	for (const [path, n] of numbersIn(value)) {
		expect(Number.isFinite(n), `${what}.${path} = ${n}`).toBe(true);
	}
}

const nonNegativeOrNull = (n: number | null, what: string) => expect(n === null || n >= 0, `${what} = ${String(n)}`).toBe(true);

function checkHistory(history: History): void {
	expectFinite({tracks: history.tracks, lineage: history.lineage, outages: history.outages, restarts: history.restarts, clockOffset: history.clockOffset}, 'history');
	for (const track of [...history.tracks.values(), history.lineage]) {
		expect(track.samples.length).toBeLessThanOrEqual(MAX_SAMPLES);
		for (let i = 1; i < track.samples.length; i++) {
			expect((track.samples[i]?.at ?? 0) > (track.samples[i - 1]?.at ?? 0)).toBe(true);
		}
	}

	expect(history.outages.length).toBeLessThanOrEqual(64);
	expect(Number.isInteger(history.restarts) && history.restarts >= 0).toBe(true);
}

function checkProgress(progress: BackfillProgress, history: History): void {
	expectFinite(progress, 'progress');
	expect(progress.typesTotal).toBe(progress.types.length);
	expect(progress.typesDone).toBeGreaterThanOrEqual(0);
	expect(progress.typesDone).toBeLessThanOrEqual(progress.typesTotal);
	expect(progress.contentProcessed).toBeLessThanOrEqual(progress.contentTotal);
	expect(progress.restarts).toBe(history.restarts);
	const allComplete = progress.types.length > 0 && progress.types.every(t => t.complete);
	expect(progress.contentPercent).toBeGreaterThanOrEqual(0);
	expect(progress.contentPercent).toBeLessThanOrEqual(allComplete ? 100 : 99.9);
	nonNegativeOrNull(progress.contentRatePerMinute, 'contentRatePerMinute');
	nonNegativeOrNull(progress.contentEtaSeconds, 'contentEtaSeconds');
	nonNegativeOrNull(progress.contentDurationSeconds, 'contentDurationSeconds');
	for (const t of [...progress.types, progress.lineage]) {
		const name = 'contentType' in t ? t.contentType : 'lineage';
		expect(t.percent, `${name} percent`).toBeGreaterThanOrEqual(0);
		expect(t.percent, `${name} percent`).toBeLessThanOrEqual(t.complete ? 100 : 99.9);
		expect(t.processed).toBeGreaterThanOrEqual(0);
		expect(t.total).toBeGreaterThanOrEqual(0);
		nonNegativeOrNull(t.ratePerMinute, `${name} ratePerMinute`);
		nonNegativeOrNull(t.etaSeconds, `${name} etaSeconds`);
		nonNegativeOrNull(t.durationSeconds, `${name} durationSeconds`);
		expect(t.state === 'done').toBe(t.complete);
		if (t.state === 'stalled') {
			expect(t.etaSeconds).toBeNull();
			expect(t.ratePerMinute).toBeNull();
		}
	}

	if (progress.contentEtaSeconds !== null) {
		expect(progress.types.some(t => t.contentType === progress.etaBoundBy)).toBe(true);
	}
}

function checkSeries(history: History, progress: BackfillProgress): void {
	const keys: Array<string | null> = [null, LINEAGE_SERIES, ...progress.types.slice(0, 2).map(t => t.contentType), 'NoSuchType'];
	for (const key of keys) {
		for (const slots of [0, 1, 37]) {
			const series = throughputSeries(history, key, slots);
			expect(series.points.length).toBeLessThanOrEqual(slots);
			for (const point of series.points) {
				expect(point === null || (Number.isFinite(point) && point >= 0), `series ${String(key)} point ${String(point)}`).toBe(true);
			}

			for (const n of [series.current, series.max]) {
				expect(n === null || (Number.isFinite(n) && n >= 0)).toBe(true);
			}

			if (series.current !== null && series.max !== null) {
				expect(series.current).toBeLessThanOrEqual(series.max);
			}
		}
	}
}

const description: ServerDescription = {server: 'tableau.example.com', site: '', productVersion: '2024.2.3', apiVersion: '3.23', mode: 'live'};

function checkTexts(progress: BackfillProgress): void {
	for (const text of [progressLine(progress), onceTable(progress), titleOf(progress)]) {
		expect(text, text).not.toMatch(LEAK);
		expect(text, JSON.stringify(text)).not.toMatch(CONTROL);
	}

	expectFinite(jsonReport(progress, description), 'report');
}

/** Applies the events of a sequence, checking the model after each. */
function runModel(events: readonly Event[]): History {
	let history = emptyHistory();
	for (const event of events) {
		pollsFolded++;
		history = event.kind === 'failure' ? addFailure(history, event.at) : addSnapshot(history, normalize(event.payload, {receivedAt: event.receivedAt, serverTime: event.serverTime}));
		checkHistory(history);
		const progress = deriveProgress(history);
		if (!progress) {
			expect(history.latest).toBeNull();
			continue;
		}

		checkProgress(progress, history);
		checkSeries(history, progress);
		checkTexts(progress);
	}

	return history;
}

/** Polls of a simulator scenario at server times that wander: forward, repeated, backwards, far ahead; some fail. */
const scenarioEvents: fc.Arbitrary<Event[]> = fc
	.record({
		name: fc.constantFrom(...PROGRESS_SCENARIO_NAMES),
		start: fc.integer({min: 0, max: 6 * 3600}),
		moves: fc.array(
			fc.oneof(
				{weight: 8, arbitrary: fc.integer({min: 15, max: 900})},
				{weight: 1, arbitrary: fc.constantFrom(0, -300, -3600, 20 * 3600, 'fail' as const)},
			),
			{minLength: 1, maxLength: 40},
		),
		serverClock: fc.boolean(),
	})
	.map(({name, start, moves, serverClock}) => {
		const scenario = scenarioByName(name);
		const events: Event[] = [];
		let t = start;
		let client = START + start * 1000;
		for (const move of moves) {
			client += 15_000;
			if (move === 'fail') {
				events.push({kind: 'failure', at: client});
				continue;
			}

			t = Math.max(0, t + move);
			const at = START + t * 1000;
			events.push({kind: 'poll', receivedAt: client, serverTime: serverClock ? at : null, payload: scenario?.statusAt(t, START) ?? {}});
		}

		return events;
	});

describe('model fuzzing: finite numbers, percentages in 0..100, rates and ETAs never negative', () => {
	it('folds generated poll sequences (restarts, repeated and missing checkpoints, zero totals, overcounts, huge values, outages)', () => {
		let restarts = 0;
		fc.assert(
			fc.property(sequenceArb({maxSteps: 30}), sequence => {
				sequencesTried++;
				restarts += runModel(foldSteps(sequence)).restarts;
			}),
			params(300),
		);
		// The generator does reach the restart path.
		expect(restarts).toBeGreaterThan(0);
	}, SLOW);

	it('folds simulator scenarios polled at wandering server times', () => {
		fc.assert(
			fc.property(scenarioEvents, events => {
				sequencesTried++;
				runModel(events);
			}),
			params(150),
		);
	}, SLOW);
});

const THEMES: Record<string, Theme> = {
	color: makeTheme({color: true, ascii: false}),
	mono: makeTheme({color: false, ascii: false}),
	ascii: makeTheme({color: false, ascii: true}),
};

const SIZES: ReadonlyArray<readonly [number, number]> = [
	[120, 40],
	[80, 24],
	[60, 20],
	[50, 12],
	[200, 60],
	[30, 8],
];

interface View {
	readonly columns: number;
	readonly rows: number;
	readonly theme: string;
	readonly selected: number | null;
	readonly poll: 'ok' | 'paused' | 'in-flight' | 'error' | 'stale';
}

const viewArb: fc.Arbitrary<View> = fc.record({
	columns: fc.constant(0),
	rows: fc.constant(0),
	theme: fc.constantFrom(...Object.keys(THEMES)),
	selected: fc.option(fc.nat(), {nil: null}),
	poll: fc.constantFrom('ok', 'ok', 'paused', 'in-flight', 'error', 'stale'),
}).chain(view => fc.constantFrom(...SIZES).map(([columns, rows]) => ({...view, columns, rows})));

function pollFor(kind: View['poll'], at: number): PollState {
	const base: PollState = {paused: false, intervalSeconds: 15, inFlight: false, inFlightSince: null, lastAttemptAt: at, lastSuccessAt: at, error: null, consecutiveFailures: 0, nextPollAt: at + 15_000};
	switch (kind) {
		case 'ok': {
			return base;
		}

		case 'paused': {
			return {...base, paused: true, nextPollAt: null};
		}

		case 'in-flight': {
			return {...base, inFlight: true, inFlightSince: at, nextPollAt: null};
		}

		case 'error': {
			return {
				...base,
				error: {kind: 'server-error', message: 'Tableau Server answered with an error (HTTP 500).', action: 'Polling continues.', retryable: true},
				consecutiveFailures: 3,
				lastSuccessAt: at - 600_000,
			};
		}

		case 'stale': {
			return {...base, lastSuccessAt: at - 3_600_000, lastAttemptAt: at - 10_000};
		}
	}
}

/** Draws the dashboard as the App would (see test/ui-panels.test.tsx) and checks what a person would see. */
function drawAndCheck(history: History, view: View): void {
	const progress = deriveProgress(history);
	const at = history.latest?.receivedAt ?? START;
	const now = at + 3000;
	const poll = pollFor(view.poll, at);
	const types = progress?.types ?? [];
	const selected = view.selected === null || types.length === 0 ? null : (types[view.selected % types.length]?.contentType ?? null);
	const layout = dashboardLayout({columns: view.columns, rows: view.rows, progress, selected, poll, now});
	const key = selected ?? (progress?.lineage.started && progress.phase !== 'content' ? LINEAGE_SERIES : null);
	const series = throughputSeries(history, key, layout.spark.width);
	rendersDone++;
	const raw = renderToString(
		<Dashboard description={description} progress={progress} series={series} poll={poll} selected={selected} showHelp={false} columns={view.columns} rows={view.rows} theme={THEMES[view.theme] ?? makeTheme({color: false, ascii: false})} now={now} />,
		{columns: view.columns},
	);
	const text = plain(raw);
	// Only the views' own color sequences reach the terminal: nothing from the server's strings.
	expect(raw.replaceAll(SGR, ''), JSON.stringify(raw)).not.toMatch(CONTROL);
	const leak = LEAK.exec(text);
	expect(leak, `"${leak?.[0] ?? ''}" on screen at ${view.columns}x${view.rows}:\n${text}`).toBeNull();
	const lines = text.split('\n');
	expect(lines.length, `too many lines at ${view.columns}x${view.rows}:\n${text}`).toBeLessThanOrEqual(view.rows - 1);
	// With --ascii nothing beyond ASCII, when the server's own strings are ASCII. (Wide characters in
	// a type name are measured as one cell each by the column fitting, so Ink cuts such a row with its
	// own '…': a known limit, not checked here.)
	const latest = history.latest;
	const data = [...(latest?.content ?? []).flatMap(c => [c.contentType, c.lastContentId ?? '']), latest?.lineage?.lastConnection ?? ''].join('');
	if (view.theme === 'ascii' && !/[^\x20-\x7e]/.test(data)) {
		expect([...text].filter(char => char.charCodeAt(0) > 0x7e), text).toEqual([]);
	}
}

const viewTypeName = fc.oneof({weight: 4, arbitrary: fc.constantFrom(...TYPE_NAMES, TERMINAL_ATTACK)}, {weight: 1, arbitrary: safeString(40, 1)});

describe('view fuzzing: no NaN, undefined, Infinity or null on screen', () => {
	it('draws generated histories at several sizes and themes', () => {
		fc.assert(
			fc.property(sequenceArb({maxSteps: 14, typeNames: viewTypeName}), fc.array(viewArb, {minLength: 2, maxLength: 2}), (sequence: Sequence, views) => {
				let history = emptyHistory();
				for (const event of foldSteps(sequence)) {
					history = event.kind === 'failure' ? addFailure(history, event.at) : addSnapshot(history, normalize(event.payload, {receivedAt: event.receivedAt, serverTime: event.serverTime}));
				}

				for (const view of views) {
					drawAndCheck(history, view);
				}
			}),
			params(100),
		);
	}, SLOW);

	it('draws simulator scenarios polled at wandering times', () => {
		fc.assert(
			fc.property(scenarioEvents, viewArb, (events, view) => {
				let history = emptyHistory();
				for (const event of events) {
					history = event.kind === 'failure' ? addFailure(history, event.at) : addSnapshot(history, normalize(event.payload, {receivedAt: event.receivedAt, serverTime: event.serverTime}));
				}

				drawAndCheck(history, view);
			}),
			params(80),
		);
	}, SLOW);

	it('draws mutated payloads that the schema accepts', () => {
		let drawn = 0;
		fc.assert(
			fc.property(validPayload, fc.array(mutation, {maxLength: 3}), viewArb, (base, mutations, view) => {
				let snapshot: BackfillSnapshot;
				try {
					snapshot = normalize(applyMutations(base, mutations), INFO);
				} catch (error) {
					if (error instanceof SchemaError) {
						return;
					}

					throw error;
				}

				const strings = [...snapshot.content.flatMap(c => [c.contentType, c.lastContentId]), snapshot.lineage?.lastConnection ?? null];
				// A server string that itself reads "null" is not a leak of the views.
				fc.pre(strings.every(s => s === null || !LEAK.test(s)));
				drawn++;
				drawAndCheck(addSnapshot(emptyHistory(), snapshot), view);
			}),
			params(150),
		);
		expect(drawn).toBeGreaterThan(30);
	}, SLOW);
});

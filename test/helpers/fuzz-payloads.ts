/**
 * Generators for the fuzz tests (test/fuzz.test.tsx): raw Backfill API payloads, valid and mutated,
 * and sequences of polls that a monitor could see, realistic and adversarial.
 */
import fc from 'fast-check';
import {readFileSync} from 'node:fs';
import {PROGRESS_SCENARIO_NAMES, scenarioByName, type RawPayload} from '../../source/simulator/scenarios.js';
import {START} from './histories.js';

export const SEED_PAYLOAD: RawPayload = JSON.parse(readFileSync(new URL('../fixtures/seed-example.json', import.meta.url), 'utf8')) as RawPayload;

const HUGE_FROM_JSON: unknown = JSON.parse('1e400');

/** A string that would drive a terminal if printed as is: set the title, clear the screen, CR/LF, a C1 CSI. */
export const TERMINAL_ATTACK = 'Work\u001B]2;pwned\u0007\u001B[2Jbook\r\n\u009B31m\u007F';

/** Values a broken or hostile server might put anywhere. */
export const WEIRD_VALUES: readonly unknown[] = [
	null,
	undefined,
	Number.NaN,
	Number.POSITIVE_INFINITY,
	Number.NEGATIVE_INFINITY,
	HUGE_FROM_JSON,
	-1,
	-0,
	0,
	0.5,
	1.5,
	-1e-300,
	Number.MIN_VALUE,
	2 ** 53,
	2 ** 53 + 2,
	2 ** 64,
	1e300,
	Number.MAX_VALUE,
	'lots',
	'NaN',
	'Infinity',
	'-1',
	'12',
	'1e400',
	'',
	' ',
	'null',
	'2020-13-45T00:00:00Z',
	'not a date',
	'2026-12-03T08:00:00Z',
	'+275760-09-13T00:00:00.000Z',
	'-271821-04-20T00:00:00.000Z',
	'x'.repeat(500),
	'\u0000',
	TERMINAL_ATTACK,
	true,
	false,
	[],
	[1, 2],
	[null],
	{},
	{a: 1},
	{totalCount: 1},
	// JSON can carry an own toString; `${value}` on it throws.
	JSON.parse('{"toString": 1}'),
	JSON.parse('[{"toString": null}]'),
];

/** The fields of one content type's status, both spellings of the failed count included. */
export const CONTENT_FIELDS = [
	'contentType',
	'contentId',
	'successfullyIngestedCount',
	'failedToIngestCount',
	'failedIngestedCount',
	'durationSeconds',
	'totalCount',
	'checkpointCreatedTime',
	'backfillComplete',
] as const;

const FIELD_NAMES = [
	...CONTENT_FIELDS,
	'processedCount',
	'lastLineageConnection',
	'contentBackfillStatuses',
	'lineageBackfillStatus',
	'contentBackfillTotalDurationSeconds',
	'lineageBackfillTotalDurationSeconds',
	'__proto__',
	'constructor',
	'toString',
	'hasOwnProperty',
	'newField',
];

export const weirdValue: fc.Arbitrary<unknown> = fc.oneof(
	{weight: 4, arbitrary: fc.constantFrom(...WEIRD_VALUES)},
	{weight: 1, arbitrary: fc.double()},
	{weight: 1, arbitrary: fc.integer({min: -1000, max: 1_000_000})},
	{weight: 1, arbitrary: fc.string({maxLength: 30})},
	{weight: 1, arbitrary: fc.jsonValue({maxDepth: 2})},
);

/** A payload as the server would send it: the documented example, or a simulator scenario at some time. */
export const validPayload: fc.Arbitrary<RawPayload> = fc.oneof(
	{weight: 1, arbitrary: fc.constant(null).map(() => structuredClone(SEED_PAYLOAD))},
	{
		weight: 6,
		arbitrary: fc
			.record({
				name: fc.constantFrom(...PROGRESS_SCENARIO_NAMES),
				elapsed: fc.oneof(fc.integer({min: 0, max: 9 * 3600}), fc.constantFrom(0, 299, 300, 301, 3600, 100 * 3600)),
			})
			.map(({name, elapsed}) => {
				const scenario = scenarioByName(name);
				if (!scenario) {
					throw new Error(`no scenario ${name}`);
				}

				return scenario.statusAt(elapsed, START);
			}),
	},
);

export type Key = string | number;

export type Mutation =
	| {readonly op: 'delete'; readonly at: number}
	| {readonly op: 'set'; readonly at: number; readonly value: unknown}
	| {readonly op: 'add-field'; readonly at: number; readonly key: string; readonly value: unknown}
	| {readonly op: 'number-as-string'; readonly at: number}
	| {readonly op: 'scale'; readonly at: number; readonly factor: number}
	| {readonly op: 'wrap-in-array'; readonly at: number}
	| {readonly op: 'wrap-in-object'; readonly at: number}
	| {readonly op: 'swap-failed-spelling'; readonly both: boolean}
	| {readonly op: 'unknown-content-type'; readonly at: number; readonly name: string}
	| {readonly op: 'duplicate-entry'; readonly at: number}
	| {readonly op: 'empty-document'}
	| {readonly op: 'document-as-array'};

const unknownTypeName = fc.oneof(
	fc.constantFrom('VirtualConnection', 'Lens', 'DataRole', 'Sheet', 'Übertyp', 'データ', '', ' ', 'a'.repeat(120), 'Workbook', TERMINAL_ATTACK),
	fc.string({minLength: 1, maxLength: 20}),
);

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
	{weight: 4, arbitrary: fc.record({op: fc.constant('delete' as const), at: fc.nat()})},
	{weight: 6, arbitrary: fc.record({op: fc.constant('set' as const), at: fc.nat(), value: weirdValue})},
	{
		weight: 2,
		arbitrary: fc.record({op: fc.constant('add-field' as const), at: fc.nat(), key: fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string({maxLength: 12})), value: weirdValue}),
	},
	{weight: 2, arbitrary: fc.record({op: fc.constant('number-as-string' as const), at: fc.nat()})},
	{
		weight: 2,
		arbitrary: fc.record({op: fc.constant('scale' as const), at: fc.nat(), factor: fc.constantFrom(-1, -0.5, 0, 0.5, 1e6, 1e300, Number.MAX_VALUE)}),
	},
	{weight: 1, arbitrary: fc.record({op: fc.constant('wrap-in-array' as const), at: fc.nat()})},
	{weight: 1, arbitrary: fc.record({op: fc.constant('wrap-in-object' as const), at: fc.nat()})},
	{weight: 2, arbitrary: fc.record({op: fc.constant('swap-failed-spelling' as const), both: fc.boolean()})},
	{weight: 2, arbitrary: fc.record({op: fc.constant('unknown-content-type' as const), at: fc.nat(), name: unknownTypeName})},
	{weight: 1, arbitrary: fc.record({op: fc.constant('duplicate-entry' as const), at: fc.nat()})},
	{weight: 1, arbitrary: fc.constant({op: 'empty-document' as const})},
	{weight: 1, arbitrary: fc.constant({op: 'document-as-array' as const})},
);

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every path in a JSON-ish value, the root ([]) first. */
export function pathsOf(value: unknown, prefix: readonly Key[] = []): Key[][] {
	const paths: Key[][] = [[...prefix]];
	if (Array.isArray(value)) {
		value.forEach((item, index) => paths.push(...pathsOf(item, [...prefix, index])));
	} else if (isRecord(value)) {
		for (const key of Object.keys(value)) {
			paths.push(...pathsOf(value[key], [...prefix, key]));
		}
	}

	return paths;
}

export function valueAt(root: unknown, path: readonly Key[]): unknown {
	let value = root;
	for (const key of path) {
		if (Array.isArray(value) && typeof key === 'number') {
			value = value[key];
		} else if (isRecord(value) && typeof key === 'string' && Object.hasOwn(value, key)) {
			value = value[key];
		} else {
			return undefined;
		}
	}

	return value;
}

/** Sets like JSON.parse would: "__proto__" becomes an own property, not the prototype. */
function setOwn(container: unknown, key: Key, value: unknown): void {
	if (Array.isArray(container) && typeof key === 'number') {
		container[key] = value;
	} else if (isRecord(container)) {
		Object.defineProperty(container, String(key), {value, writable: true, enumerable: true, configurable: true});
	}
}

/** Returns a new document; `base` is not modified. */
export function applyMutations(base: unknown, mutations: readonly Mutation[]): unknown {
	let doc: unknown = structuredClone(base);
	for (const m of mutations) {
		doc = applyOne(doc, m);
	}

	return doc;
}

function pick(doc: unknown, at: number): Key[] {
	const paths = pathsOf(doc);
	return paths[at % paths.length] ?? [];
}

function replaceAt(doc: unknown, path: readonly Key[], replace: (old: unknown) => unknown): unknown {
	if (path.length === 0) {
		return replace(doc);
	}

	const parent = valueAt(doc, path.slice(0, -1));
	const key = path.at(-1);
	if (key !== undefined) {
		setOwn(parent, key, replace(valueAt(doc, path)));
	}

	return doc;
}

function statuses(doc: unknown): Array<Record<string, unknown>> {
	if (!isRecord(doc) || !Array.isArray(doc.contentBackfillStatuses)) {
		return [];
	}

	return doc.contentBackfillStatuses.filter(isRecord);
}

function applyOne(doc: unknown, m: Mutation): unknown {
	switch (m.op) {
		case 'delete': {
			const path = pick(doc, m.at);
			if (path.length === 0) {
				return undefined;
			}

			const parent = valueAt(doc, path.slice(0, -1));
			const key = path.at(-1);
			if (Array.isArray(parent) && typeof key === 'number') {
				parent.splice(key, 1);
			} else if (isRecord(parent) && typeof key === 'string') {
				delete parent[key];
			}

			return doc;
		}

		case 'set': {
			// A copy: the generated value may be one of the shared WEIRD_VALUES, and later mutations
			// change the document in place (set at the root, then into itself, made a cycle).
			return replaceAt(doc, pick(doc, m.at), () => structuredClone(m.value));
		}

		case 'add-field': {
			const path = pick(doc, m.at);
			const target = valueAt(doc, path);
			if (isRecord(target)) {
				setOwn(target, m.key, structuredClone(m.value));
			}

			return doc;
		}

		case 'number-as-string': {
			return replaceAt(doc, pick(doc, m.at), old => (typeof old === 'number' ? String(old) : old));
		}

		case 'scale': {
			return replaceAt(doc, pick(doc, m.at), old => (typeof old === 'number' ? old * m.factor : old));
		}

		case 'wrap-in-array': {
			return replaceAt(doc, pick(doc, m.at), old => [old]);
		}

		case 'wrap-in-object': {
			return replaceAt(doc, pick(doc, m.at), old => ({value: old}));
		}

		case 'swap-failed-spelling': {
			for (const status of statuses(doc)) {
				const [from, to] = Object.hasOwn(status, 'failedToIngestCount')
					? (['failedToIngestCount', 'failedIngestedCount'] as const)
					: (['failedIngestedCount', 'failedToIngestCount'] as const);
				if (Object.hasOwn(status, from)) {
					status[to] = status[from];
					if (!m.both) {
						delete status[from];
					}
				}
			}

			return doc;
		}

		case 'unknown-content-type': {
			const list = statuses(doc);
			const status = list[m.at % Math.max(1, list.length)];
			if (status) {
				status.contentType = m.name;
			}

			return doc;
		}

		case 'duplicate-entry': {
			if (isRecord(doc) && Array.isArray(doc.contentBackfillStatuses) && doc.contentBackfillStatuses.length > 0) {
				const list = doc.contentBackfillStatuses;
				list.push(structuredClone(list[m.at % list.length]));
			}

			return doc;
		}

		case 'empty-document': {
			return {};
		}

		case 'document-as-array': {
			return [doc];
		}
	}
}

/** Parses a path as SchemaError prints it: `contentBackfillStatuses[0].totalCount`, `(document)`. */
export function parsePath(text: string): Key[] | null {
	if (text === '(document)') {
		return [];
	}

	const match = /^[A-Za-z_$][\w$]*(?:\[\d+\]|\.[A-Za-z_$][\w$]*)*$/.exec(text);
	if (!match) {
		return null;
	}

	const keys: Key[] = [];
	for (const part of text.matchAll(/\[(\d+)\]|\.?([A-Za-z_$][\w$]*)/g)) {
		keys.push(part[1] === undefined ? (part[2] ?? '') : Number(part[1]));
	}

	return keys;
}

/**
 * Generators of poll sequences for the model and view fuzzing. Each step is data; `foldSteps` turns
 * the steps into raw payloads (normalized by the caller) and failed polls.
 */
/** Words the views must never print as a value; generated text avoids them so a hit is a real leak. */
export const LEAK = /NaN|undefined|Infinity|null/;

/** Printable text without the words of LEAK. */
export function safeString(maxLength: number, minLength = 0): fc.Arbitrary<string> {
	return fc.string({minLength, maxLength}).filter(s => !LEAK.test(s));
}

export const TYPE_NAMES = ['PublishedDatasource', 'Database', 'DatabaseTable', 'Metric', 'Workbook', 'Flow', 'VirtualConnection', 'Lens', 'Datarole'];

/** The largest count and duration the schema accepts (source/tableau/schema.ts). */
export const MAX_COUNT = Number.MAX_SAFE_INTEGER;
export const MAX_SECONDS = Number.MAX_SAFE_INTEGER / 1000;

/** Counts a schema accepts, from small to adversarially large. */
export const countValue: fc.Arbitrary<number> = fc.oneof(
	{weight: 6, arbitrary: fc.integer({min: 0, max: 10_000})},
	{weight: 1, arbitrary: fc.constantFrom(0, 1, 2 ** 31, 2 ** 52, 1e15, MAX_COUNT - 1, MAX_COUNT)},
	{weight: 1, arbitrary: fc.double({min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true})},
);

export type CheckpointMove = 'advance' | 'repeat' | 'null' | 'back' | 'far-future' | 'epoch' | 'jitter';
export type CountMove = 'grow' | 'same' | 'reset' | 'back' | 'jump' | 'set';

export interface TypeStep {
	readonly present: boolean;
	readonly count: CountMove;
	readonly amount: number;
	readonly failedAmount: number;
	readonly total: 'keep' | 'zero' | 'below' | 'set';
	readonly totalValue: number;
	readonly complete: 'auto' | 'true' | 'false';
	readonly checkpoint: CheckpointMove;
	readonly checkpointDeltaMs: number;
	readonly duration: 'track' | 'null' | 'zero' | 'huge' | 'set';
	readonly durationValue: number;
	readonly spelling: 'failedToIngestCount' | 'failedIngestedCount' | 'none';
	readonly contentId: 'keep' | 'null' | 'missing';
}

export interface LineageStep {
	readonly present: boolean;
	readonly count: CountMove;
	readonly amount: number;
	readonly total: 'keep' | 'zero' | 'below' | 'set';
	readonly totalValue: number;
	readonly complete: 'auto' | 'true' | 'false';
	readonly duration: 'track' | 'null' | 'zero' | 'huge' | 'back' | 'set';
	readonly durationValue: number;
	readonly connection: string | null;
}

export type Step =
	| {readonly kind: 'failure'; readonly dtMs: number}
	| {
			readonly kind: 'poll';
			readonly dtMs: number;
			readonly serverClock: 'same' | 'none' | 'skewed';
			readonly skewMs: number;
			readonly contentDuration: 'track' | 'null' | 'huge';
			readonly types: readonly TypeStep[];
			readonly lineage: LineageStep;
	  };

const dtMs = fc.oneof(
	{weight: 8, arbitrary: fc.integer({min: 1000, max: 10 * 60_000})},
	{weight: 1, arbitrary: fc.constantFrom(0, 1, 300_000, 3 * 3600_000, 40 * 86_400_000)},
	{weight: 1, arbitrary: fc.integer({min: -3600_000, max: 0})},
);

const countMove = fc.constantFrom<CountMove>('grow', 'grow', 'grow', 'grow', 'same', 'reset', 'back', 'jump', 'set');

const typeStep: fc.Arbitrary<TypeStep> = fc.record({
	present: fc.oneof({weight: 9, arbitrary: fc.constant(true)}, {weight: 1, arbitrary: fc.constant(false)}),
	count: countMove,
	amount: countValue,
	failedAmount: fc.oneof({weight: 4, arbitrary: fc.constant(0)}, {weight: 1, arbitrary: countValue}),
	total: fc.constantFrom('keep', 'keep', 'keep', 'keep', 'zero', 'below', 'set'),
	totalValue: countValue,
	complete: fc.constantFrom('auto', 'auto', 'auto', 'true', 'false'),
	checkpoint: fc.constantFrom<CheckpointMove>('advance', 'advance', 'advance', 'repeat', 'null', 'back', 'far-future', 'epoch', 'jitter'),
	checkpointDeltaMs: fc.integer({min: 1, max: 3 * 3600_000}),
	duration: fc.constantFrom('track', 'track', 'track', 'null', 'zero', 'huge', 'set'),
	durationValue: fc.oneof(fc.double({min: 0, max: 1e7, noNaN: true, noDefaultInfinity: true}), fc.constantFrom(0, 1e9, 1e12, MAX_SECONDS)),
	spelling: fc.constantFrom('failedToIngestCount', 'failedIngestedCount', 'none'),
	contentId: fc.constantFrom('keep', 'keep', 'null', 'missing'),
});

const lineageStep: fc.Arbitrary<LineageStep> = fc.record({
	present: fc.boolean(),
	count: countMove,
	amount: countValue,
	total: fc.constantFrom('keep', 'keep', 'keep', 'zero', 'below', 'set'),
	totalValue: countValue,
	complete: fc.constantFrom('auto', 'auto', 'auto', 'true', 'false'),
	duration: fc.constantFrom('track', 'track', 'track', 'null', 'zero', 'huge', 'back', 'set'),
	durationValue: fc.oneof(fc.double({min: 0, max: 1e7, noNaN: true, noDefaultInfinity: true}), fc.constantFrom(0, 1e9, 1e12, MAX_SECONDS)),
	connection: fc.oneof(fc.constantFrom(null, 'CloudFile downstreamWorkbooks Workbook', '', `Workbook ${'upstreamDatasources '.repeat(12)}`, TERMINAL_ATTACK), safeString(30)),
});

export function stepArb(typeCount: number): fc.Arbitrary<Step> {
	return fc.oneof(
		{weight: 1, arbitrary: fc.record({kind: fc.constant('failure' as const), dtMs})},
		{
			weight: 8,
			arbitrary: fc.record({
				kind: fc.constant('poll' as const),
				dtMs,
				serverClock: fc.constantFrom('same', 'same', 'same', 'none', 'skewed'),
				skewMs: fc.integer({min: -86_400_000, max: 86_400_000}),
				contentDuration: fc.constantFrom('track', 'track', 'null', 'huge'),
				types: fc.array(typeStep, {minLength: typeCount, maxLength: typeCount}),
				lineage: lineageStep,
			}),
		},
	);
}

export interface Sequence {
	readonly typeNames: readonly string[];
	readonly steps: readonly Step[];
}

export function sequenceArb(options: {maxSteps: number; typeNames?: fc.Arbitrary<string>}): fc.Arbitrary<Sequence> {
	const name = options.typeNames ?? fc.constantFrom(...TYPE_NAMES);
	return fc
		.uniqueArray(name, {minLength: 0, maxLength: 9})
		.chain(typeNames =>
			fc.record({typeNames: fc.constant(typeNames), steps: fc.array(stepArb(typeNames.length), {minLength: 1, maxLength: options.maxSteps})}),
		);
}

export type Event =
	| {readonly kind: 'failure'; readonly at: number}
	| {readonly kind: 'poll'; readonly receivedAt: number; readonly serverTime: number | null; readonly payload: RawPayload};

interface TypeState {
	succeeded: number;
	failed: number;
	total: number;
	checkpoint: number;
	duration: number;
}

const MAX_DATE_MS = 8.64e15;
const clampTime = (ms: number) => Math.min(MAX_DATE_MS, Math.max(-MAX_DATE_MS, ms));
const clampCount = (n: number) => (Number.isFinite(n) ? Math.min(MAX_COUNT, Math.max(0, n)) : MAX_COUNT);

function moveCount(current: number, move: CountMove, amount: number): number {
	switch (move) {
		case 'grow': {
			return clampCount(current + Math.min(amount, 5000));
		}

		case 'same': {
			return current;
		}

		case 'reset': {
			return 0;
		}

		case 'back': {
			return clampCount(current - Math.max(1, Math.min(amount, current)));
		}

		case 'jump': {
			return clampCount(current + amount);
		}

		case 'set': {
			return clampCount(amount);
		}
	}
}

function moveTotal(total: number, processed: number, move: 'keep' | 'zero' | 'below' | 'set', value: number): number {
	switch (move) {
		case 'keep': {
			return clampCount(Math.max(total, processed));
		}

		case 'zero': {
			return 0;
		}

		case 'below': {
			return clampCount(processed / 2);
		}

		case 'set': {
			return value;
		}
	}
}

/** Turns steps into the polls a monitor would make: raw payloads (valid by the schema) and failures. */
export function foldSteps(sequence: Sequence, start = START): Event[] {
	let clock = start;
	const states = new Map<string, TypeState>();
	let lineage = {processed: 0, total: 1000, duration: 0};
	const events: Event[] = [];
	for (const step of sequence.steps) {
		clock += step.dtMs;
		if (step.kind === 'failure') {
			events.push({kind: 'failure', at: clock});
			continue;
		}

		const statuses: RawPayload[] = [];
		sequence.typeNames.forEach((contentType, index) => {
			const t = step.types[index];
			if (!t) {
				return;
			}

			const state = states.get(contentType) ?? {succeeded: 0, failed: 0, total: 1000, checkpoint: clock - 300_000, duration: 0};
			state.succeeded = moveCount(state.succeeded, t.count, t.amount);
			state.failed = t.failedAmount === 0 ? state.failed : moveCount(state.failed, t.count === 'grow' ? 'grow' : t.count, t.failedAmount);
			state.total = moveTotal(state.total, state.succeeded + state.failed, t.total, t.totalValue);
			switch (t.checkpoint) {
				case 'advance': {
					state.checkpoint = clampTime(state.checkpoint + t.checkpointDeltaMs);
					break;
				}

				case 'back': {
					state.checkpoint = clampTime(state.checkpoint - t.checkpointDeltaMs);
					break;
				}

				case 'far-future': {
					state.checkpoint = clampTime(state.checkpoint + 1000 * 365 * 86_400_000);
					break;
				}

				case 'epoch': {
					state.checkpoint = 0;
					break;
				}

				case 'jitter': {
					state.checkpoint = clampTime(state.checkpoint + (t.checkpointDeltaMs % 3) - 1);
					break;
				}

				case 'repeat':
				case 'null': {
					break;
				}
			}

			state.duration = Math.min(
				MAX_SECONDS,
				t.duration === 'track' ? state.duration + Math.max(0, step.dtMs) / 1000 : t.duration === 'zero' ? 0 : t.duration === 'huge' ? MAX_SECONDS : t.duration === 'set' ? t.durationValue : state.duration,
			);
			states.set(contentType, state);
			if (!t.present) {
				return;
			}

			const complete = t.complete === 'auto' ? state.succeeded + state.failed >= state.total : t.complete === 'true';
			const status: RawPayload = {
				contentType,
				successfullyIngestedCount: state.succeeded,
				durationSeconds: t.duration === 'null' ? null : state.duration,
				totalCount: state.total,
				checkpointCreatedTime: t.checkpoint === 'null' ? null : new Date(state.checkpoint).toISOString(),
				backfillComplete: complete,
			};
			if (t.spelling !== 'none') {
				status[t.spelling] = state.failed;
			}

			if (t.contentId !== 'missing') {
				status.contentId = t.contentId === 'null' ? null : `sites/1/${contentType.toLowerCase()}s/${Math.floor(state.succeeded % 100_000)}`;
			}

			statuses.push(status);
		});

		const payload: RawPayload = {
			contentBackfillTotalDurationSeconds: step.contentDuration === 'null' ? null : step.contentDuration === 'huge' ? MAX_SECONDS : Math.max(0, (clock - start) / 1000),
			contentBackfillStatuses: statuses,
		};
		const l = step.lineage;
		if (l.present) {
			const processed = moveCount(lineage.processed, l.count, l.amount);
			const total = moveTotal(lineage.total, processed, l.total, l.totalValue);
			const duration =
				l.duration === 'track'
					? lineage.duration + Math.max(0, step.dtMs) / 1000
					: l.duration === 'zero'
						? 0
						: l.duration === 'huge'
							? MAX_SECONDS
							: l.duration === 'back'
								? Math.max(0, lineage.duration - 600)
								: l.duration === 'set'
									? l.durationValue
									: lineage.duration;
			lineage = {processed, total, duration: Math.min(MAX_SECONDS, duration)};
			payload.lineageBackfillTotalDurationSeconds = l.duration === 'null' ? null : lineage.duration;
			payload.lineageBackfillStatus = {
				totalCount: total,
				processedCount: processed,
				lastLineageConnection: l.connection,
				backfillComplete: l.complete === 'auto' ? processed >= total : l.complete === 'true',
			};
		}

		const serverTime = step.serverClock === 'none' ? null : step.serverClock === 'same' ? clock : clock + step.skewMs;
		events.push({kind: 'poll', receivedAt: clock, serverTime, payload});
	}

	return events;
}

import {
	Struct,
	StructError,
	array,
	boolean,
	nullable,
	number,
	optional,
	refine,
	string,
	type,
	validate,
	type Infer,
} from 'superstruct';
import type {BackfillSnapshot, ContentTypeStatus, LineageStatus} from '../model/snapshot.js';

/**
 * superstruct's own failure messages interpolate the value (`${value}`), which throws a TypeError for
 * JSON such as {"toString": 1} or [{"toString": 1}] instead of failing validation. The same checks
 * with a message that does not print the value; the SchemaError describes the value itself.
 */
function quiet<T, S>(struct: Struct<T, S>, accepts: (value: unknown) => boolean): Struct<T, S> {
	return new Struct<T, S>({...struct, validator: (value: unknown) => accepts(value) || `expected ${struct.type}`});
}

const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);
const num = () => quiet(number(), value => typeof value === 'number' && !Number.isNaN(value));
const str = () => quiet(string(), value => typeof value === 'string');
const bool = () => quiet(boolean(), value => typeof value === 'boolean');
const obj = <S extends Parameters<typeof type>[0]>(schema: S) => quiet(type(schema), isObject);
const list = <T, S>(element: Struct<T, S>) => quiet(array(element), Array.isArray);

// JSON.parse turns 1e400 into Infinity, so "a number" alone is not enough for a count. A count of
// 2^53 or more, or seconds of 2^53 ms or more, is no real server's, and the sums and rates the model
// computes from such values would leave the finite range.
const MAX_SECONDS = Number.MAX_SAFE_INTEGER / 1000;
const count = refine(
	refine(num(), 'count', value => Number.isFinite(value) && value >= 0),
	'count-range',
	value => value <= Number.MAX_SAFE_INTEGER,
);
const seconds = refine(
	refine(num(), 'seconds', value => Number.isFinite(value) && value >= 0),
	'seconds-range',
	value => value <= MAX_SECONDS,
);
const isoTime = refine(str(), 'time', value => !Number.isNaN(Date.parse(value)));

// `type()` rather than `object()`: unknown extra fields are ignored, so a newer server still parses.
const ContentStatusStruct = obj({
	contentType: str(),
	contentId: optional(nullable(str())),
	successfullyIngestedCount: count,
	// The prose of the documentation says failedIngestedCount, its example says failedToIngestCount.
	failedToIngestCount: optional(nullable(count)),
	failedIngestedCount: optional(nullable(count)),
	durationSeconds: optional(nullable(seconds)),
	totalCount: count,
	checkpointCreatedTime: optional(nullable(isoTime)),
	backfillComplete: bool(),
});

const LineageStatusStruct = obj({
	totalCount: count,
	processedCount: count,
	lastLineageConnection: optional(nullable(str())),
	backfillComplete: bool(),
});

export const BackfillStatusStruct = obj({
	contentBackfillTotalDurationSeconds: optional(nullable(seconds)),
	lineageBackfillTotalDurationSeconds: optional(nullable(seconds)),
	contentBackfillStatuses: optional(nullable(list(ContentStatusStruct))),
	lineageBackfillStatus: optional(nullable(LineageStatusStruct)),
});

export type RawBackfillStatus = Infer<typeof BackfillStatusStruct>;

/** The payload did not have the documented shape; `message` names the path and what was expected. */
export class SchemaError extends Error {
	override readonly name = 'SchemaError';
	constructor(
		readonly path: string,
		readonly expected: string,
		readonly got: string,
	) {
		super(`${path}: expected ${expected}, got ${got}`);
	}
}

export interface ReceiveInfo {
	readonly receivedAt: number;
	readonly serverTime: number | null;
}

/** Validates a parsed JSON body and returns the snapshot, or throws a SchemaError. */
export function normalize(body: unknown, info: ReceiveInfo): BackfillSnapshot {
	const [error, raw] = validate(body, BackfillStatusStruct);
	if (error) {
		throw toSchemaError(error);
	}

	return {
		receivedAt: info.receivedAt,
		serverTime: info.serverTime,
		contentDurationSeconds: raw.contentBackfillTotalDurationSeconds ?? null,
		lineageDurationSeconds: raw.lineageBackfillTotalDurationSeconds ?? null,
		content: (raw.contentBackfillStatuses ?? []).map(normalizeContent),
		lineage: raw.lineageBackfillStatus ? normalizeLineage(raw.lineageBackfillStatus) : null,
	};
}

/**
 * The server's strings reach the terminal (dashboard, --plain, --once): a control character in them
 * (ESC, CR, BEL, C1 CSI) could move the cursor, clear the screen or set the window title. Each becomes '?'.
 */
export function printable(text: string): string {
	// eslint-disable-next-line no-control-regex
	return text.replaceAll(/[\u0000-\u001F\u007F-\u009F]/g, '?');
}

function printableOrNull(text: string | null | undefined): string | null {
	return text === undefined || text === null ? null : printable(text);
}

function normalizeContent(raw: Infer<typeof ContentStatusStruct>): ContentTypeStatus {
	return {
		contentType: printable(raw.contentType),
		lastContentId: printableOrNull(raw.contentId),
		succeeded: raw.successfullyIngestedCount,
		failed: raw.failedToIngestCount ?? raw.failedIngestedCount ?? 0,
		total: raw.totalCount,
		complete: raw.backfillComplete,
		checkpoint: raw.checkpointCreatedTime ? Date.parse(raw.checkpointCreatedTime) : null,
		durationSeconds: raw.durationSeconds ?? null,
	};
}

function normalizeLineage(raw: Infer<typeof LineageStatusStruct>): LineageStatus {
	return {
		processed: raw.processedCount,
		total: raw.totalCount,
		complete: raw.backfillComplete,
		lastConnection: printableOrNull(raw.lastLineageConnection),
	};
}

const expectations: Record<string, string> = {
	number: 'a number',
	string: 'a string',
	boolean: 'true or false',
	type: 'an object',
	object: 'an object',
	array: 'an array',
	count: 'a non-negative finite number',
	'count-range': 'a count below 2^53',
	seconds: 'a non-negative finite number of seconds',
	'seconds-range': 'a number of seconds below 2^53 ms',
	time: 'an ISO 8601 time',
};

function toSchemaError(error: StructError): SchemaError {
	// The deepest failure is the one that names the offending field.
	const failure = error.failures()[0] ?? error;
	const path = formatPath(failure.path);
	const expected = expectations[failure.refinement ?? failure.type] ?? `a ${failure.type}`;
	return new SchemaError(path, expected, describe(failure.value));
}

function formatPath(path: readonly unknown[]): string {
	if (path.length === 0) {
		return '(document)';
	}

	return path
		.map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? String(key) : `.${String(key)}`))
		.join('');
}

function describe(value: unknown): string {
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

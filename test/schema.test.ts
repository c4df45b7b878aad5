import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {normalize, SchemaError} from '../source/tableau/schema.js';

const seedText = readFileSync(new URL('fixtures/seed-example.json', import.meta.url), 'utf8');
const info = {receivedAt: 1_000, serverTime: 2_000};
const parse = (body: unknown) => normalize(body, info);

function contentEntry(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		contentType: 'Workbook',
		contentId: 'sites/1/workbooks/1',
		successfullyIngestedCount: 10,
		failedToIngestCount: 1,
		durationSeconds: 60,
		totalCount: 100,
		checkpointCreatedTime: '2026-12-03T14:00:00.000Z',
		backfillComplete: false,
		...overrides,
	};
}

function rejection(body: unknown): string {
	try {
		parse(body);
	} catch (error) {
		expect(error).toBeInstanceOf(SchemaError);
		return (error as SchemaError).message;
	}

	throw new Error('expected a SchemaError');
}

describe('normalize', () => {
	it('accepts the documented example byte for byte', () => {
		expect(seedText.startsWith('{"contentBackfillTotalDurationSeconds": 362,')).toBe(true);
		const snapshot = parse(JSON.parse(seedText));
		expect(snapshot.contentDurationSeconds).toBe(362);
		expect(snapshot.lineageDurationSeconds).toBe(14);
		expect(snapshot.content.map(c => c.contentType)).toEqual([
			'PublishedDatasource',
			'Database',
			'DatabaseTable',
			'Metric',
			'Workbook',
			'Flow',
		]);
		expect(snapshot.content[0]).toEqual({
			contentType: 'PublishedDatasource',
			lastContentId: 'sites/1/datasources/-631379806-1912815680',
			succeeded: 20,
			failed: 0,
			total: 20,
			complete: true,
			checkpoint: Date.parse('2020-07-29T23:50:25.763Z'),
			durationSeconds: 312,
		});
		expect(snapshot.lineage).toEqual({
			processed: 18,
			total: 45,
			complete: false,
			lastConnection: 'CloudFile downstreamWorkbooks Workbook',
		});
		expect(snapshot.receivedAt).toBe(1_000);
		expect(snapshot.serverTime).toBe(2_000);
	});

	it('reads both spellings of the failed count', () => {
		const a = parse({contentBackfillStatuses: [contentEntry({failedToIngestCount: 3})]});
		const b = parse({
			contentBackfillStatuses: [contentEntry({failedToIngestCount: undefined, failedIngestedCount: 4})],
		});
		expect(a.content[0]?.failed).toBe(3);
		expect(b.content[0]?.failed).toBe(4);
	});

	it('keeps content types it has never heard of', () => {
		const snapshot = parse({contentBackfillStatuses: [contentEntry({contentType: 'VirtualConnection'})]});
		expect(snapshot.content[0]?.contentType).toBe('VirtualConnection');
	});

	it('accepts content only, lineage only and an empty document', () => {
		const contentOnly = parse({contentBackfillTotalDurationSeconds: 5, contentBackfillStatuses: [contentEntry()]});
		expect(contentOnly.lineage).toBeNull();
		const lineageOnly = parse({
			lineageBackfillTotalDurationSeconds: 9,
			lineageBackfillStatus: {totalCount: 10, processedCount: 2, backfillComplete: false},
		});
		expect(lineageOnly.content).toEqual([]);
		expect(lineageOnly.lineage).toEqual({processed: 2, total: 10, complete: false, lastConnection: null});
		const empty = parse({});
		expect(empty).toMatchObject({content: [], lineage: null, contentDurationSeconds: null});
	});

	it('accepts a missing or null checkpoint, a zero total and counts beyond the total', () => {
		const snapshot = parse({
			contentBackfillStatuses: [
				contentEntry({checkpointCreatedTime: undefined}),
				contentEntry({checkpointCreatedTime: null}),
				contentEntry({totalCount: 0, successfullyIngestedCount: 0, failedToIngestCount: 0}),
				contentEntry({totalCount: 5, successfullyIngestedCount: 5, failedToIngestCount: 2}),
			],
		});
		expect(snapshot.content.map(c => c.checkpoint)).toEqual([null, null, Date.parse('2026-12-03T14:00:00.000Z'), Date.parse('2026-12-03T14:00:00.000Z')]);
		expect(snapshot.content[2]?.total).toBe(0);
		expect(snapshot.content[3]).toMatchObject({succeeded: 5, failed: 2, total: 5});
	});

	it('ignores fields it does not know', () => {
		const snapshot = parse({
			newTopLevelThing: {a: 1},
			contentBackfillStatuses: [contentEntry({shinyNewField: 'x'})],
			lineageBackfillStatus: {totalCount: 1, processedCount: 1, backfillComplete: true, extra: [1, 2]},
		});
		expect(snapshot.content).toHaveLength(1);
		expect(snapshot.lineage?.complete).toBe(true);
	});

	it('names the path and the expectation when a count is a string', () => {
		expect(rejection({contentBackfillStatuses: [contentEntry({successfullyIngestedCount: 'lots'})]})).toBe(
			'contentBackfillStatuses[0].successfullyIngestedCount: expected a number, got "lots"',
		);
	});

	it('names a missing contentType', () => {
		expect(rejection({contentBackfillStatuses: [contentEntry(), contentEntry({contentType: undefined})]})).toBe(
			'contentBackfillStatuses[1].contentType: expected a string, got nothing (the field is missing)',
		);
	});

	it('rejects a document that is not an object', () => {
		expect(rejection(42)).toBe('(document): expected an object, got 42');
		expect(rejection(null)).toBe('(document): expected an object, got null');
		expect(rejection('<html>')).toBe('(document): expected an object, got "<html>"');
	});

	it('rejects negative, infinite and non-boolean values', () => {
		expect(rejection({contentBackfillStatuses: [contentEntry({totalCount: -1})]})).toBe(
			'contentBackfillStatuses[0].totalCount: expected a non-negative finite number, got -1',
		);
		expect(rejection(JSON.parse('{"lineageBackfillStatus":{"totalCount":1e400,"processedCount":0,"backfillComplete":false}}'))).toBe(
			'lineageBackfillStatus.totalCount: expected a non-negative finite number, got Infinity',
		);
		expect(rejection({contentBackfillStatuses: [contentEntry({backfillComplete: 'yes'})]})).toBe(
			'contentBackfillStatuses[0].backfillComplete: expected true or false, got "yes"',
		);
		expect(rejection({contentBackfillStatuses: {}})).toBe('contentBackfillStatuses: expected an array, got an object');
		expect(rejection({contentBackfillStatuses: [contentEntry({checkpointCreatedTime: 'yesterday'})]})).toBe(
			'contentBackfillStatuses[0].checkpointCreatedTime: expected an ISO 8601 time, got "yesterday"',
		);
	});
});

import {closeSync, fstatSync, openSync, readFileSync, readSync, writeSync} from 'node:fs';
import {addFailure, addSnapshot, emptyHistory, type History} from './model/history.js';
import type {BackfillSnapshot} from './model/snapshot.js';
import type {PollError} from './poller.js';
import {toPollError} from './poller.js';
import {mapStrings} from './tableau/map-strings.js';
import {printable} from './tableau/schema.js';
import type {ServerDescription, StatusSource} from './tableau/status-source.js';

/**
 * The recording format, one JSON object per line (JSONL), versioned by `v`:
 *   {"v":1,"type":"header","server":"host","site":"","startedAt":"<ISO>","tool":"backfill-top 0.1.0"}
 *   {"v":1,"type":"snapshot","at":<client ms>,"snapshot":<BackfillSnapshot>}
 *   {"v":1,"type":"error","at":<client ms>,"kind":"timeout","message":"...","action":"...","retryable":true}
 * A header starts each session appended to the file. Nothing secret is ever written: snapshots hold
 * only what the Backfill API returned, errors only their sentences.
 */
export const RECORD_VERSION = 1;

export type RecordEntry =
	| {readonly v: 1; readonly type: 'header'; readonly server: string; readonly site: string; readonly startedAt: string; readonly tool: string}
	| {readonly v: 1; readonly type: 'snapshot'; readonly at: number; readonly snapshot: BackfillSnapshot}
	| {
			readonly v: 1;
			readonly type: 'error';
			readonly at: number;
			readonly kind: string;
			readonly message: string;
			readonly action: string;
			/** Added within version 1: absent in older files, where every error counted as retryable. */
			readonly retryable?: boolean;
	  };

/** Appends whole lines with one write each, so a crash or a dropped session loses at most the line being written. */
export class Recorder {
	readonly #fd: number;

	constructor(path: string) {
		this.#fd = openSync(path, 'a+', 0o600);
		// A crash can leave a partial last line; without a newline first, this session's header would
		// be glued to it and skipped with it, and its polls read as the previous session's.
		if (!endsWithNewline(this.#fd)) {
			writeSync(this.#fd, '\n');
		}
	}

	write(entry: RecordEntry): void {
		writeSync(this.#fd, `${JSON.stringify(entry)}\n`);
	}

	close(): void {
		closeSync(this.#fd);
	}
}

/**
 * When the last failed poll happened, as the recording has (or had) it: --plain stamps its error
 * lines with this, so a replay prints exactly the lines the live run printed.
 */
export interface FailureClock {
	lastFailureAt(): number | null;
}

function endsWithNewline(fd: number): boolean {
	const {size} = fstatSync(fd);
	if (size === 0) {
		return true;
	}

	const last = Buffer.alloc(1);
	readSync(fd, last, 0, 1, size - 1);
	return last[0] === 0x0a;
}

/** Wraps a source so that every poll, good or failed, lands in the recording. */
export function recordingSource(source: StatusSource, recorder: Recorder, tool: string, now: () => number = Date.now): StatusSource & FailureClock {
	let lastFailureAt: number | null = null;
	recorder.write({
		v: 1,
		type: 'header',
		server: source.description.server,
		site: source.description.site,
		startedAt: new Date(now()).toISOString(),
		tool,
	});
	return {
		description: source.description,
		async fetchStatus(signal) {
			try {
				const snapshot = await source.fetchStatus(signal);
				recorder.write({v: 1, type: 'snapshot', at: snapshot.receivedAt, snapshot});
				return snapshot;
			} catch (error) {
				// A poll cancelled on the way out (quit, SIGTERM) is no failure of the server's.
				if (!signal.aborted) {
					const {kind, message, action, retryable} = toPollError(error);
					lastFailureAt = now();
					recorder.write({v: 1, type: 'error', at: lastFailureAt, kind, message, action, retryable});
				}

				throw error;
			}
		},
		lastFailureAt: () => lastFailureAt,
		async close() {
			try {
				await source.close();
			} finally {
				recorder.close();
			}
		},
	};
}

/**
 * Bytes read from a recording at a time: a week of 15-second polls is about 50 MB of JSON, which
 * need not sit in memory as one string to be read a line at a time.
 */
const CHUNK_BYTES = 1 << 20;

export interface ReadOptions {
	/** Bytes per read; small values let tests cross chunk boundaries in the middle of lines and characters. */
	readonly chunkBytes?: number;
}

/** What a visitor of a recording's lines answers: read on, or stop here. */
type Reading = 'more' | 'enough';

/**
 * Reads a recording; unparsable lines (a partial last line from a crash, a stray edit) are skipped
 * and counted rather than failing the whole file.
 */
export function readRecording(path: string): {entries: RecordEntry[]; skipped: number} {
	const text = readFileSync(path, 'utf8');
	const entries: RecordEntry[] = [];
	let skipped = 0;
	for (const line of text.split('\n')) {
		if (line.trim() === '') {
			continue;
		}

		const entry = parseEntry(line);
		if (entry) {
			entries.push(entry);
		} else {
			skipped++;
		}
	}

	return {entries, skipped};
}

/**
 * Whether a file can be recorded onto: it has no line but blank ones, or at least one line reads
 * as an entry. It stops at the first entry, so an earlier recording is checked without being read
 * whole (or held) before sign-in.
 */
export function isRecordingOrEmpty(path: string, options: ReadOptions = {}): boolean {
	let entries = false;
	let skipped = false;
	forEachEntry(path, options, entry => {
		if (entry) {
			entries = true;
			return 'enough';
		}

		skipped = true;
		return 'more';
	});
	return entries || !skipped;
}

/**
 * primeHistory over a recording file, folded as it is read: neither the file nor its entries are
 * held, only the history (bounded by MAX_SAMPLES), so a week of polls costs no more memory to
 * prime from than a day.
 */
export function primeHistoryFromFile(path: string, server: string, options: ReadOptions = {}): History {
	let priming = startPriming();
	forEachEntry(path, options, entry => {
		if (entry) {
			priming = primeStep(priming, entry, server);
		}

		return 'more';
	});
	return priming.history;
}

/** Each non-blank line of a recording, parsed (undefined for a line that is no entry). */
function forEachEntry(path: string, options: ReadOptions, visit: (entry: RecordEntry | undefined) => Reading): void {
	forEachLine(path, options.chunkBytes ?? CHUNK_BYTES, line => (line.trim() === '' ? 'more' : visit(parseEntry(line))));
}

/**
 * The file's lines, as splitting the whole of it on '\n' would give them, read a chunk at a time.
 * Bytes are split on 0x0A before decoding: that byte is never part of a multi-byte UTF-8 sequence,
 * so a character cut by a chunk boundary is decoded whole, and invalid bytes decode to the same
 * replacement characters as in the whole file.
 */
function forEachLine(path: string, chunkBytes: number, visit: (line: string) => Reading): void {
	const fd = openSync(path, 'r');
	try {
		const chunk = Buffer.alloc(chunkBytes);
		// The start of a line that the chunks read so far have not finished; copied, as the chunk is reused.
		let unfinished: Buffer[] = [];
		for (let read = readSync(fd, chunk, 0, chunkBytes, null); read > 0; read = readSync(fd, chunk, 0, chunkBytes, null)) {
			const bytes = chunk.subarray(0, read);
			let start = 0;
			for (let end = bytes.indexOf(0x0a, start); end !== -1; end = bytes.indexOf(0x0a, start)) {
				const line = unfinished.length === 0 ? bytes.toString('utf8', start, end) : Buffer.concat([...unfinished, bytes.subarray(start, end)]).toString('utf8');
				unfinished = [];
				start = end + 1;
				if (visit(line) === 'enough') {
					return;
				}
			}

			if (start < read) {
				unfinished.push(Buffer.from(bytes.subarray(start)));
			}
		}

		if (unfinished.length > 0) {
			visit(Buffer.concat(unfinished).toString('utf8'));
		}
	} finally {
		closeSync(fd);
	}
}

function parseEntry(line: string): RecordEntry | undefined {
	let value: unknown;
	try {
		// A recording can be edited or crafted by hand: its strings are cleaned as the server's are.
		value = mapStrings(JSON.parse(line), printable);
	} catch {
		return undefined;
	}

	if (typeof value !== 'object' || value === null || !('v' in value) || value.v !== RECORD_VERSION || !('type' in value)) {
		return undefined;
	}

	const entry = value as Record<string, unknown>;
	switch (entry.type) {
		case 'header': {
			return typeof entry.server === 'string' ? (value as RecordEntry) : undefined;
		}

		case 'snapshot': {
			return typeof entry.at === 'number' && isSnapshot(entry.snapshot) ? (value as RecordEntry) : undefined;
		}

		case 'error': {
			return typeof entry.at === 'number' && typeof entry.kind === 'string' && typeof entry.message === 'string'
				? (value as RecordEntry)
				: undefined;
		}

		default: {
			return undefined;
		}
	}
}

function isSnapshot(value: unknown): value is BackfillSnapshot {
	if (typeof value !== 'object' || value === null) {
		return false;
	}

	const s = value as Record<string, unknown>;
	return typeof s.receivedAt === 'number' && Array.isArray(s.content) && ('lineage' in s);
}

/** History rebuilt from the sessions of a recording that watched the same server. */
export function primeHistory(entries: readonly RecordEntry[], server: string): History {
	let priming = startPriming();
	for (const entry of entries) {
		priming = primeStep(priming, entry, server);
	}

	return priming.history;
}

/** How far priming has got: the history so far, and whether the session being read watched the server. */
interface Priming {
	readonly history: History;
	readonly sameServer: boolean;
}

function startPriming(): Priming {
	return {history: emptyHistory(), sameServer: false};
}

function primeStep(priming: Priming, entry: RecordEntry, server: string): Priming {
	if (entry.type === 'header') {
		return {history: priming.history, sameServer: entry.server === server};
	}

	if (!priming.sameServer) {
		return priming;
	}

	const history = entry.type === 'snapshot' ? addSnapshot(priming.history, entry.snapshot) : addFailure(priming.history, entry.at);
	return {history, sameServer: true};
}

export class ReplaySource implements StatusSource, FailureClock {
	readonly description: ServerDescription;
	readonly finished: Promise<void>;
	readonly #entries: Array<Extract<RecordEntry, {type: 'snapshot' | 'error'}>>;
	readonly #speed: number;
	readonly #shift: boolean;
	#index = 0;
	#startedAt: number | null = null;
	#last: BackfillSnapshot | null = null;
	#lastFailureAt: number | null = null;
	#finish: () => void = () => undefined;

	/**
	 * speed 0 plays as fast as possible; N plays N times faster than recorded. With `shiftTimes` the
	 * receive times are moved to the present, so "updated 8s ago" reads right on a dashboard.
	 */
	constructor(entries: readonly RecordEntry[], options: {speed: number; shiftTimes: boolean; now?: () => number}) {
		const header = entries.find(e => e.type === 'header');
		this.description = {
			server: header?.type === 'header' ? header.server : 'recording',
			site: header?.type === 'header' ? header.site : '',
			productVersion: null,
			apiVersion: null,
			mode: 'replay',
		};
		this.#entries = entries.filter((e): e is Extract<RecordEntry, {type: 'snapshot' | 'error'}> => e.type !== 'header');
		this.#speed = options.speed;
		this.#shift = options.shiftTimes;
		this.now = options.now ?? Date.now;
		this.finished = new Promise(resolve => {
			this.#finish = resolve;
		});
		if (this.#entries.length === 0) {
			this.#finish();
		}
	}

	private readonly now: () => number;

	get remaining(): number {
		return this.#entries.length - this.#index;
	}

	async fetchStatus(signal: AbortSignal): Promise<BackfillSnapshot> {
		const entry = this.#entries[this.#index];
		const first = this.#entries[0];
		if (!entry || !first) {
			if (this.#last) {
				return this.#last;
			}

			throw {kind: 'replay-empty', message: 'The recording holds no polls.', action: 'Record with --record FILE first.', retryable: false};
		}

		this.#startedAt ??= this.now();
		if (this.#speed > 0) {
			const due = this.#startedAt + (entry.at - first.at) / this.#speed;
			await sleep(due - this.now(), signal);
		}

		this.#index++;
		if (this.#index === this.#entries.length) {
			this.#finish();
		}

		const shift = this.#shift ? this.now() - entry.at : 0;
		if (entry.type === 'error') {
			this.#lastFailureAt = entry.at + shift;
			throw {kind: entry.kind, message: entry.message, action: entry.action, retryable: entry.retryable ?? true} satisfies PollError;
		}

		const snapshot = shift === 0 ? entry.snapshot : {...entry.snapshot, receivedAt: entry.snapshot.receivedAt + shift};
		this.#last = snapshot;
		return snapshot;
	}

	lastFailureAt(): number | null {
		return this.#lastFailureAt;
	}

	async close(): Promise<void> {}
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
	if (ms <= 0) {
		return Promise.resolve();
	}

	return new Promise((resolve, reject) => {
		const timer = setTimeout(resolve, ms);
		signal.addEventListener(
			'abort',
			() => {
				clearTimeout(timer);
				reject(new Error('aborted'));
			},
			{once: true},
		);
	});
}

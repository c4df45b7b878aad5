import {formatTimestamp} from '../model/format.js';
import {addFailure, addSnapshot, emptyHistory, serverNow, type History} from '../model/history.js';
import type {BackfillProgress} from '../model/progress.js';
import {deriveProgress} from '../model/rates.js';
import {Poller, type PollError} from '../poller.js';
import type {FailureClock} from '../record.js';
import type {StatusSource} from '../tableau/status-source.js';
import {progressLine} from './summary.js';

export interface PlainOptions {
	readonly out: NodeJS.WritableStream;
	readonly intervalSeconds: number;
	readonly minIntervalSeconds?: number;
	/** --wait: exit 0 once complete, 1 on a fatal error or a stall longer than stallTimeoutMinutes. */
	readonly wait: boolean;
	readonly quiet: boolean;
	readonly stallTimeoutMinutes: number;
	readonly initialHistory?: History;
	/** A replay ends when its recording does. */
	readonly finished?: Promise<void>;
	/**
	 * A recording knows when it stamped a failure, a replay when the failure was recorded: error lines
	 * carry that time, so a replay prints the very lines the live run printed.
	 */
	readonly failureClock?: FailureClock;
	readonly now?: () => number;
}

/**
 * One timestamped line per poll that brought news (a new checkpoint, a phase change, a stall, an
 * error, a recovery); polls that repeat the last checkpoint print nothing. Resolves to the exit code.
 */
export function runPlain(source: StatusSource, options: PlainOptions, stop: AbortSignal): Promise<number> {
	const now = options.now ?? Date.now;
	const print = (at: number, text: string) => {
		if (!options.quiet) {
			options.out.write(`${formatTimestamp(at)} ${text}\n`);
		}
	};

	return new Promise<number>(resolve => {
		let history = options.initialHistory ?? emptyHistory();
		let lastError: PollError | null = null;
		// Client time of the last answer (its receive time, so a replay measures in recorded time).
		let lastSuccessAt: number | null = null;
		let lastEventAt: number | null = null;
		let answered = false;
		let settled = false;
		const finish = (code: number) => {
			if (settled) {
				return;
			}

			settled = true;
			poller.stop();
			resolve(code);
		};

		const poller = new Poller(source, {
			intervalSeconds: options.intervalSeconds,
			minIntervalSeconds: options.minIntervalSeconds,
			now,
			onSnapshot(snapshot) {
				const before = history;
				history = addSnapshot(history, snapshot);
				lastSuccessAt = snapshot.receivedAt;
				lastEventAt = snapshot.receivedAt;
				const progress = deriveProgress(history);
				if (!progress) {
					return;
				}

				const recovered = lastError !== null;
				// The first answer always gets a line, also when history primed from a recording
				// makes it look like old news: the log shows the run started and where it stands.
				const first = !answered;
				answered = true;
				if (recovered || first || isNews(before, history)) {
					print(snapshot.receivedAt, recovered ? `recovered · ${progressLine(progress)}` : progressLine(progress));
				}

				lastError = null;
				if (options.wait) {
					const verdict = waitVerdict(progress, history, options.stallTimeoutMinutes);
					if (verdict !== null) {
						if (verdict.message) {
							print(snapshot.receivedAt, verdict.message);
						}

						finish(verdict.code);
					}
				}
			},
			onFailure(error, pollerAt) {
				const at = options.failureClock?.lastFailureAt() ?? pollerAt;
				lastSuccessAt ??= at;
				lastEventAt = at;
				history = addFailure(history, at);
				if (lastError?.kind !== error.kind || lastError.message !== error.message) {
					print(at, `error · ${error.message} ${error.action}`);
				}

				lastError = error;
				if (!error.retryable) {
					finish(1);
				} else if (options.wait && at - lastSuccessAt >= options.stallTimeoutMinutes * 60_000) {
					print(at, `giving up: no answer for ${options.stallTimeoutMinutes} minutes`);
					finish(1);
				}
			},
		});

		stop.addEventListener('abort', () => finish(options.wait ? 1 : 0), {once: true});
		void options.finished?.then(() => {
			// Let the last entry's callbacks run before ending.
			setImmediate(() => {
				if (options.wait && !settled) {
					print(lastEventAt ?? now(), 'giving up: the recording ended before the backfill completed');
				}

				finish(options.wait ? 1 : 0);
			});
		});
		poller.start();
	});
}

/** News: a new checkpoint of any type or of lineage, a phase change, a restart, a new stall. */
export function isNews(before: History, after: History): boolean {
	if (!before.latest) {
		return true;
	}

	if (after.restarts !== before.restarts) {
		return true;
	}

	const lastAt = (h: History, key: string) => h.tracks.get(key)?.samples.at(-1)?.at;
	for (const key of after.tracks.keys()) {
		if (lastAt(after, key) !== lastAt(before, key)) {
			return true;
		}
	}

	if (after.lineage.samples.at(-1)?.at !== before.lineage.samples.at(-1)?.at) {
		return true;
	}

	const a = deriveProgress(before);
	const b = deriveProgress(after);
	return a?.phase !== b?.phase || stalledSet(a) !== stalledSet(b);
}

function stalledSet(progress: BackfillProgress | null): string {
	if (!progress) {
		return '';
	}

	const types = progress.types.filter(t => t.state === 'stalled').map(t => t.contentType);
	return [...types, progress.lineage.state === 'stalled' ? 'lineage' : ''].join(',');
}

function waitVerdict(progress: BackfillProgress, history: History, stallTimeoutMinutes: number): {code: number; message: string} | null {
	if (progress.phase === 'complete') {
		return {code: 0, message: ''};
	}

	const now = serverNow(history);
	const limit = stallTimeoutMinutes * 60_000;
	const stalledSince = [
		...progress.types.map(t => t.stalledSince),
		progress.lineage.stalledSince,
	].filter((t): t is number => t !== null);
	const oldest = stalledSince.length > 0 ? Math.min(...stalledSince) : null;
	if (oldest !== null && now !== null && now - oldest >= limit) {
		return {code: 1, message: `giving up: no progress for ${stallTimeoutMinutes} minutes of server time`};
	}

	return null;
}

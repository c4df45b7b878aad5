import type {BackfillSnapshot} from './model/snapshot.js';
import type {StatusSource} from './tableau/status-source.js';

/** What a failed poll tells the user: one sentence of what happened, one of what to do. */
export interface PollError {
	readonly kind: string;
	readonly message: string;
	readonly action: string;
	readonly retryable: boolean;
}

export interface PollState {
	readonly paused: boolean;
	readonly intervalSeconds: number;
	readonly inFlight: boolean;
	/** Client clock, ms. */
	readonly inFlightSince: number | null;
	readonly lastAttemptAt: number | null;
	readonly lastSuccessAt: number | null;
	/** The last failure; cleared by the next success. */
	readonly error: PollError | null;
	readonly consecutiveFailures: number;
	/** When the next request goes out (client ms); null while paused or in flight. */
	readonly nextPollAt: number | null;
}

export interface PollerOptions {
	readonly intervalSeconds: number;
	/** The interval floor; only a replay, which paces itself, goes below MIN_INTERVAL_SECONDS. */
	readonly minIntervalSeconds?: number;
	readonly onSnapshot?: (snapshot: BackfillSnapshot) => void;
	readonly onFailure?: (error: PollError, at: number) => void;
	readonly now?: () => number;
}

/** The interval steps of +/-; the floor protects the server (k9s floors at 2 s for the same reason). */
export const INTERVAL_STEPS = [2, 5, 10, 15, 30, 60, 120, 300, 600] as const;
export const MIN_INTERVAL_SECONDS = 2;
/** Backoff doubles per consecutive failure up to this, or the interval if that is longer. */
export const MAX_BACKOFF_SECONDS = 300;

/**
 * The polling loop: one request at a time, a fixed interval between the end of one request and the
 * start of the next, exponential backoff after failures, pause (no requests at all) and refresh-now.
 */
export class Poller {
	#state: PollState;
	#timer: NodeJS.Timeout | undefined;
	#controller: AbortController | undefined;
	#stopped = false;
	#started = false;
	readonly #listeners = new Set<(state: PollState) => void>();
	readonly #now: () => number;

	constructor(
		private readonly source: StatusSource,
		private readonly options: PollerOptions,
	) {
		this.#now = options.now ?? Date.now;
		this.#state = {
			paused: false,
			intervalSeconds: Math.max(options.minIntervalSeconds ?? MIN_INTERVAL_SECONDS, options.intervalSeconds),
			inFlight: false,
			inFlightSince: null,
			lastAttemptAt: null,
			lastSuccessAt: null,
			error: null,
			consecutiveFailures: 0,
			nextPollAt: null,
		};
	}

	get state(): PollState {
		return this.#state;
	}

	subscribe(listener: (state: PollState) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	start(): void {
		if (this.#started || this.#stopped) {
			return;
		}

		this.#started = true;
		void this.#poll();
	}

	/** Aborts the request in flight and cancels the schedule; nothing runs afterwards. */
	stop(): void {
		this.#stopped = true;
		this.#clearTimer();
		this.#controller?.abort();
		this.#listeners.clear();
	}

	/** Polls at once, also while paused; a request already in flight is not doubled. */
	refreshNow(): void {
		if (this.#stopped || this.#state.inFlight) {
			return;
		}

		void this.#poll();
	}

	togglePause(): void {
		if (this.#state.paused) {
			this.resume();
		} else {
			this.pause();
		}
	}

	pause(): void {
		if (this.#stopped || this.#state.paused) {
			return;
		}

		this.#clearTimer();
		this.#update({paused: true, nextPollAt: null});
	}

	resume(): void {
		if (this.#stopped || !this.#state.paused) {
			return;
		}

		this.#update({paused: false});
		if (!this.#state.inFlight) {
			const due = (this.#state.lastAttemptAt ?? 0) + this.#delayMs();
			this.#schedule(Math.max(0, due - this.#now()));
		}
	}

	/** One step along INTERVAL_STEPS; takes effect for the next scheduled poll. */
	stepInterval(direction: 1 | -1): void {
		const current = this.#state.intervalSeconds;
		const next =
			direction > 0
				? (INTERVAL_STEPS.find(step => step > current) ?? current)
				: ([...INTERVAL_STEPS].reverse().find(step => step < current) ?? current);
		if (next === current) {
			return;
		}

		this.#update({intervalSeconds: next});
		if (!this.#state.paused && !this.#state.inFlight && this.#state.lastAttemptAt !== null) {
			this.#schedule(Math.max(0, this.#state.lastAttemptAt + this.#delayMs() - this.#now()));
		}
	}

	async #poll(): Promise<void> {
		this.#clearTimer();
		const controller = new AbortController();
		this.#controller = controller;
		const startedAt = this.#now();
		this.#update({inFlight: true, inFlightSince: startedAt, lastAttemptAt: startedAt, nextPollAt: null});
		try {
			const snapshot = await this.source.fetchStatus(controller.signal);
			if (this.#stopped) {
				return;
			}

			this.options.onSnapshot?.(snapshot);
			this.#update({inFlight: false, inFlightSince: null, lastSuccessAt: this.#now(), error: null, consecutiveFailures: 0});
		} catch (error) {
			if (this.#stopped) {
				return;
			}

			const pollError = toPollError(error);
			this.options.onFailure?.(pollError, this.#now());
			this.#update({
				inFlight: false,
				inFlightSince: null,
				error: pollError,
				consecutiveFailures: this.#state.consecutiveFailures + 1,
			});
		} finally {
			if (this.#controller === controller) {
				this.#controller = undefined;
			}
		}

		if (!this.#state.paused && !this.#stopped) {
			this.#schedule(this.#delayMs());
		}
	}

	#delayMs(): number {
		const interval = this.#state.intervalSeconds;
		const failures = this.#state.consecutiveFailures;
		if (failures === 0) {
			return interval * 1000;
		}

		const cap = Math.max(interval, MAX_BACKOFF_SECONDS);
		return Math.min(interval * 2 ** (failures - 1), cap) * 1000;
	}

	#schedule(delayMs: number): void {
		this.#clearTimer();
		this.#update({nextPollAt: this.#now() + delayMs});
		this.#timer = setTimeout(() => {
			this.#timer = undefined;
			void this.#poll();
		}, delayMs);
	}

	#clearTimer(): void {
		if (this.#timer !== undefined) {
			clearTimeout(this.#timer);
			this.#timer = undefined;
		}
	}

	#update(change: Partial<PollState>): void {
		this.#state = {...this.#state, ...change};
		for (const listener of this.#listeners) {
			listener(this.#state);
		}
	}
}

/** Anything a source throws becomes a sentence; a bug must not take the dashboard down. */
export function toPollError(error: unknown): PollError {
	if (typeof error === 'object' && error !== null && 'kind' in error && 'message' in error && 'action' in error) {
		const {kind, message, action} = error as {kind: unknown; message: unknown; action: unknown};
		const retryable = 'retryable' in error ? Boolean((error as {retryable: unknown}).retryable) : true;
		if (typeof kind === 'string' && typeof message === 'string' && typeof action === 'string') {
			return {kind, message, action, retryable};
		}
	}

	return {
		kind: 'unknown',
		message: 'The status request failed unexpectedly.',
		action: 'It will be retried; if it keeps failing, run with --once to see the error alone.',
		retryable: true,
	};
}

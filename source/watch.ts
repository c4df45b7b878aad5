import {addFailure, addSnapshot, emptyHistory, type History} from './model/history.js';
import {Poller} from './poller.js';
import type {StatusSource} from './tableau/status-source.js';

export interface WatchOptions {
	readonly intervalSeconds: number;
	readonly minIntervalSeconds?: number;
	readonly initialHistory?: History;
}

/** A Poller whose answers are folded into the model's history: what the dashboard shows. */
export interface Watch {
	readonly source: StatusSource;
	readonly poller: Poller;
	history(): History;
	/**
	 * Resolves once the first request has an answer or a failure, or after waitMs, whichever is first.
	 * The dashboard starts polling while Ink loads and mounts with this answer in hand, so its first
	 * frame is a complete one instead of an empty frame followed by the data a moment later.
	 */
	firstAnswer(waitMs: number): Promise<void>;
}

export function createWatch(source: StatusSource, options: WatchOptions): Watch {
	let history = options.initialHistory ?? emptyHistory();
	const poller = new Poller(source, {
		intervalSeconds: options.intervalSeconds,
		minIntervalSeconds: options.minIntervalSeconds,
		onSnapshot(snapshot) {
			history = addSnapshot(history, snapshot);
		},
		onFailure(_error, at) {
			history = addFailure(history, at);
		},
	});
	const answered = () => poller.state.lastSuccessAt !== null || poller.state.error !== null;
	return {
		source,
		poller,
		// The poller reports its state right after each callback, so the history read then is current.
		history: () => history,
		firstAnswer(waitMs) {
			if (answered()) {
				return Promise.resolve();
			}

			return new Promise<void>(resolve => {
				const done = () => {
					clearTimeout(timer);
					unsubscribe();
					resolve();
				};

				const timer = setTimeout(done, waitMs);
				const unsubscribe = poller.subscribe(() => {
					if (answered()) {
						done();
					}
				});
			});
		},
	};
}

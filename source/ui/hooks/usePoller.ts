import {useEffect, useMemo, useState} from 'react';
import {addFailure, addSnapshot, emptyHistory, type History} from '../../model/history.js';
import type {BackfillProgress} from '../../model/progress.js';
import {deriveProgress} from '../../model/rates.js';
import {Poller, type PollState} from '../../poller.js';
import type {StatusSource} from '../../tableau/status-source.js';
import {SPINNER_AFTER_MS} from '../Header.js';

export interface PollerView {
	readonly poll: PollState;
	readonly history: History;
	readonly progress: BackfillProgress | null;
	refreshNow(): void;
	togglePause(): void;
	stepInterval(direction: 1 | -1): void;
}

interface Tracked {
	readonly poll: PollState;
	readonly history: History;
}

/**
 * Runs a Poller for the component's lifetime and folds what it brings into the model's history.
 * One render per poll: the poller's state changes of one moment (the answer, then the next poll's
 * schedule) are shown together, and the start of a request is not shown at all unless it is still
 * running after SPINNER_AFTER_MS (the spinner) or an error's countdown is on screen. Every Ink render
 * redraws the whole tree, so a render that shows nothing new costs CPU for nothing.
 */
export function usePoller(source: StatusSource, options: {intervalSeconds: number; minIntervalSeconds?: number; initialHistory?: History}): PollerView {
	const [setup] = useState(() => {
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
		// The poller reports its state right after each callback, so the history read here is current.
		return {poller, currentHistory: () => history};
	});
	const {poller} = setup;
	const [tracked, setTracked] = useState<Tracked>(() => ({poll: poller.state, history: setup.currentHistory()}));
	useEffect(() => {
		let shown: Tracked = {poll: poller.state, history: setup.currentHistory()};
		let flush: NodeJS.Immediate | undefined;
		let spinner: NodeJS.Timeout | undefined;
		const show = () => {
			const next = {poll: poller.state, history: setup.currentHistory()};
			if (worthShowing(shown, next)) {
				shown = next;
				setTracked(next);
			}
		};

		const unsubscribe = poller.subscribe(poll => {
			flush ??= setImmediate(() => {
				flush = undefined;
				show();
			});
			clearTimeout(spinner);
			spinner = undefined;
			if (poll.inFlightSince !== null) {
				const since = poll.inFlightSince;
				spinner = setTimeout(() => {
					spinner = undefined;
					if (poller.state.inFlightSince === since) {
						shown = {poll: poller.state, history: setup.currentHistory()};
						setTracked(shown);
					}
				}, SPINNER_AFTER_MS);
			}
		});
		poller.start();
		return () => {
			unsubscribe();
			clearImmediate(flush);
			clearTimeout(spinner);
			poller.stop();
		};
	}, [poller, setup]);
	const progress = useMemo(() => deriveProgress(tracked.history), [tracked.history]);
	return {
		poll: tracked.poll,
		history: tracked.history,
		progress,
		refreshNow: () => poller.refreshNow(),
		togglePause: () => poller.togglePause(),
		stepInterval: direction => poller.stepInterval(direction),
	};
}

/**
 * Whether a new poll state changes anything on screen. A request starting or the next one being
 * scheduled does not, unless an error is shown (its banner counts down to the retry and says when
 * one is running) or a spinner is up that must now stop.
 */
function worthShowing(shown: Tracked, next: Tracked): boolean {
	const a = shown.poll;
	const b = next.poll;
	if (shown.history !== next.history || a.paused !== b.paused || a.intervalSeconds !== b.intervalSeconds) {
		return true;
	}

	if (a.lastSuccessAt !== b.lastSuccessAt || a.error !== b.error || a.consecutiveFailures !== b.consecutiveFailures) {
		return true;
	}

	if (a.inFlightSince !== null && b.inFlightSince === null) {
		return true;
	}

	return (a.error !== null || b.error !== null) && (a.inFlight !== b.inFlight || a.nextPollAt !== b.nextPollAt);
}

import {useEffect, useMemo, useRef, useState} from 'react';
import type {History} from '../../model/history.js';
import type {BackfillProgress} from '../../model/progress.js';
import {deriveProgress} from '../../model/rates.js';
import type {PollState} from '../../poller.js';
import type {Watch} from '../../watch.js';
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
 * Shows a Watch (a Poller folding its answers into the model's history) for the component's
 * lifetime, and stops it at unmount.
 * One render per poll: the poller's state changes of one moment (the answer, then the next poll's
 * schedule) are shown together, and the start of a request is not shown at all unless it is still
 * running after SPINNER_AFTER_MS (the spinner) or an error's countdown is on screen. Every Ink render
 * redraws the whole tree, so a render that shows nothing new costs CPU for nothing.
 */
export function usePoller(watch: Watch): PollerView {
	const {poller} = watch;
	const [tracked, setTracked] = useState<Tracked>(() => ({poll: poller.state, history: watch.history()}));
	const rendered = useRef(tracked);
	useEffect(() => {
		// The watch may have started before the mount (the dashboard polls while Ink loads): anything
		// it brought between the first render and this effect is shown now.
		let shown: Tracked = rendered.current;
		let flush: NodeJS.Immediate | undefined;
		let spinner: NodeJS.Timeout | undefined;
		const show = () => {
			const next = {poll: poller.state, history: watch.history()};
			if (worthShowing(shown, next)) {
				shown = next;
				setTracked(next);
			}
		};

		const onState = (poll: PollState) => {
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
						shown = {poll: poller.state, history: watch.history()};
						setTracked(shown);
					}
				}, SPINNER_AFTER_MS - (Date.now() - since));
			}
		};

		const unsubscribe = poller.subscribe(onState);
		onState(poller.state);
		poller.start();
		return () => {
			unsubscribe();
			clearImmediate(flush);
			clearTimeout(spinner);
			poller.stop();
		};
	}, [poller, watch]);
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

import {useEffect, useMemo, useState} from 'react';
import {addFailure, addSnapshot, emptyHistory, type History} from '../../model/history.js';
import type {BackfillProgress} from '../../model/progress.js';
import {deriveProgress} from '../../model/rates.js';
import {Poller, type PollState} from '../../poller.js';
import type {StatusSource} from '../../tableau/status-source.js';

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
 * History and poll state change together in one state update, so a poll renders once.
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
		const unsubscribe = poller.subscribe(poll => setTracked({poll, history: setup.currentHistory()}));
		poller.start();
		return () => {
			unsubscribe();
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

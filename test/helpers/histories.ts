import {addFailure, addSnapshot, emptyHistory, type History} from '../../source/model/history.js';
import {scenarioByName} from '../../source/simulator/scenarios.js';
import {normalize} from '../../source/tableau/schema.js';

export const START = Date.parse('2026-12-03T08:00:00Z');

/**
 * The history a monitor would hold after polling a simulator scenario every `pollSeconds` of server
 * time from `fromSeconds` to `untilSeconds` after the backfill began; polls inside `outages`
 * (server seconds) fail.
 */
export function scenarioHistory(
	name: string,
	untilSeconds: number,
	options: {pollSeconds?: number; fromSeconds?: number; outages?: ReadonlyArray<readonly [number, number]>} = {},
): History {
	const scenario = scenarioByName(name);
	if (!scenario) {
		throw new Error(`no scenario ${name}`);
	}

	const step = options.pollSeconds ?? 60;
	let history = emptyHistory();
	for (let t = options.fromSeconds ?? 0; t <= untilSeconds; t += step) {
		const at = START + t * 1000;
		if (options.outages?.some(([from, to]) => t >= from && t < to)) {
			history = addFailure(history, at);
			continue;
		}

		history = addSnapshot(history, normalize(scenario.statusAt(t, START), {receivedAt: at, serverTime: at}));
	}

	return history;
}

/**
 * A recording (source/record.ts, format version 1) of a simulator scenario's 15-second polls, as
 * `--record FILE` would have written it had the monitor watched the simulator for that long. The
 * memory benchmark starts the built command with `--record` on such a file: the command primes its
 * history from it exactly as a monitor restarted after days of polling does, then polls live.
 */
import {closeSync, openSync, writeSync} from 'node:fs';
import type {RecordEntry} from '../../source/record.js';
import type {Scenario} from '../../source/simulator/scenarios.js';
import {snapshotAt} from './scenario-polls.js';

export interface RecordingOptions {
	readonly scenario: Scenario;
	/** What the header names: the command primes only from sessions of the server it watches (host:port). */
	readonly server: string;
	/** Server ms of the scenario's start (the simulator's startTime). */
	readonly start: number;
	/** Server seconds of polls to write, from the first poll at pollSeconds. */
	readonly seconds: number;
	readonly pollSeconds: number;
	readonly tool: string;
}

/** Writes the file and returns how many polls it holds. */
export function writeScenarioRecording(path: string, options: RecordingOptions): number {
	const fd = openSync(path, 'w', 0o600);
	try {
		const header: RecordEntry = {v: 1, type: 'header', server: options.server, site: '', startedAt: new Date(options.start).toISOString(), tool: options.tool};
		const lines = [JSON.stringify(header)];
		let polls = 0;
		for (let elapsed = options.pollSeconds; elapsed <= options.seconds; elapsed += options.pollSeconds) {
			const snapshot = snapshotAt(options.scenario, elapsed, options.start);
			const entry: RecordEntry = {v: 1, type: 'snapshot', at: snapshot.receivedAt, snapshot};
			lines.push(JSON.stringify(entry));
			polls++;
			// Written in batches: a week is about 50 MB, which need not sit in this process at once.
			if (lines.length >= 1000) {
				writeSync(fd, `${lines.join('\n')}\n`);
				lines.length = 0;
			}
		}

		if (lines.length > 0) {
			writeSync(fd, `${lines.join('\n')}\n`);
		}

		return polls;
	} finally {
		closeSync(fd);
	}
}

/**
 * The simulator in a process of its own, so that the monitor under measurement is alone in its
 * process and the benchmark's own polling cannot slow the server's answers (a late answer would earn
 * the spinner and distort the byte counts). Prints one JSON line with the URL, then serves until
 * killed; on SIGTERM it first writes the status requests it answered (client ms and the scenario's
 * elapsed server seconds at that moment) to `requestLog`, if given.
 * argv: scenario timeScale elapsedAtStart [requestLog]
 */
import {writeFileSync} from 'node:fs';
import {startSimulator} from '../../source/simulator/index.js';

const [scenario = 'realistic', timeScale = '1', elapsedAtStart = '0', requestLog] = process.argv.slice(2);
const scale = Number(timeScale);
const skipped = Number(elapsedAtStart);
const realStart = Date.now();
const simulator = await startSimulator({scenario, timeScale: scale, elapsedAtStart: skipped, startTime: realStart - skipped * 1000});
process.stdout.write(`${JSON.stringify({url: simulator.url, patName: simulator.credentials.patName, patSecret: simulator.credentials.patSecret})}\n`);

/** One answered status request: when it finished (client ms) and the scenario time it showed. */
export interface AnsweredRequest {
	readonly at: number;
	readonly elapsed: number;
	readonly status: number;
}

const stop = () => {
	if (requestLog) {
		const answered: AnsweredRequest[] = simulator
			.stats()
			.requests.filter(r => r.path.includes('/backfill/status'))
			.map(r => ({at: r.at, elapsed: skipped + ((r.at - realStart) / 1000) * scale, status: r.status}));
		writeFileSync(requestLog, JSON.stringify(answered));
	}

	void simulator.close().then(() => process.exit(0));
};

process.on('SIGTERM', stop);
process.on('SIGINT', stop);

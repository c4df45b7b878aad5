import type {RecordEntry} from '../../source/record.js';
import {MIN, poll, steadyType} from './snapshots.js';

/** Servers whose names are several bytes a character in UTF-8, so that chunk boundaries can cut one. */
export const NON_ASCII_SERVER = 'tåbleau.exämple.com:8443 — 東京 🚀';
export const ASCII_SERVER = 'tableau.test';
/** A hand-edited header: control characters are cleaned when read, so it primes for the cleaned name. */
export const CONTROL_SERVER = 'evil\u001B]2;pwned\u0007.example';
export const CONTROL_SERVER_CLEANED = 'evil?]2;pwned?.example';

function line(entry: RecordEntry): string {
	return `${JSON.stringify(entry)}\n`;
}

function header(server: string, startedAt: number): string {
	return line({v: 1, type: 'header', server, site: '', startedAt: new Date(startedAt).toISOString(), tool: 'backfill-top test'});
}

/**
 * One session's polls, one a minute from `fromMin`: every seventh a failure, some of them without
 * `retryable` (written before it existed). Content types are named in the server's script, so
 * each line carries multi-byte characters too.
 */
function session(server: string, fromMin: number, polls: number): string {
	const lines = [header(server, 5_000_000 + fromMin * MIN)];
	for (let i = 0; i < polls; i++) {
		const at = (fromMin + i) * MIN;
		if (i % 7 === 3) {
			const error: RecordEntry =
				i % 14 === 3
					? {v: 1, type: 'error', at: 5_000_000 + at, kind: 'timeout', message: 'The server did not answer within 20 seconds.', action: 'It will be retried.', retryable: true}
					: {v: 1, type: 'error', at: 5_000_000 + at, kind: 'unreachable', message: 'Connection refused.', action: 'Check the VPN.'};
			lines.push(line(error));
		} else {
			const snapshot = poll(at, [steadyType('Workbook', at, 10, 100_000), steadyType('Flöw 流れ', at, 3, 50_000, 2), steadyType('Métric', at, 1, 9000, 1)]);
			lines.push(line({v: 1, type: 'snapshot', at: snapshot.receivedAt, snapshot}));
		}
	}

	return lines.join('');
}

/**
 * Sessions of two servers appended to one file, as restarts with the same --record FILE leave it:
 * a crash's partial line mid-file (the next session's Recorder put a newline after it), blank and
 * foreign lines, an entry of another format version, a session whose header holds control
 * characters, and a partial last line.
 */
export function multiSessionRecording(pollsPerSession: number): string {
	const n = pollsPerSession;
	return [
		session(ASCII_SERVER, 0, n),
		session(NON_ASCII_SERVER, 0, n),
		'{"v":1,"type":"snapshot","at":12,"snapshot":{"receivedAt":12,"con\n',
		session(ASCII_SERVER, n + 5, n),
		'\n   \n',
		'not a recording line\n',
		'{"v":2,"type":"snapshot","at":1,"snapshot":{}}\n',
		session(NON_ASCII_SERVER, n + 5, n),
		session(CONTROL_SERVER, 0, n),
		session(ASCII_SERVER, 2 * n + 10, n),
		'{"v":1,"type":"header","server":"tåbleau.exä',
	].join('');
}

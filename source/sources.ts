import {UsageError, type RunConfig} from './config.js';
import {emptyHistory, type History} from './model/history.js';
import {isRecordingOrEmpty, primeHistoryFromFile, readRecording, Recorder, recordingSource, ReplaySource, type FailureClock} from './record.js';
import {connect, type Credentials} from './tableau/client.js';
import type {StatusSource} from './tableau/status-source.js';
import {startSimulator, type Simulator} from './simulator/index.js';
import {existsSync} from 'node:fs';

export interface OpenedSource {
	readonly source: StatusSource;
	/** Lines for stderr before anything else is drawn (a serverinfo fallback; run.ts prints the --insecure warning before sign-in). */
	readonly notices: readonly string[];
	readonly initialHistory: History;
	/** A replay ends when its recording does. */
	readonly finished?: Promise<void>;
	/** When the last failure happened according to the recording or the replay. */
	readonly failureClock?: FailureClock;
	/** Signs out, stops the embedded simulator, closes the recording. */
	close(): Promise<void>;
}

export interface OpenContext {
	readonly tool: string;
	readonly askPassword: (username: string) => Promise<string>;
	readonly signal: AbortSignal;
	/** Replays drawn on a dashboard move receive times to the present. */
	readonly shiftReplayTimes: boolean;
}

/** Builds the StatusSource a run reads from: a signed-in client, the demo simulator, or a recording. */
export async function openSource(config: RunConfig, context: OpenContext): Promise<OpenedSource> {
	const source = config.source;
	if (source.kind === 'replay') {
		const {entries, skipped} = readFileFor('--replay', source.file, readRecording);
		if (!entries.some(e => e.type !== 'header')) {
			const why = skipped > 0 ? 'not a recording: no line of it could be read as one' : 'it holds no polls';
			throw new UsageError(`--replay ${source.file}: ${why} (a recording is what --record FILE writes)`);
		}

		const replay = new ReplaySource(entries, {speed: source.speed, shiftTimes: context.shiftReplayTimes});
		return {source: replay, notices: [], initialHistory: emptyHistory(), finished: replay.finished, failureClock: replay, close: async () => undefined};
	}

	// The recording is checked and opened before anything touches the network, so a bad path is a
	// usage error, not a session signed in and left behind. It is only checked here: its entries are
	// read after sign-in, straight into the history, so that a week of polls is never held at once.
	let previous: string | undefined;
	let recorder: Recorder | undefined;
	if (config.record !== undefined) {
		if (existsSync(config.record)) {
			if (!readFileFor('--record', config.record, isRecordingOrEmpty)) {
				throw new UsageError(`--record ${config.record}: the file exists and is not a recording; give a new file or an earlier recording`);
			}

			previous = config.record;
		}

		try {
			recorder = new Recorder(config.record);
		} catch (error) {
			throw new UsageError(`--record ${config.record}: ${fileProblem(error)}`);
		}
	}

	let simulator: Simulator | undefined;
	const notices: string[] = [];
	let client;
	try {
		if (source.kind === 'demo') {
			simulator = await startSimulator({scenario: source.scenario, timeScale: source.timeScale});
			const {patName, patSecret} = simulator.credentials;
			client = await connect(
				{server: simulator.url, site: '', credentials: {kind: 'pat', name: patName, secret: patSecret}, timeoutSeconds: config.timeoutSeconds, mode: 'demo'},
				context.signal,
			);
		} else {
			const credentials: Credentials =
				source.auth.kind === 'password-prompt'
					? {kind: 'password', username: source.auth.username, password: await context.askPassword(source.auth.username)}
					: source.auth;
			client = await connect(
				{
					server: source.server,
					site: source.site,
					credentials,
					apiVersion: source.apiVersion,
					timeoutSeconds: config.timeoutSeconds,
					caFile: source.caFile,
					insecure: source.insecure,
					mode: 'live',
				},
				context.signal,
			);
		}
	} catch (error) {
		recorder?.close();
		await simulator?.close();
		throw error;
	}

	notices.push(...client.notices);
	let initialHistory = emptyHistory();
	let statusSource: StatusSource = client;
	let failureClock: FailureClock | undefined;
	if (recorder !== undefined) {
		if (previous !== undefined) {
			try {
				initialHistory = readFileFor('--record', previous, file => primeHistoryFromFile(file, client.description.server));
			} catch (error) {
				// The file was readable when checked; failing now, it must not leave the session signed in.
				await client.close();
				recorder.close();
				await simulator?.close();
				throw error;
			}
		}

		const recording = recordingSource(client, recorder, context.tool);
		statusSource = recording;
		failureClock = recording;
	}

	const opened = statusSource;
	return {
		source: opened,
		notices,
		initialHistory,
		failureClock,
		async close() {
			await opened.close();
			await simulator?.close();
		},
	};
}

/** Reads `file` with `read`; a file that cannot be read is a mistake on the command line, named by its flag. */
function readFileFor<T>(flag: '--record' | '--replay', file: string, read: (file: string) => T): T {
	try {
		return read(file);
	} catch (error) {
		throw new UsageError(`${flag} ${file}: ${fileProblem(error)}`);
	}
}

function fileProblem(error: unknown): string {
	const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
	switch (code) {
		case 'ENOENT': {
			return 'no such file or directory';
		}

		case 'EACCES':
		case 'EPERM': {
			return 'permission denied';
		}

		case 'EISDIR': {
			return 'it is a directory';
		}

		default: {
			return 'cannot read or write it';
		}
	}
}

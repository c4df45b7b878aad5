import type {RunConfig} from './config.js';
import {emptyHistory, type History} from './model/history.js';
import {primeHistory, readRecording, Recorder, recordingSource, ReplaySource} from './record.js';
import {connect, INSECURE_WARNING, type Credentials} from './tableau/client.js';
import type {StatusSource} from './tableau/status-source.js';
import {startSimulator, type Simulator} from './simulator/index.js';
import {existsSync} from 'node:fs';

export interface OpenedSource {
	readonly source: StatusSource;
	/** Lines for stderr before anything else is drawn (the --insecure warning, a serverinfo fallback). */
	readonly notices: readonly string[];
	readonly initialHistory: History;
	/** A replay ends when its recording does. */
	readonly finished?: Promise<void>;
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
		const {entries} = readRecording(source.file);
		const replay = new ReplaySource(entries, {speed: source.speed, shiftTimes: context.shiftReplayTimes});
		return {source: replay, notices: [], initialHistory: emptyHistory(), finished: replay.finished, close: async () => undefined};
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
			if (source.insecure) {
				notices.push(INSECURE_WARNING);
			}

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
		await simulator?.close();
		throw error;
	}

	notices.push(...client.notices);
	let initialHistory = emptyHistory();
	let statusSource: StatusSource = client;
	if (config.record !== undefined) {
		if (existsSync(config.record)) {
			initialHistory = primeHistory(readRecording(config.record).entries, client.description.server);
		}

		statusSource = recordingSource(client, new Recorder(config.record), context.tool);
	}

	const opened = statusSource;
	return {
		source: opened,
		notices,
		initialHistory,
		async close() {
			await opened.close();
			await simulator?.close();
		},
	};
}

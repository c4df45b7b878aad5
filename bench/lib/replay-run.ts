/**
 * Runs bench/lib/replay-worker.js (the dashboard fed days of 15-second polls) once per `npm run
 * bench`, for both the memory and the render-cost tables.
 */
import {execFile} from 'node:child_process';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import type {BenchOptions} from './options.js';

export interface ReplayResult {
	readonly scenario: string;
	readonly polls: number;
	readonly seconds: number;
	readonly startRss: number;
	readonly rssAtDay: readonly number[];
	/** Heap used after the same collections, MB: what the bounded history and the views hold. */
	readonly heapAtDay: readonly number[];
	readonly renderMs: readonly number[];
	readonly pollToFrameMs: readonly number[];
	readonly bytes: number;
	readonly heapMb: number;
}

const WORKER = join(fileURLToPath(new URL('.', import.meta.url)), 'replay-worker.js');
/** A day of 15-second polls: the render-cost figures are over these. */
export const TIMED_POLLS = 5760;
let cached: Promise<ReplayResult> | undefined;

export function replayRun(options: BenchOptions, log: (line: string) => void): Promise<ReplayResult> {
	cached ??= new Promise((resolve, reject) => {
		log(`replay: ${options.days} days of 15-second polls of the 'week' scenario through the dashboard`);
		execFile(process.execPath, ['--expose-gc', WORKER, 'week', String(options.days), String(TIMED_POLLS)], {maxBuffer: 64 * 1024 * 1024, env: {...process.env, CI: undefined}}, (error, stdout) => {
			if (error) {
				reject(error);
				return;
			}

			const line = stdout.split('\n').find(l => l.startsWith('{'));
			if (!line) {
				reject(new Error(`replay worker printed no result: ${stdout.slice(0, 500)}`));
				return;
			}

			resolve(JSON.parse(line) as ReplayResult);
		});
	});
	return cached;
}

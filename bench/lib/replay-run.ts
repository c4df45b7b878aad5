/**
 * Runs bench/lib/replay-worker.js (the dashboard fed days of 15-second polls) once per `npm run
 * bench`, for both the memory and the render-cost tables.
 */
import {execFile} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
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
		const dir = mkdtempSync(join(tmpdir(), 'bft-replay-'));
		const resultFile = join(dir, 'result.json');
		execFile(process.execPath, ['--expose-gc', WORKER, 'week', String(options.days), String(TIMED_POLLS), resultFile], {env: {...process.env, CI: undefined}}, error => {
			try {
				if (error) {
					reject(error);
					return;
				}

				resolve(JSON.parse(readFileSync(resultFile, 'utf8')) as ReplayResult);
			} catch (parseError) {
				reject(parseError instanceof Error ? parseError : new Error(String(parseError)));
			} finally {
				rmSync(dir, {recursive: true, force: true});
			}
		});
	});
	return cached;
}

import type {BenchOptions} from './options.js';

/** One benchmark of `npm run bench`: `run` measures and returns the tables to print. */
export interface Benchmark {
	/** What `npm run bench -- NAME` selects. */
	readonly name: string;
	readonly title: string;
	run(options: BenchOptions, log: (line: string) => void): Promise<string>;
}

/** "met" / "MISSED" for a budget line. */
export function verdict(ok: boolean): string {
	return ok ? 'met' : 'MISSED';
}

/**
 * How long the benchmarks run. The defaults are the figures quoted in README; for a quick look,
 * BENCH_RUNS=1 BENCH_SECONDS=20 npm run bench (or --runs N / --seconds S after `--`).
 */
export interface BenchOptions {
	/** Repetitions of each terminal session (bytes, CPU). */
	readonly runs: number;
	/** Length of each session's measured window, seconds. */
	readonly seconds: number;
	/** Starts measured (exec to first complete frame). */
	readonly starts: number;
	/** Days of 15-second polls replayed for the memory figure (the first is also timed for render cost). */
	readonly days: number;
}

export function benchOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
	const flag = (name: string): string | undefined => {
		const index = argv.indexOf(`--${name}`);
		return index >= 0 ? argv[index + 1] : undefined;
	};

	const number = (name: string, envName: string, fallback: number): number => {
		const text = flag(name) ?? env[envName];
		const value = Number(text);
		return text !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
	};

	const runs = number('runs', 'BENCH_RUNS', 5);
	return {
		runs,
		seconds: number('seconds', 'BENCH_SECONDS', 60),
		starts: number('starts', 'BENCH_STARTS', runs >= 5 ? 10 : 2 * runs),
		days: number('days', 'BENCH_DAYS', 7),
	};
}

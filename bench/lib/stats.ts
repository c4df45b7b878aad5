/** Order statistics for benchmark figures; empty input gives NaN so that a missing figure shows as such. */

/**
 * The middle value; of an even count, the mean of the two middle ones (as statistics textbooks and
 * Python's statistics.median have it). The nearest-rank 50th percentile would report the lower of
 * the two: across eight ETA scenarios that flattered every estimator by a few points.
 */
export function median(values: readonly number[]): number {
	if (values.length === 0) {
		return Number.NaN;
	}

	const sorted = [...values].sort((a, b) => a - b);
	const upper = sorted.length / 2;
	const middle = sorted[Math.floor(upper)] ?? Number.NaN;
	return sorted.length % 2 === 1 ? middle : ((sorted[upper - 1] ?? Number.NaN) + middle) / 2;
}

/** Nearest-rank percentile (p in 0-100): always a value that was measured, never an interpolation. */
export function percentile(values: readonly number[], p: number): number {
	if (values.length === 0) {
		return Number.NaN;
	}

	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
	return sorted[Math.min(sorted.length, rank) - 1] ?? Number.NaN;
}

export function mean(values: readonly number[]): number {
	return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

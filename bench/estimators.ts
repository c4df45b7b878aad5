/**
 * The ETA estimators of four well-known progress tools, reimplemented from their sources so that they
 * can be fed the very observations backfill-top sees. Each watches one counter (one content type):
 * `observe` is called once per poll with the poll's time and the counter, as a wrapper that polls an
 * API and calls the tool's update function would; `eta` is what its bar would show at that moment.
 * Times are seconds. `null` means the tool shows no estimate.
 */
export interface CounterEstimator {
	observe(at: number, done: number): void;
	/** Seconds left, as displayed; null = no estimate shown. */
	eta(at: number): number | null;
	/** Items per second, as displayed; null = unknown. */
	rate(at: number): number | null;
}

export interface EstimatorKind {
	readonly name: string;
	/** How it estimates, for the report. */
	readonly rule: string;
	create(total: number): CounterEstimator;
}

/** pv: remaining / (transferred since start / elapsed since start), recomputed at every display. */
export const pv: EstimatorKind = {
	name: 'pv',
	rule: 'whole-run average: done since start / time since start',
	create(total) {
		let start: number | null = null;
		let done0 = 0;
		let done = 0;
		const rate = (at: number) => {
			if (start === null || at <= start) {
				return null;
			}

			return (done - done0) / (at - start);
		};

		return {
			observe(at, value) {
				if (start === null) {
					start = at;
					done0 = value;
				}

				done = value;
			},
			rate,
			eta(at) {
				const r = rate(at);
				return r === null || r <= 0 ? null : Math.max(0, total - done) / r;
			},
		};
	},
};

/**
 * tqdm 4.x `update()` with its defaults (smoothing 0.3, mininterval 0.1 s, maxinterval 10 s, dynamic
 * miniters) and its bias-corrected EMA of dn and dt. The bar is refreshed only inside update(), so the
 * ETA on screen is the one computed at the last refresh; before the first EMA sample format_meter
 * falls back to the overall average.
 */
export const tqdm: EstimatorKind = {
	name: 'tqdm',
	rule: 'EMA (0.3) of items and of seconds per refresh; ETA frozen between refreshes',
	create(total) {
		const smoothing = 0.3;
		const mininterval = 0.1;
		const maxinterval = 10;
		const emaDn = ema(smoothing);
		const emaDt = ema(smoothing);
		const emaMiniters = ema(smoothing);
		let startT: number | null = null;
		let n = 0;
		let lastPrintN = 0;
		let lastPrintT = 0;
		let miniters = 0;
		let shownEta: number | null = null;
		let shownRate: number | null = null;
		const refresh = (at: number) => {
			const elapsed = at - (startT ?? at);
			const dt = emaDt.value();
			let rate: number | null = dt ? emaDn.value() / dt : null;
			if (rate === null && elapsed) {
				rate = n / elapsed;
			}

			shownRate = rate;
			shownEta = rate ? Math.max(0, total - n) / rate : null;
		};

		return {
			observe(at, value) {
				if (startT === null) {
					startT = at;
					lastPrintT = at;
				}

				const increment = value - n;
				if (increment < 0) {
					lastPrintN += increment;
				}

				n += increment;
				if (n - lastPrintN >= miniters) {
					const dt = at - lastPrintT;
					if (dt >= mininterval) {
						const dn = n - lastPrintN;
						if (dt && dn) {
							emaDn.add(dn);
							emaDt.add(dt);
						}

						refresh(at);
						if (dt >= maxinterval) {
							miniters = (dn * mininterval) / dt;
						} else {
							emaMiniters.add(dn * (mininterval / dt));
							miniters = emaMiniters.value();
						}

						lastPrintN = n;
						lastPrintT = at;
					}
				}
			},
			rate: () => shownRate,
			eta: () => shownEta,
		};
	},
};

/**
 * rich.progress: samples of (time, items advanced) kept for `speed_estimate_period` (30 s); speed =
 * items of all but the first sample / time between first and last sample; ETA = ceil(remaining / speed).
 * `Progress.update(completed=...)` prunes old samples and appends one only when the count advanced.
 */
export const rich: EstimatorKind = {
	name: 'rich',
	rule: 'items over the last 30 s of updates (speed_estimate_period)',
	create(total) {
		const period = 30;
		const samples: Array<{at: number; advanced: number}> = [];
		let completed = 0;
		const speed = () => {
			const first = samples[0];
			const last = samples.at(-1);
			if (!first || !last) {
				return null;
			}

			const span = last.at - first.at;
			if (span === 0) {
				return null;
			}

			return samples.slice(1).reduce((sum, s) => sum + s.advanced, 0) / span;
		};

		return {
			observe(at, value) {
				const advanced = value - completed;
				completed = value;
				while (samples.length > 0 && (samples[0]?.at ?? at) < at - period) {
					samples.shift();
				}

				if (advanced > 0) {
					samples.push({at, advanced});
				}
			},
			rate: speed,
			eta() {
				const s = speed();
				return s ? Math.ceil(Math.max(0, total - completed) / s) : null;
			},
		};
	},
};

/**
 * indicatif 0.17 `Estimator`: a double-smoothed, time-based exponentially weighted rate whose weight
 * falls to 0.1 after 15 s, normalized for its finite history, recorded only when the position advances
 * and decayed by the time since the last advance when read. An ETA of 0 is shown while the rate is 0.
 */
export const indicatif: EstimatorKind = {
	name: 'indicatif',
	rule: '15 s time-EWMA (double-smoothed) of the step rate, decayed while nothing advances',
	create(total) {
		const weight = (age: number) => 0.1 ** (age / 15);
		let smoothed = 0;
		let doubleSmoothed = 0;
		let prevSteps = 0;
		let prevTime: number | null = null;
		let startTime = 0;
		let position = 0;
		const stepsPerSecond = (at: number) => {
			if (prevTime === null) {
				return 0;
			}

			const reweight = weight(at - prevTime);
			const totalWeight = 1 - weight(at - startTime);
			if (totalWeight <= 0) {
				return 0;
			}

			const sps = (smoothed * reweight) / totalWeight;
			const dsps = doubleSmoothed * reweight + sps * (1 - reweight);
			return dsps / totalWeight;
		};

		return {
			observe(at, value) {
				position = value;
				if (prevTime === null) {
					// The bar is created at the first poll; the estimator starts there.
					prevTime = at;
					startTime = at;
					prevSteps = value;
					return;
				}

				if (value <= prevSteps || at <= prevTime) {
					if (value < prevSteps) {
						prevSteps = value;
						smoothed = 0;
						doubleSmoothed = 0;
						prevTime = at;
						startTime = at;
					}

					return;
				}

				const dt = at - prevTime;
				const w = weight(dt);
				smoothed = smoothed * w + ((value - prevSteps) / dt) * (1 - w);
				const totalWeight = 1 - weight(at - startTime);
				doubleSmoothed = doubleSmoothed * w + (smoothed / totalWeight) * (1 - w);
				prevSteps = value;
				prevTime = at;
			},
			rate: stepsPerSecond,
			eta(at) {
				const sps = stepsPerSecond(at);
				return sps === 0 ? 0 : Math.max(0, total - position) / sps;
			},
		};
	},
};

export const ESTIMATORS: readonly EstimatorKind[] = [pv, tqdm, rich, indicatif];

/** tqdm's EMA: alpha * x + (1 - alpha) * last, divided by (1 - beta^calls) to undo the zero start. */
function ema(alpha: number): {add(x: number): void; value(): number} {
	let last = 0;
	let calls = 0;
	return {
		add(x) {
			last = alpha * x + (1 - alpha) * last;
			calls++;
		},
		value: () => (calls ? last / (1 - (1 - alpha) ** calls) : last),
	};
}

/**
 * Every unit on screen and in plain output is formatted here, so the dashboard, --plain, --once and
 * --wait say the same thing the same way. Inputs may be any number; outputs never read NaN or Infinity.
 */

/**
 * 1234567 -> "1,234,567" for a whole, non-negative number. Hand-written because Intl.NumberFormat
 * (and toLocaleString) maps about 7.5 MB of ICU's locale data into the process, for a comma.
 */
export function groupThousands(whole: number): string {
	const digits = String(whole);
	if (!/^\d+$/.test(digits)) {
		return digits;
	}

	let out = '';
	for (let end = digits.length; end > 0; end -= 3) {
		const start = Math.max(0, end - 3);
		out = start > 0 ? `,${digits.slice(start, end)}${out}` : `${digits.slice(start, end)}${out}`;
	}

	return out;
}

/** 1,234 ; with `narrow`, 12.5K / 12.5M above 9,999. */
export function formatCount(value: number, narrow = false): string {
	if (!Number.isFinite(value)) {
		return '?';
	}

	const n = Math.max(0, Math.round(value));
	if (!narrow || n < 10_000) {
		return groupThousands(n);
	}

	const units: Array<[number, string]> = [
		[1e9, 'G'],
		[1e6, 'M'],
		[1e3, 'K'],
	];
	for (const [size, suffix] of units) {
		if (n >= size) {
			const scaled = n / size;
			return `${scaled >= 100 ? Math.floor(scaled) : Math.floor(scaled * 10) / 10}${suffix}`;
		}
	}

	return groupThousands(n);
}

/**
 * Whole percent, floored so that 99.6% of an unfinished type reads 99%, never 100%. With `decimals`
 * one decimal (61.8%), also floored.
 */
export function formatPercent(percent: number, complete: boolean, decimals = 0): string {
	if (complete) {
		return decimals > 0 ? `${(100).toFixed(decimals)}%` : '100%';
	}

	const safe = Number.isFinite(percent) ? Math.min(Math.max(percent, 0), 100) : 0;
	const factor = 10 ** decimals;
	let floored = Math.floor(safe * factor) / factor;
	const ceiling = 100 - 1 / factor;
	if (floored > ceiling) {
		floored = ceiling;
	}

	return `${floored.toFixed(decimals)}%`;
}

/** 45s, 12m 05s, 6h 02m, 3d 04h. */
export function formatDuration(seconds: number): string {
	if (!Number.isFinite(seconds) || seconds < 0) {
		return '?';
	}

	const s = Math.floor(seconds);
	if (s < 60) {
		return `${s}s`;
	}

	const minutes = Math.floor(s / 60);
	if (minutes < 60) {
		return `${minutes}m ${pad(s % 60)}s`;
	}

	const hours = Math.floor(minutes / 60);
	if (hours < 24) {
		return `${hours}h ${pad(minutes % 60)}m`;
	}

	return `${Math.floor(hours / 24)}d ${pad(hours % 24)}h`;
}

/** Compact duration for narrow cells: 41m, 6h, 6h10m, 3d. */
export function formatShortDuration(seconds: number): string {
	if (!Number.isFinite(seconds) || seconds < 0) {
		return '?';
	}

	const minutes = Math.round(seconds / 60);
	if (minutes < 1) {
		return `${Math.max(0, Math.round(seconds))}s`;
	}

	if (minutes < 60) {
		return `${minutes}m`;
	}

	const hours = Math.floor(minutes / 60);
	if (hours < 24) {
		const rest = minutes % 60;
		return rest === 0 ? `${hours}h` : `${hours}h${pad(rest)}m`;
	}

	return `${Math.round(hours / 24)}d`;
}

/**
 * An estimate, rounded to units coarse enough not to pretend precision it lacks:
 * ~3m, ~40m (5 min steps), ~1h 10m (10 min steps), ~14h, ~3d 4h.
 */
export function formatEta(seconds: number): string {
	if (!Number.isFinite(seconds) || seconds < 0) {
		return '?';
	}

	const minutes = seconds / 60;
	if (minutes < 1) {
		return '<1m';
	}

	if (minutes < 15) {
		return `~${Math.round(minutes)}m`;
	}

	if (minutes < 60) {
		const rounded = Math.round(minutes / 5) * 5;
		return rounded >= 60 ? '~1h' : `~${rounded}m`;
	}

	if (minutes < 10 * 60) {
		const total = Math.round(minutes / 10) * 10;
		const hours = Math.floor(total / 60);
		const rest = total % 60;
		return rest === 0 ? `~${hours}h` : `~${hours}h ${pad(rest)}m`;
	}

	const hours = Math.round(minutes / 60);
	if (hours < 48) {
		return `~${hours}h`;
	}

	const days = Math.floor(hours / 24);
	const restHours = hours % 24;
	return restHours === 0 ? `~${days}d` : `~${days}d ${restHours}h`;
}

/** 12.4/min, 0.3/min, 1,240/min. */
export function formatRate(perMinute: number): string {
	if (!Number.isFinite(perMinute) || perMinute < 0) {
		return '?';
	}

	if (perMinute >= 100) {
		return `${groupThousands(Math.round(perMinute))}/min`;
	}

	if (perMinute >= 10) {
		return `${perMinute.toFixed(1)}/min`;
	}

	return `${(Math.round(perMinute * 10) / 10).toFixed(1)}/min`;
}

/** How old data is: 8s ago, 3m ago, 2h ago. */
export function formatAge(milliseconds: number): string {
	if (!Number.isFinite(milliseconds)) {
		return '?';
	}

	const s = Math.max(0, Math.floor(milliseconds / 1000));
	if (s < 60) {
		return `${s}s ago`;
	}

	const m = Math.floor(s / 60);
	if (m < 60) {
		return `${m}m ago`;
	}

	const h = Math.floor(m / 60);
	return h < 48 ? `${h}h ago` : `${Math.floor(h / 24)}d ago`;
}

/** Wall-clock time of day in the viewer's time zone: 14:02 or 14:02:11. */
export function formatClock(epochMs: number, withSeconds = false): string {
	if (!Number.isFinite(epochMs)) {
		return '--:--';
	}

	const date = new Date(epochMs);
	const hm = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
	return withSeconds ? `${hm}:${pad(date.getSeconds())}` : hm;
}

/** UTC timestamp for logs: 2026-12-03T14:02:11Z. */
export function formatTimestamp(epochMs: number): string {
	if (!Number.isFinite(epochMs)) {
		return '????-??-??T??:??:??Z';
	}

	return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function pad(n: number): string {
	return String(n).padStart(2, '0');
}

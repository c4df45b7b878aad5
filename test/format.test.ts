import {describe, expect, it} from 'vitest';
import {
	formatAge,
	formatCount,
	formatDuration,
	formatEta,
	formatPercent,
	formatRate,
	formatShortDuration,
	formatTimestamp,
	groupThousands,
} from '../source/model/format.js';

describe('format', () => {
	it('groups counts, and shortens them where narrow', () => {
		expect(formatCount(1234)).toBe('1,234');
		expect(formatCount(12_500_000)).toBe('12,500,000');
		expect(formatCount(12_500_000, true)).toBe('12.5M');
		expect(formatCount(9_999, true)).toBe('9,999');
		expect(formatCount(123_456, true)).toBe('123K');
		expect(formatCount(Number.NaN)).toBe('?');
	});

	it('groups thousands as en-US does, without loading ICU (every width up to 2^53)', () => {
		const icu = new Intl.NumberFormat('en-US', {maximumFractionDigits: 0});
		const values = [0, 7, 999, 1000, 10_000, 100_000, 999_999, 1_000_000, Number.MAX_SAFE_INTEGER];
		for (let digits = 1; digits <= 16; digits++) {
			values.push(Math.floor(10 ** (digits - 1) + ((digits * 7919) % 9) * 10 ** (digits - 1) * 0.1));
		}

		for (const value of values) {
			expect(groupThousands(value), String(value)).toBe(icu.format(value));
		}
	});

	it('never says 100% before the type is complete', () => {
		expect(formatPercent(99.97, false)).toBe('99%');
		expect(formatPercent(100, false)).toBe('99%');
		expect(formatPercent(100, true)).toBe('100%');
		expect(formatPercent(61.87, false, 1)).toBe('61.8%');
		expect(formatPercent(99.99, false, 1)).toBe('99.9%');
		expect(formatPercent(Number.NaN, false)).toBe('0%');
	});

	it('formats durations, estimates, rates and ages', () => {
		expect(formatDuration(6 * 3600 + 2 * 60 + 5)).toBe('6h 02m');
		expect(formatDuration(45)).toBe('45s');
		expect(formatDuration(3 * 86_400 + 4 * 3600)).toBe('3d 04h');
		expect(formatShortDuration(41 * 60)).toBe('41m');
		expect(formatShortDuration(6 * 3600)).toBe('6h');
		expect(formatEta(70 * 60)).toBe('~1h 10m');
		expect(formatEta(38 * 60)).toBe('~40m');
		expect(formatEta(20)).toBe('<1m');
		expect(formatEta(30 * 3600)).toBe('~30h');
		expect(formatEta(76 * 3600)).toBe('~3d 4h');
		expect(formatEta(Number.POSITIVE_INFINITY)).toBe('?');
		expect(formatRate(12.44)).toBe('12.4/min');
		expect(formatRate(0.34)).toBe('0.3/min');
		expect(formatRate(1240)).toBe('1,240/min');
		expect(formatAge(8_400)).toBe('8s ago');
		expect(formatAge(-5)).toBe('0s ago');
		expect(formatAge(3 * 3600_000)).toBe('3h ago');
		expect(formatTimestamp(Date.parse('2026-12-03T14:02:11.456Z'))).toBe('2026-12-03T14:02:11Z');
	});
});

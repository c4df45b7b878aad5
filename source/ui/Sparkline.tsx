import {Box, Text} from 'ink';
import type {Theme} from './theme.js';

/**
 * One cell per slot, newest at the right, scaled from zero to `max` (not min-max: a drop to zero
 * must look like one). A gap (null) is drawn as a gap, never as the lowest bar.
 */
export function sparklineText(points: readonly (number | null)[], width: number, max: number | null, theme: Theme): string {
	const levels = theme.glyphs.spark;
	const slots = points.slice(-Math.max(0, width));
	const top = max !== null && max > 0 ? max : 0;
	const cells = slots.map(point => {
		if (point === null || !Number.isFinite(point)) {
			return theme.glyphs.gap;
		}

		if (top === 0) {
			return levels[0] ?? '_';
		}

		const index = Math.min(levels.length - 1, Math.max(0, Math.round((point / top) * (levels.length - 1))));
		return levels[index] ?? '_';
	});
	return cells.join('').padStart(Math.max(0, width), ' ');
}

/**
 * The same, `height` rows tall: each value fills `height x 8` levels, full blocks below a partial
 * top cell (as k9s draws its pulses). Row 0 is the top. One row is exactly sparklineText.
 */
export function sparklineRows(points: readonly (number | null)[], width: number, height: number, max: number | null, theme: Theme): string[] {
	if (height <= 1) {
		return [sparklineText(points, width, max, theme)];
	}

	const levels = theme.glyphs.spark;
	const steps = levels.length;
	const slots = points.slice(-Math.max(0, width));
	const top = max !== null && max > 0 ? max : 0;
	const heights = slots.map(point => (point === null || !Number.isFinite(point) ? null : top === 0 ? 1 : Math.max(1, Math.round((point / top) * height * steps))));
	const rows: string[] = [];
	for (let row = 0; row < height; row++) {
		const floor = (height - 1 - row) * steps;
		const cells = heights.map(level => {
			if (level === null) {
				return row === height - 1 ? theme.glyphs.gap : ' ';
			}

			const fill = level - floor;
			if (fill <= 0) {
				return ' ';
			}

			return fill >= steps ? (levels[steps - 1] ?? '#') : (levels[fill - 1] ?? '#');
		});
		rows.push(cells.join('').padStart(Math.max(0, width), ' '));
	}

	return rows;
}

export function Sparkline(props: {points: readonly (number | null)[]; width: number; height?: number; max: number | null; theme: Theme}) {
	const rows = sparklineRows(props.points, props.width, props.height ?? 1, props.max, props.theme);
	return (
		<Box flexDirection="column">
			{rows.map((row, index) => (
				<Text key={index} color={props.theme.colors.accent}>
					{row}
				</Text>
			))}
		</Box>
	);
}

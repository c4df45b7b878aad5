import {Text} from 'ink';
import type {Theme} from './theme.js';

/** A bar exactly `width` cells wide; width comes from the layout, never measured at render time. */
export function progressBarText(fraction: number, width: number, theme: Theme): {filled: string; empty: string} {
	const cells = Math.max(0, Math.floor(width));
	const safe = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
	const exact = safe * cells;
	let full = Math.floor(exact);
	const partials = theme.glyphs.barPartial;
	const eighth = partials.length > 0 ? Math.floor((exact - full) * 8) : 0;
	let partial = eighth > 0 && full < cells ? (partials[eighth - 1] ?? '') : '';
	// An unfinished bar never looks finished: its last cell stays empty.
	if (safe < 1 && cells > 0 && full + (partial ? 1 : 0) >= cells) {
		full = cells - 1;
		partial = '';
	}

	const filled = theme.glyphs.barFull.repeat(full) + partial;
	return {filled, empty: theme.glyphs.barEmpty.repeat(Math.max(0, cells - full - (partial ? 1 : 0)))};
}

export function ProgressBar(props: {fraction: number; width: number; theme: Theme; color?: string}) {
	const {filled, empty} = progressBarText(props.fraction, props.width, props.theme);
	return (
		<Text>
			<Text color={props.color}>{filled}</Text>
			<Text color={props.theme.colors.muted}>{empty}</Text>
		</Text>
	);
}

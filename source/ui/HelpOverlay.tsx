import {Box, Text} from 'ink';
import {formatShortDuration} from '../model/format.js';
import {LASTING_CHANGE_MS} from '../model/rates.js';
import type {Theme} from './theme.js';

export function helpLines(theme: Theme): string[] {
	const g = theme.glyphs;
	return [
		'Keys',
		'  r, space   refresh now (also while paused)',
		'  p          pause / resume polling: no requests while paused',
		`  ${g.up} ${g.down}  k j  select a content type or Lineage; the sparkline follows`,
		'  + -        poll interval up / down (at least 2 s)',
		'  ?  Esc     this help, and close it',
		'  q  Ctrl-C  quit (signs out, restores the terminal)',
		'',
		'Glyphs',
		`  ${g.state.done} done   ${g.state.running} running   ${g.state.stalled} stalled   ${g.state.waiting} waiting   3 ${g.failed} = 3 failed items`,
		`  throughput: one cell per 5 minutes of server time; ${theme.ascii ? 'a blank' : g.gap} = no data (not zero)`,
		'',
		'Badges',
		'  PAUSED  polling is paused        ERROR  the last poll failed; last good data shown',
		'  STALE   data older than two intervals',
		'',
		'A type is stalled when its checkpoint has not advanced for 15 minutes of server time.',
		`ETA: remaining items at the run's usual rate, or since a change that lasted ${formatShortDuration(LASTING_CHANGE_MS / 1000)}; content: slowest type.`,
	];
}

export function HelpOverlay(props: {width: number; height: number; theme: Theme}) {
	const lines = helpLines(props.theme).slice(0, Math.max(1, props.height - 2));
	return (
		<Box flexDirection="column" borderStyle={props.theme.glyphs.border} width={props.width} paddingX={1}>
			{lines.map((line, index) => (
				<Text key={index} bold={index === 0 || line === 'Glyphs' || line === 'Badges'} wrap="truncate-end">
					{line === '' ? ' ' : line}
				</Text>
			))}
		</Box>
	);
}

import {Box, Text} from 'ink';
import {formatCount, formatEta, formatPercent, formatRate} from '../model/format.js';
import type {LineageProgress} from '../model/progress.js';
import {stateText} from '../modes/summary.js';
import {progressBarText} from './ProgressBar.js';
import type {Theme} from './theme.js';

export function LineagePanel(props: {lineage: LineageProgress; width: number; theme: Theme; dim: boolean}) {
	const {lineage, width, theme} = props;
	if (!lineage.started) {
		return (
			<Box flexDirection="column">
				<Text color={theme.colors.muted} dimColor={props.dim} wrap="truncate-end">
					waiting for content backfill
				</Text>
				<Text color={theme.colors.muted}>last: none yet</Text>
			</Box>
		);
	}

	const dot = ` ${theme.glyphs.dot} `;
	const parts = [`${formatCount(lineage.processed, width < 50)} / ${formatCount(lineage.total, width < 50)}`, formatPercent(lineage.percent, lineage.complete)];
	if (lineage.ratePerMinute !== null) {
		parts.push(formatRate(lineage.ratePerMinute));
	}

	if (lineage.state === 'running' && lineage.etaSeconds !== null) {
		parts.push(formatEta(lineage.etaSeconds));
	} else if (lineage.state !== 'running') {
		parts.push(stateText(lineage));
	}

	const numbers = parts.join(dot);
	const barWidth = Math.max(0, width - numbers.length - 3);
	const bar = barWidth >= 6 ? progressBarText(lineage.complete ? 1 : lineage.total > 0 ? lineage.processed / lineage.total : 0, barWidth, theme) : null;
	const color = lineage.state === 'stalled' ? theme.colors.stalled : lineage.complete ? theme.colors.done : theme.colors.running;
	return (
		<Box flexDirection="column">
			<Text dimColor={props.dim} wrap="truncate-end">
				<Text color={color}>{theme.glyphs.state[lineage.state]}</Text>{' '}
				{bar ? (
					<>
						<Text color={color}>{bar.filled}</Text>
						<Text color={theme.colors.muted}>{bar.empty}</Text>{' '}
					</>
				) : null}
				{numbers}
			</Text>
			<Text dimColor={props.dim} color={theme.colors.muted} wrap="truncate-end">
				{`last: ${lineage.lastConnection ?? 'none yet'}`}
			</Text>
		</Box>
	);
}

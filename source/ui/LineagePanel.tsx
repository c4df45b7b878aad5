import {Box, Text} from 'ink';
import {formatClock, formatCount, formatDuration, formatEta, formatPercent, formatRate} from '../model/format.js';
import type {LineageProgress} from '../model/progress.js';
import {stateText} from '../modes/summary.js';
import {fitText} from './columns.js';
import {ProgressBar} from './ProgressBar.js';
import type {Theme} from './theme.js';

function lineageColor(lineage: LineageProgress, theme: Theme): string | undefined {
	return lineage.state === 'stalled' ? theme.colors.stalled : lineage.complete ? theme.colors.done : theme.colors.running;
}

function numbersText(lineage: LineageProgress, narrow: boolean, theme: Theme): string {
	const parts = [`${formatCount(lineage.processed, narrow)} / ${formatCount(lineage.total, narrow)}`, formatPercent(lineage.percent, lineage.complete)];
	if (lineage.ratePerMinute !== null) {
		parts.push(formatRate(lineage.ratePerMinute));
	}

	if (lineage.state === 'running' && lineage.etaSeconds !== null) {
		parts.push(formatEta(lineage.etaSeconds));
	} else if (lineage.state !== 'running') {
		parts.push(stateText(lineage));
	}

	return parts.join(` ${theme.glyphs.dot} `);
}

/**
 * The lineage panel: progress, then the last lineage connection (cut to fit: a long one must never
 * wrap into the next row), then, when there is room, how long it has run and when it should end.
 */
export function LineagePanel(props: {lineage: LineageProgress; contentEtaSeconds: number | null; serverTime: number | null; width: number; lines: number; theme: Theme; dim: boolean}) {
	const {lineage, width, theme} = props;
	const dot = ` ${theme.glyphs.dot} `;
	const line = (text: string, key: string, color?: string) => (
		<Text key={key} color={color} dimColor={props.dim} wrap="truncate-end">
			{fitText(text, width, theme.glyphs.ellipsis).trimEnd()}
		</Text>
	);
	if (!lineage.started) {
		const after = props.contentEtaSeconds === null ? 'starts when content backfill completes' : `starts after content, in ${formatEta(props.contentEtaSeconds)}`;
		return (
			<Box flexDirection="column">
				{[line('waiting for content backfill', 'wait', theme.colors.muted), line(after, 'after', theme.colors.muted), line('last: none yet', 'last', theme.colors.muted)].slice(0, Math.max(1, props.lines))}
			</Box>
		);
	}

	const color = lineageColor(lineage, theme);
	const fraction = lineage.complete ? 1 : lineage.total > 0 ? lineage.processed / lineage.total : 0;
	const progressLine = (numbers: string) => {
		const barWidth = Math.max(0, width - numbers.length - 3);
		return (
			<Text key="progress" dimColor={props.dim} wrap="truncate-end">
				<Text color={color}>{theme.glyphs.state[lineage.state]}</Text>{' '}
				{barWidth >= 6 ? (
					<>
						<ProgressBar fraction={fraction} width={barWidth} theme={theme} color={color} />{' '}
					</>
				) : null}
				{numbers}
			</Text>
		);
	};

	const last = line(`last: ${lineage.lastConnection ?? 'none yet'}`, 'last', theme.colors.muted);
	const timing: string[] = [];
	if (lineage.durationSeconds !== null && !lineage.complete) {
		timing.push(`running ${formatDuration(lineage.durationSeconds)}`);
	}

	if (lineage.state === 'running' && lineage.etaSeconds !== null && props.serverTime !== null) {
		// The server's clock, like "stalled since": the estimate is in server seconds.
		timing.push(`ends about ${formatClock(props.serverTime + lineage.etaSeconds * 1000)}`);
	}

	if (props.lines < 5) {
		// Compact: everything on the progress line, then the last connection.
		const full = numbersText(lineage, width < 50, theme);
		const numbers = full.length + 2 <= width ? full : numbersText({...lineage, ratePerMinute: null}, true, theme);
		return (
			<Box flexDirection="column">
				{progressLine(numbers)}
				{props.lines >= 2 ? last : null}
				{props.lines >= 3 && timing.length > 0 ? line(timing.join(dot), 'timing', theme.colors.muted) : null}
			</Box>
		);
	}

	// Tall (beside the sparkline): one fact a line, so a narrow panel cuts nothing that matters.
	const pace = [lineage.ratePerMinute === null ? '' : formatRate(lineage.ratePerMinute), lineage.state === 'running' ? (lineage.etaSeconds === null ? 'ETA: gathering evidence' : `ETA ${formatEta(lineage.etaSeconds)}`) : stateText(lineage)]
		.filter(Boolean)
		.join(dot);
	return (
		<Box flexDirection="column">
			{progressLine(formatPercent(lineage.percent, lineage.complete))}
			{line(`${formatCount(lineage.processed)} / ${formatCount(lineage.total)} relationships`, 'counts')}
			{line(pace, 'pace')}
			{last}
			{timing.length > 0 ? line(timing.join(dot), 'timing', theme.colors.muted) : null}
		</Box>
	);
}

/** Lineage in one unboxed line, for terminals too short for the panel. */
export function LineageLine(props: {lineage: LineageProgress; width: number; theme: Theme; dim: boolean}) {
	const {lineage, theme} = props;
	const text = lineage.started
		? `Lineage ${theme.glyphs.state[lineage.state]} ${numbersText(lineage, true, theme)}${lineage.lastConnection ? ` ${theme.glyphs.dot} last: ${lineage.lastConnection}` : ''}`
		: 'Lineage: waiting for content backfill';
	return (
		<Text dimColor={props.dim} color={lineage.started ? lineageColor(lineage, theme) : theme.colors.muted} wrap="truncate-end">
			{fitText(` ${text}`, props.width, theme.glyphs.ellipsis).trimEnd()}
		</Text>
	);
}

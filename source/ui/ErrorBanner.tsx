import {Box, Text} from 'ink';
import type {PollState} from '../poller.js';
import {fitText} from './columns.js';
import type {Theme} from './theme.js';

export function errorLines(poll: PollState, now: number): [string, string] | null {
	if (!poll.error) {
		return null;
	}

	const retry =
		poll.paused
			? 'paused: press r to retry'
			: poll.inFlight
				? 'retrying now'
				: poll.nextPollAt === null
					? ''
					: `retrying in ${Math.max(0, Math.ceil((poll.nextPollAt - now) / 1000))}s (attempt ${poll.consecutiveFailures + 1})`;
	return [`ERROR: ${poll.error.message}`, `${poll.error.action}${retry ? `  ${retry}` : ''}`];
}

export function ErrorBanner(props: {lines: [string, string]; width: number; theme: Theme}) {
	// Cut here rather than by Ink, whose cut ends in '…' even with --ascii.
	const fit = (line: string) => fitText(line, props.width, props.theme.glyphs.ellipsis).trimEnd();
	return (
		<Box flexDirection="column">
			<Text color={props.theme.colors.error} bold wrap="truncate-end">
				{fit(props.lines[0])}
			</Text>
			<Text wrap="truncate-end">{fit(props.lines[1])}</Text>
		</Box>
	);
}

import {Box, Text} from 'ink';
import type {PollState} from '../poller.js';
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

export function ErrorBanner(props: {lines: [string, string]; theme: Theme}) {
	return (
		<Box flexDirection="column">
			<Text color={props.theme.colors.error} bold wrap="truncate-end">
				{props.lines[0]}
			</Text>
			<Text wrap="truncate-end">{props.lines[1]}</Text>
		</Box>
	);
}

import {Text} from 'ink';
import type {Theme} from './theme.js';

export function StatusBar(props: {width: number; paused: boolean; error: boolean; stale: boolean; theme: Theme}) {
	const {theme} = props;
	const keys = `r refresh  p ${props.paused ? 'resume' : 'pause'}  ${theme.glyphs.up}${theme.glyphs.down} select  +/- interval  ? help  q quit`;
	const badges = [props.paused ? 'PAUSED' : '', props.error ? 'ERROR' : '', props.stale ? 'STALE' : ''].filter(Boolean);
	const badgeText = badges.map(b => `[${b}]`).join(' ');
	const room = Math.max(0, props.width - badgeText.length - 1);
	return (
		<Text wrap="truncate-end">
			<Text color={theme.colors.muted}>{keys.length > room ? keys.slice(0, room) : keys.padEnd(room)}</Text>{' '}
			{badges.map(badge => (
				<Text key={badge} bold inverse={theme.color} color={badge === 'ERROR' ? theme.colors.error : theme.colors.badge}>
					{`[${badge}]`}
				</Text>
			))}
		</Text>
	);
}

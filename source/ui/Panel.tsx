import {Box, Text} from 'ink';
import type {ReactNode} from 'react';
import type {Theme} from './theme.js';

/** A bordered box whose top border carries its title: `┌ Content ─────┐` (Ink 6 has no border titles). */
/** `height` is the outer height, borders included; without it the panel is as tall as its content. */
export function Panel(props: {title: string; width: number; height?: number; theme: Theme; children: ReactNode; dim?: boolean}) {
	const {width, theme} = props;
	const ascii = theme.glyphs.border === 'classic';
	const [left, fill, right] = ascii ? ['+', '-', '+'] : ['┌', '─', '┐'];
	const room = Math.max(0, width - 4);
	const title = props.title.length > room ? props.title.slice(0, room) : props.title;
	const top = `${left} ${title} ${fill.repeat(Math.max(0, width - title.length - 4))}${right}`;
	return (
		<Box flexDirection="column" width={width} height={props.height} flexShrink={0}>
			<Text color={theme.colors.muted} dimColor={props.dim}>
				{width >= 4 ? top : ''}
			</Text>
			<Box borderStyle={theme.glyphs.border} borderTop={false} borderColor={theme.colors.muted} width={width} paddingX={1} flexDirection="column" overflow="hidden" flexGrow={1}>
				{props.children}
			</Box>
		</Box>
	);
}

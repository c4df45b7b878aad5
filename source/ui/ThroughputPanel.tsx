import {Box, Text} from 'ink';
import {formatRate} from '../model/format.js';
import type {ThroughputSeries} from '../model/progress.js';
import {Sparkline} from './Sparkline.js';
import type {Theme} from './theme.js';

export function throughputTitle(series: ThroughputSeries, theme: Theme): string {
	return `Throughput ${theme.glyphs.dot} ${series.contentType ?? 'all types'} ${theme.glyphs.dot} items/min per checkpoint`;
}

export function ThroughputPanel(props: {series: ThroughputSeries; width: number; height: number; theme: Theme; dim: boolean}) {
	const {series, width, theme} = props;
	const values = series.points.filter(p => p !== null);
	if (values.length === 0) {
		return (
			<Text color={theme.colors.muted} wrap="truncate-end">
				waiting for two checkpoints (about 5 minutes apart)
			</Text>
		);
	}

	const scale = `now ${series.current === null ? '-' : formatRate(series.current)}  max ${series.max === null ? '-' : formatRate(series.max)}`;
	const sparkWidth = Math.max(0, width - 1);
	return (
		<Box flexDirection="column">
			<Sparkline points={series.points} width={sparkWidth} height={Math.max(1, props.height - 1)} max={series.max} theme={theme} />
			<Text dimColor={props.dim} wrap="truncate-end">
				{scale}
				<Text color={theme.colors.muted}>{`  (5-min buckets, 0 at the bottom${theme.ascii ? '' : `, ${theme.glyphs.gap} = no data`})`}</Text>
			</Text>
		</Box>
	);
}

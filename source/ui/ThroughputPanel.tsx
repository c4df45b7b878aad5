import {Box, Text} from 'ink';
import {formatRate} from '../model/format.js';
import type {ThroughputSeries} from '../model/progress.js';
import {LINEAGE_SERIES} from '../model/rates.js';
import {fitText} from './columns.js';
import {Sparkline} from './Sparkline.js';
import type {Theme} from './theme.js';

/** The longest title that fits a panel `width` wide (the border takes four cells). */
export function throughputTitle(series: ThroughputSeries, theme: Theme, width: number): string {
	const dot = theme.glyphs.dot;
	const lineage = series.contentType === LINEAGE_SERIES;
	const what = lineage ? 'lineage' : (series.contentType ?? 'all types');
	const unit = lineage ? 'relationships/min' : 'items/min';
	const titles = [`Throughput ${dot} ${what} ${dot} ${unit} per checkpoint`, `Throughput ${dot} ${what} ${dot} ${unit}`, `Throughput ${dot} ${what}`];
	return titles.find(title => title.length <= width - 4) ?? titles.at(-1) ?? '';
}

/** `height` rows: the sparkline above, its scale below. */
export function ThroughputPanel(props: {series: ThroughputSeries; width: number; height: number; theme: Theme; dim: boolean}) {
	const {series, width, theme} = props;
	const values = series.points.filter(p => p !== null);
	if (values.length === 0) {
		return (
			<Text color={theme.colors.muted} wrap="truncate-end">
				{fitText('waiting for two checkpoints (about 5 minutes apart)', width, theme.glyphs.ellipsis).trimEnd()}
			</Text>
		);
	}

	const scale = `now ${series.current === null ? '-' : formatRate(series.current)}  max ${series.max === null ? '-' : formatRate(series.max)}`;
	// Commas, not dots: the gap glyph is itself a dot, and "· · no data" reads as a typo.
	const legend = `  from 0, 5 min a cell${theme.ascii ? '' : `, ${theme.glyphs.gap} = no data`}`;
	return (
		<Box flexDirection="column">
			<Sparkline points={series.points} width={width} height={Math.max(1, props.height - 1)} max={series.max} theme={theme} />
			<Text dimColor={props.dim} wrap="truncate-end">
				{fitText(scale, width, theme.glyphs.ellipsis).trimEnd()}
				<Text color={theme.colors.muted}>{fitText(legend, width - scale.length, theme.glyphs.ellipsis).trimEnd()}</Text>
			</Text>
		</Box>
	);
}

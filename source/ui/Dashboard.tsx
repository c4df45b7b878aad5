import {Box, Text} from 'ink';
import type {BackfillProgress, ThroughputSeries} from '../model/progress.js';
import type {PollState} from '../poller.js';
import type {ServerDescription} from '../tableau/status-source.js';
import {ContentTable} from './ContentTable.js';
import {ErrorBanner, errorLines} from './ErrorBanner.js';
import {Header, isStale} from './Header.js';
import {HelpOverlay} from './HelpOverlay.js';
import {LineagePanel} from './LineagePanel.js';
import {Panel} from './Panel.js';
import {StatusBar} from './StatusBar.js';
import type {Theme} from './theme.js';
import {ThroughputPanel, throughputTitle} from './ThroughputPanel.js';

export const MIN_COLUMNS = 50;
export const MIN_ROWS = 12;
/** Below this width the lineage and throughput panels stack instead of sitting side by side. */
const SIDE_BY_SIDE_COLUMNS = 70;

export interface DashboardProps {
	readonly description: ServerDescription;
	readonly progress: BackfillProgress | null;
	readonly series: ThroughputSeries;
	readonly poll: PollState;
	readonly selected: string | null;
	readonly showHelp: boolean;
	readonly columns: number;
	readonly rows: number;
	readonly theme: Theme;
	/** Client clock, ms: the shared clock every age and countdown is computed from. */
	readonly now: number;
}

/**
 * The whole screen, laid out from props alone. The frame is at most rows - 1 lines: a frame of
 * `rows` lines makes Ink 6.8 clear the whole screen on every update.
 */
export function Dashboard(props: DashboardProps) {
	const {columns, rows, theme, poll, progress, now} = props;
	if (columns < MIN_COLUMNS || rows < MIN_ROWS) {
		return <Text>{`terminal too small: need ${MIN_COLUMNS}x${MIN_ROWS}`.slice(0, Math.max(1, columns - 1))}</Text>;
	}

	const height = rows - 1;
	const stale = isStale(poll, now);
	const error = errorLines(poll, now);
	const dim = error !== null || stale;
	const status = <StatusBar width={columns} paused={poll.paused} error={error !== null} stale={stale} theme={theme} />;
	const header = <Header description={props.description} progress={progress} poll={poll} width={columns} now={now} stale={stale} theme={theme} />;
	if (props.showHelp) {
		return (
			<Box flexDirection="column" width={columns} height={height} overflow="hidden">
				{header}
				<HelpOverlay width={columns} height={height - 3} theme={theme} />
				{status}
			</Box>
		);
	}

	const sideBySide = columns >= SIDE_BY_SIDE_COLUMNS;
	const fixed = 2 + (error ? 2 : 0) + 1 + 2;
	// The content panel takes the rows it needs (types and the selection's detail line); what is
	// left goes to the bottom panels, where a taller sparkline shows more.
	const needed = (progress?.types.length ?? 1) + (props.selected !== null ? 1 : 0);
	const minBottom = sideBySide ? 4 : 8;
	const showThroughput = sideBySide || height - fixed - minBottom >= 2;
	const bottomMin = showThroughput ? minBottom : 4;
	const contentHeight = Math.max(1, Math.min(needed, height - fixed - bottomMin));
	const bottom = Math.max(bottomMin, height - fixed - contentHeight);
	const throughputHeight = sideBySide ? bottom - 2 : showThroughput ? bottom - 6 : 0;
	const lineageWidth = sideBySide ? Math.floor(columns * 0.42) : columns;
	const throughputWidth = sideBySide ? columns - lineageWidth : columns;
	const lineage = progress ? (
		<Panel title="Lineage" width={lineageWidth} theme={theme} dim={dim}>
			<LineagePanel lineage={progress.lineage} width={lineageWidth - 4} theme={theme} dim={dim} />
		</Panel>
	) : null;
	const throughput = showThroughput ? (
		<Panel title={throughputTitle(props.series, theme)} width={throughputWidth} theme={theme} dim={dim}>
			<ThroughputPanel series={props.series} width={throughputWidth - 4} height={Math.min(throughputHeight, 12)} theme={theme} dim={dim} />
		</Panel>
	) : null;
	return (
		<Box flexDirection="column" width={columns} height={height} overflow="hidden">
			{header}
			{error ? <ErrorBanner lines={error} theme={theme} /> : null}
			<Panel title="Content" width={columns} theme={theme} dim={dim}>
				<Box height={contentHeight} flexDirection="column" overflow="hidden">
					{progress ? (
						<ContentTable types={progress.types} selected={props.selected} width={columns - 4} height={contentHeight} theme={theme} dim={dim} />
					) : (
						<Text color={theme.colors.muted}>{error ? 'no data yet' : 'signing in and asking the Backfill API...'}</Text>
					)}
				</Box>
			</Panel>
			<Box flexDirection={sideBySide ? 'row' : 'column'} height={bottom} overflow="hidden">
				{lineage}
				{throughput}
			</Box>
			<Box flexGrow={1} />
			{status}
		</Box>
	);
}

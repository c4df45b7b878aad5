import {Box, Text} from 'ink';
import type {BackfillProgress, ThroughputSeries} from '../model/progress.js';
import type {PollState} from '../poller.js';
import type {ServerDescription} from '../tableau/status-source.js';
import {ContentTable} from './ContentTable.js';
import {ErrorBanner, errorLines} from './ErrorBanner.js';
import {Header, isStale} from './Header.js';
import {HelpOverlay} from './HelpOverlay.js';
import {computeLayout, MIN_COLUMNS, MIN_ROWS, type Layout} from './layout.js';
import {LineageLine, LineagePanel} from './LineagePanel.js';
import {Panel} from './Panel.js';
import {StatusBar} from './StatusBar.js';
import type {Theme} from './theme.js';
import {ThroughputPanel, throughputTitle} from './ThroughputPanel.js';

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

/** The layout the Dashboard will draw for these props; the App sizes the sparkline series from it. */
export function dashboardLayout(props: {columns: number; rows: number; progress: BackfillProgress | null; selected: string | null; poll: PollState; now: number}): Layout {
	const types = props.progress?.types ?? [];
	return computeLayout({
		columns: props.columns,
		rows: props.rows,
		typeCount: types.length,
		detailLine: types.some(t => t.contentType === props.selected),
		error: errorLines(props.poll, props.now) !== null,
	});
}

/** The whole screen, laid out from props alone. */
export function Dashboard(props: DashboardProps) {
	const {columns, theme, poll, progress, now} = props;
	const layout = dashboardLayout(props);
	if (layout.tooSmall) {
		return <Text>{`terminal too small: need ${MIN_COLUMNS}x${MIN_ROWS}`.slice(0, Math.max(1, columns - 1))}</Text>;
	}

	const stale = isStale(poll, now);
	const error = errorLines(poll, now);
	const dim = error !== null || stale;
	const status = <StatusBar width={columns} paused={poll.paused} error={error !== null} stale={stale} theme={theme} />;
	const header = <Header description={props.description} progress={progress} poll={poll} width={columns} now={now} stale={stale} theme={theme} />;
	if (props.showHelp) {
		return (
			<Box flexDirection="column" width={columns} height={layout.height} overflow="hidden">
				{header}
				<HelpOverlay width={columns} height={layout.height - 3} theme={theme} />
				<Box flexGrow={1} />
				{status}
			</Box>
		);
	}

	const lineage = progress ? (
		layout.lineage.rows > 0 ? (
			<Panel title="Lineage" width={layout.lineage.width} height={layout.lineage.rows} theme={theme} dim={dim}>
				<LineagePanel progress={progress} width={layout.lineage.width - 4} lines={layout.lineage.rows - 2} theme={theme} dim={dim} />
			</Panel>
		) : (
			<LineageLine lineage={progress.lineage} width={columns} theme={theme} dim={dim} />
		)
	) : null;
	const throughput =
		layout.throughput.rows > 0 ? (
			<Panel title={throughputTitle(props.series, theme, layout.throughput.width)} width={layout.throughput.width} height={layout.throughput.rows} theme={theme} dim={dim}>
				<ThroughputPanel series={props.series} width={layout.spark.width} height={layout.spark.rows + 1} theme={theme} dim={dim} />
			</Panel>
		) : null;
	return (
		<Box flexDirection="column" width={columns} height={layout.height} overflow="hidden">
			{header}
			{error ? <ErrorBanner lines={error} width={columns} theme={theme} /> : null}
			<Panel title="Content" width={columns} theme={theme} dim={dim}>
				<Box height={layout.contentRows} flexDirection="column" overflow="hidden">
					{progress ? (
						<ContentTable types={progress.types} selected={props.selected} width={columns - 4} height={layout.contentRows} theme={theme} dim={dim} />
					) : (
						<Text color={theme.colors.muted}>{error ? 'no data yet' : 'signing in and asking the Backfill API...'}</Text>
					)}
				</Box>
			</Panel>
			<Box flexDirection={layout.sideBySide ? 'row' : 'column'} flexShrink={0}>
				{lineage}
				{throughput}
			</Box>
			<Box flexGrow={1} />
			{status}
		</Box>
	);
}

import {Box, Text} from 'ink';
import {memo} from 'react';
import type {BackfillProgress, LineageProgress, ThroughputSeries, TypeProgress} from '../model/progress.js';
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
import {sameData} from './sameData.js';
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
			<LineageSection
				lineage={progress.lineage}
				contentEtaSeconds={progress.contentEtaSeconds}
				serverTime={progress.serverTime}
				width={layout.lineage.width}
				rows={layout.lineage.rows}
				theme={theme}
				dim={dim}
			/>
		) : (
			<LineageLine lineage={progress.lineage} width={columns} theme={theme} dim={dim} />
		)
	) : null;
	const throughput =
		layout.throughput.rows > 0 ? (
			<ThroughputSection series={props.series} width={layout.throughput.width} rows={layout.throughput.rows} spark={layout.spark} theme={theme} dim={dim} />
		) : null;
	return (
		<Box flexDirection="column" width={columns} height={layout.height} overflow="hidden">
			{header}
			{error ? <ErrorBanner lines={error} width={columns} theme={theme} /> : null}
			<ContentSection types={progress?.types ?? null} selected={props.selected} width={columns} rows={layout.contentRows} failing={error !== null} theme={theme} dim={dim} />
			<Box flexDirection={layout.sideBySide ? 'row' : 'column'} flexShrink={0}>
				{lineage}
				{throughput}
			</Box>
			<Box flexGrow={1} />
			{status}
		</Box>
	);
}

/*
 * The panels below the header are memoized on the data they show: the model derives new objects on
 * every poll, and a poll that brings no news would otherwise re-render (and Ink re-lay out) every
 * panel to draw the same cells. The header, with the data's age, is redrawn each poll.
 */

const ContentSection = memo(function ContentSection(props: {
	types: readonly TypeProgress[] | null;
	selected: string | null;
	width: number;
	rows: number;
	failing: boolean;
	theme: Theme;
	dim: boolean;
}) {
	const {types, theme} = props;
	return (
		<Panel title="Content" width={props.width} theme={theme} dim={props.dim}>
			<Box height={props.rows} flexDirection="column" overflow="hidden">
				{types ? (
					<ContentTable types={types} selected={props.selected} width={props.width - 4} height={props.rows} theme={theme} dim={props.dim} />
				) : (
					<Text color={theme.colors.muted}>{props.failing ? 'no data yet' : 'signing in and asking the Backfill API...'}</Text>
				)}
			</Box>
		</Panel>
	);
}, sameData);

const LineageSection = memo(function LineageSection(props: {
	lineage: LineageProgress;
	contentEtaSeconds: number | null;
	serverTime: number | null;
	width: number;
	rows: number;
	theme: Theme;
	dim: boolean;
}) {
	return (
		<Panel title="Lineage" width={props.width} height={props.rows} theme={props.theme} dim={props.dim}>
			<LineagePanel
				lineage={props.lineage}
				contentEtaSeconds={props.contentEtaSeconds}
				serverTime={props.serverTime}
				width={props.width - 4}
				lines={props.rows - 2}
				theme={props.theme}
				dim={props.dim}
			/>
		</Panel>
	);
}, sameData);

const ThroughputSection = memo(function ThroughputSection(props: {
	series: ThroughputSeries;
	width: number;
	rows: number;
	spark: Layout['spark'];
	theme: Theme;
	dim: boolean;
}) {
	const {series, theme} = props;
	return (
		<Panel title={throughputTitle(series, theme, props.width)} width={props.width} height={props.rows} theme={theme} dim={props.dim}>
			<ThroughputPanel series={series} width={props.spark.width} height={props.spark.rows + 1} theme={theme} dim={props.dim} />
		</Panel>
	);
}, sameData);

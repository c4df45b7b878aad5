import {useApp, useStdout} from 'ink';
import {useEffect, useMemo, useRef, useState} from 'react';
import {formatEta, formatPercent} from '../model/format.js';
import type {BackfillProgress} from '../model/progress.js';
import type {PollState} from '../poller.js';
import {LINEAGE_SERIES, throughputSeries} from '../model/rates.js';
import type {Watch} from '../watch.js';
import {Dashboard, dashboardLayout} from './Dashboard.js';
import {SPINNER_AFTER_MS} from './Header.js';
import {useKeys} from './hooks/useKeys.js';
import {usePoller} from './hooks/usePoller.js';
import {useTerminalSize} from './hooks/useTerminalSize.js';
import type {Theme} from './theme.js';

export interface AppProps {
	/** What to poll and how; it may be polling already (the dashboard starts it while Ink loads). */
	readonly watch: Watch;
	readonly theme: Theme;
	readonly bell: boolean;
	readonly onTitle?: (title: string) => void;
}

export function App(props: AppProps) {
	const {exit} = useApp();
	const {write} = useStdout();
	const size = useTerminalSize();
	const poller = usePoller(props.watch);
	const {poll, history, progress} = poller;
	const [selected, setSelected] = useState<string | null>(null);
	const [showHelp, setShowHelp] = useState(false);
	const now = useSharedClock(poll);

	const choices = useMemo(() => selectionChoices(progress), [progress]);
	useKeys({
		refresh: poller.refreshNow,
		togglePause: poller.togglePause,
		stepInterval: poller.stepInterval,
		select(direction) {
			setSelected(current => {
				const index = choices.indexOf(current);
				const next = (index + direction + choices.length) % choices.length;
				return choices[next] ?? null;
			});
		},
		toggleHelp: () => setShowHelp(open => !open),
		closeHelp: () => setShowHelp(false),
		quit: () => exit(),
	});

	usePhaseBell(progress, props.bell, write);
	const title = progress ? titleOf(progress) : '';
	const {onTitle} = props;
	useEffect(() => {
		if (title !== '') {
			onTitle?.(title);
		}
	}, [title, onTitle]);

	const sparkSlots = dashboardLayout({columns: size.columns, rows: size.rows, progress, selected, poll, now}).spark.width;
	const seriesKey = selected ?? phaseSeries(progress);
	const series = useMemo(() => throughputSeries(history, seriesKey, sparkSlots), [history, seriesKey, sparkSlots]);
	return (
		<Dashboard
			description={props.watch.source.description}
			progress={progress}
			series={series}
			poll={poll}
			selected={selected}
			showHelp={showHelp}
			columns={size.columns}
			rows={size.rows}
			theme={props.theme}
			now={now}
		/>
	);
}

/** With nothing selected the sparkline follows the phase: all content types, then lineage. */
function phaseSeries(progress: BackfillProgress | null): string | null {
	return progress?.lineage.started && progress.phase !== 'content' ? LINEAGE_SERIES : null;
}

/** All types (null), each content type, then Lineage once it has started. */
function selectionChoices(progress: BackfillProgress | null): Array<string | null> {
	const types = progress?.types.map(t => t.contentType) ?? [];
	return [null, ...types, ...(progress?.lineage.started ? [LINEAGE_SERIES] : [])];
}

/**
 * One clock for everything time-based on screen (ages, the countdown, staleness, the spinner's
 * delay). It ticks only when something it shows would change: every second while an error's retry
 * countdown runs; once when a slow request earns its spinner; otherwise just after each poll was due,
 * so a dashboard whose polls arrive on time is redrawn by the polls alone, once each: a poll's own
 * render reads the clock as the poll's arrival time, without a second render to tick it.
 */
function useSharedClock(poll: PollState): number {
	const [tick, setTick] = useState(Date.now);
	const counting = poll.error !== null;
	const {inFlightSince, lastSuccessAt, intervalSeconds} = poll;
	useEffect(() => {
		if (inFlightSince !== null) {
			// Not now = Date.now() here: the age would jump for the instant before the answer lands.
			const timer = setTimeout(() => setTick(Date.now()), Math.max(0, inFlightSince + SPINNER_AFTER_MS + 20 - Date.now()));
			return () => clearTimeout(timer);
		}

		if (counting) {
			setTick(Date.now());
			const timer = setInterval(() => setTick(Date.now()), 1000);
			return () => clearInterval(timer);
		}

		// Paused, or a poll is late: the age and the STALE mark grow one interval at a time.
		const period = intervalSeconds * 1000;
		let timer: NodeJS.Timeout | undefined;
		const schedule = () => {
			const since = lastSuccessAt ?? Date.now();
			const elapsed = Date.now() - since;
			const next = since + (Math.floor(elapsed / period) + 1) * period + 1000;
			timer = setTimeout(() => {
				setTick(Date.now());
				schedule();
			}, Math.max(0, next - Date.now()));
		};

		schedule();
		return () => clearTimeout(timer);
	}, [counting, inFlightSince, lastSuccessAt, intervalSeconds]);
	return Math.max(tick, lastSuccessAt ?? Number.NEGATIVE_INFINITY);
}

/** Rings once when content completes and once when lineage does; not for a phase already done at start. */
function usePhaseBell(progress: BackfillProgress | null, enabled: boolean, write: (data: string) => void): void {
	const seen = useRef<{content: boolean; lineage: boolean} | null>(null);
	const contentDone = progress !== null && progress.phase !== 'content' && progress.phase !== 'not-started';
	const lineageDone = progress?.phase === 'complete';
	useEffect(() => {
		if (progress === null) {
			return;
		}

		const before = seen.current;
		seen.current = {content: contentDone, lineage: lineageDone};
		if (before === null || !enabled) {
			return;
		}

		if ((contentDone && !before.content) || (lineageDone && !before.lineage)) {
			write('\u0007');
		}
	}, [contentDone, lineageDone, enabled, progress, write]);
}

export function titleOf(progress: BackfillProgress): string {
	switch (progress.phase) {
		case 'not-started': {
			return 'backfill not started';
		}

		case 'content': {
			const eta = progress.contentEtaSeconds === null ? '' : ` · ETA ${formatEta(progress.contentEtaSeconds)}`;
			const stalled = progress.types.some(t => t.state === 'stalled') ? ' · STALLED' : '';
			return `backfill ${formatPercent(progress.contentPercent, false)}${eta}${stalled}`;
		}

		case 'lineage': {
			const eta = progress.lineage.etaSeconds === null ? '' : ` · ETA ${formatEta(progress.lineage.etaSeconds)}`;
			return `lineage ${formatPercent(progress.lineage.percent, progress.lineage.complete)}${eta}`;
		}

		case 'complete': {
			return 'backfill complete';
		}
	}
}

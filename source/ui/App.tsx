import {useApp, useStdout} from 'ink';
import {useEffect, useMemo, useRef, useState} from 'react';
import {formatEta, formatPercent} from '../model/format.js';
import type {History} from '../model/history.js';
import type {BackfillProgress} from '../model/progress.js';
import {LINEAGE_SERIES, throughputSeries} from '../model/rates.js';
import type {StatusSource} from '../tableau/status-source.js';
import {Dashboard} from './Dashboard.js';
import {SPINNER_AFTER_MS} from './Header.js';
import {useKeys} from './hooks/useKeys.js';
import {usePoller} from './hooks/usePoller.js';
import {useTerminalSize} from './hooks/useTerminalSize.js';
import type {Theme} from './theme.js';

export interface AppProps {
	readonly source: StatusSource;
	readonly intervalSeconds: number;
	readonly minIntervalSeconds?: number;
	readonly theme: Theme;
	readonly bell: boolean;
	readonly initialHistory?: History;
	readonly onTitle?: (title: string) => void;
}

export function App(props: AppProps) {
	const {exit} = useApp();
	const {write} = useStdout();
	const size = useTerminalSize();
	const poller = usePoller(props.source, {intervalSeconds: props.intervalSeconds, minIntervalSeconds: props.minIntervalSeconds, initialHistory: props.initialHistory});
	const {poll, history, progress} = poller;
	const [selected, setSelected] = useState<string | null>(null);
	const [showHelp, setShowHelp] = useState(false);
	const now = useSharedClock(poll.error !== null, poll.inFlightSince, poll.intervalSeconds);

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

	const sparkSlots = Math.max(8, size.columns >= 70 ? size.columns - Math.floor(size.columns * 0.42) - 5 : size.columns - 5);
	const series = useMemo(() => throughputSeries(history, selected, sparkSlots), [history, selected, sparkSlots]);
	return (
		<Dashboard
			description={props.source.description}
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

/** All types (null), each content type, then Lineage once it has started. */
function selectionChoices(progress: BackfillProgress | null): Array<string | null> {
	const types = progress?.types.map(t => t.contentType) ?? [];
	return [null, ...types, ...(progress?.lineage.started ? [LINEAGE_SERIES] : [])];
}

/**
 * One clock for everything time-based on screen. It ticks every second only while something shows
 * seconds (an error's countdown, a slow request's spinner); otherwise once per poll interval, so
 * an idle dashboard writes almost nothing.
 */
function useSharedClock(counting: boolean, inFlightSince: number | null, intervalSeconds: number): number {
	const [now, setNow] = useState(Date.now);
	useEffect(() => {
		setNow(Date.now());
		if (inFlightSince !== null) {
			// Wake once when the spinner is due, then leave the spinner's own animation to Ink.
			const timer = setTimeout(() => setNow(Date.now()), SPINNER_AFTER_MS + 20);
			return () => clearTimeout(timer);
		}

		const timer = setInterval(() => setNow(Date.now()), counting ? 1000 : intervalSeconds * 1000);
		return () => clearInterval(timer);
	}, [counting, inFlightSince, intervalSeconds]);
	return now;
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

import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import {formatAge, formatClock, formatCount, formatDuration, formatEta} from '../model/format.js';
import type {BackfillProgress} from '../model/progress.js';
import type {PollState} from '../poller.js';
import type {ServerDescription} from '../tableau/status-source.js';
import {fitText} from './columns.js';
import type {Theme} from './theme.js';

/** A request slower than this shows the spinner; fast answers must not animate (bytes, CPU). */
export const SPINNER_AFTER_MS = 300;

export interface HeaderProps {
	readonly description: ServerDescription;
	readonly progress: BackfillProgress | null;
	readonly poll: PollState;
	readonly width: number;
	readonly now: number;
	readonly stale: boolean;
	readonly theme: Theme;
}

export function isStale(poll: PollState, now: number): boolean {
	return poll.lastSuccessAt !== null && now - poll.lastSuccessAt > 2 * poll.intervalSeconds * 1000;
}

export function Header({description, progress, poll, width, now, stale, theme}: HeaderProps) {
	const dot = ` ${theme.glyphs.dot} `;
	const site = description.site === '' ? 'default' : description.site;
	const version = description.productVersion ? ` ${dot}Server ${description.productVersion}${description.apiVersion ? ` (API ${description.apiVersion})` : ''}` : '';
	const badge = description.mode === 'demo' ? ' DEMO' : description.mode === 'replay' ? ' REPLAY' : '';
	const spinning = poll.inFlightSince !== null && now - poll.inFlightSince >= SPINNER_AFTER_MS;
	const right1 = `every ${poll.intervalSeconds}s`;
	const left1 = `backfill-top${dot}${description.server}${dot}site ${site}${version.replace(/^ /, '')}`;
	const left1Width = Math.max(0, width - right1.length - badge.length - 3);
	const age = poll.lastSuccessAt === null ? null : formatAge(now - poll.lastSuccessAt);
	const staleMark = stale ? ' STALE' : '';
	const rights = poll.lastSuccessAt === null ? ['no data yet'] : [`updated ${formatClock(poll.lastSuccessAt, true)} (${age ?? ''})${staleMark}`, `${age ?? ''}${staleMark}`];
	const items = progress ? phaseItems(progress, theme) : [{text: poll.error ? 'NO DATA' : 'connecting...', keep: 9}];
	const {left: left2, right: right2} = fitPhaseLine(items, rights, width, dot, theme.glyphs.ellipsis);
	return (
		<Box flexDirection="column" width={width}>
			<Text wrap="truncate-end">
				<Text bold color={theme.colors.accent}>
					{fitText(left1, left1Width, theme.glyphs.ellipsis)}
				</Text>
				<Text color={theme.colors.badge} bold>
					{badge}
				</Text>{' '}
				{spinning ? <Spinner type={theme.ascii ? 'line' : 'dots'} /> : ' '} {right1}
			</Text>
			<Text wrap="truncate-end">
				<Text bold>{left2}</Text>{' '}
				<Text color={stale ? theme.colors.badge : theme.colors.muted}>{right2}</Text>
			</Text>
		</Box>
	);
}

interface PhaseItem {
	readonly text: string;
	/** Higher survives longer when the line is narrow. */
	readonly keep: number;
}

/**
 * Fits the phase line: the shorter "updated" first, then the least important parts go, in order
 * of `keep`; what stays keeps its order on screen. The ETA outlives the elapsed time.
 */
function fitPhaseLine(items: readonly PhaseItem[], rights: readonly string[], width: number, dot: string, ellipsis: string): {left: string; right: string} {
	const join = (kept: readonly PhaseItem[]) => kept.map(item => item.text).join(dot);
	let kept = [...items];
	let right = rights[0] ?? '';
	for (;;) {
		if (join(kept).length + 1 + right.length <= width) {
			break;
		}

		const shorter = rights[rights.indexOf(right) + 1];
		if (shorter !== undefined) {
			right = shorter;
			continue;
		}

		const droppable = kept.slice(1);
		if (droppable.length === 0) {
			break;
		}

		const weakest = droppable.reduce((a, b) => (b.keep < a.keep ? b : a));
		kept = kept.filter(item => item !== weakest);
	}

	const room = Math.max(0, width - right.length - 1);
	return {left: fitText(join(kept), room, ellipsis), right};
}

/** The phase and what matters about it, most important first within each phase. */
export function phaseItems(progress: BackfillProgress, theme: Theme): PhaseItem[] {
	const arrow = theme.glyphs.phase;
	const restarted = progress.restarts > 0 ? [{text: `restarted ${progress.restarts}x`, keep: 5}] : [];
	switch (progress.phase) {
		case 'not-started': {
			return [{text: `NOT STARTED ${arrow} the server reports no backfill yet`, keep: 9}];
		}

		case 'content': {
			const stalled = progress.types.find(t => t.state === 'stalled');
			const eta = stalled
				? `${stalled.contentType} stalled, no ETA`
				: progress.contentEtaSeconds === null
					? 'ETA: gathering evidence'
					: `ETA ${formatEta(progress.contentEtaSeconds)}${progress.etaBoundBy ? ` (${progress.etaBoundBy})` : ''}`;
			return [
				{text: `CONTENT ${arrow} ${progress.typesDone} of ${progress.typesTotal} types done`, keep: 9},
				...(progress.contentDurationSeconds === null ? [] : [{text: `running ${formatDuration(progress.contentDurationSeconds)}`, keep: 2}]),
				{text: eta, keep: 8},
				...restarted,
			];
		}

		case 'lineage': {
			const lineage = progress.lineage;
			if (!lineage.started) {
				return [{text: `LINEAGE ${arrow} content done, waiting for lineage to start`, keep: 9}, ...restarted];
			}

			const eta = lineage.state === 'stalled' ? 'stalled' : lineage.etaSeconds === null ? 'ETA: gathering evidence' : `ETA ${formatEta(lineage.etaSeconds)}`;
			return [
				{text: `LINEAGE ${arrow} content done`, keep: 9},
				...(lineage.durationSeconds === null ? [] : [{text: `running ${formatDuration(lineage.durationSeconds)}`, keep: 2}]),
				{text: eta, keep: 8},
				...restarted,
			];
		}

		case 'complete': {
			return [
				{text: `COMPLETE ${arrow}${progress.contentDurationSeconds === null ? '' : ` content in ${formatDuration(progress.contentDurationSeconds)}`}`, keep: 9},
				...(progress.lineage.durationSeconds === null ? [] : [{text: `lineage in ${formatDuration(progress.lineage.durationSeconds)}`, keep: 6}]),
				...(progress.contentFailed > 0 ? [{text: `${formatCount(progress.contentFailed)} failed items`, keep: 8}] : []),
			];
		}
	}
}

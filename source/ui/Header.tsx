import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import {formatAge, formatClock, formatDuration, formatEta} from '../model/format.js';
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
	const updated = poll.lastSuccessAt === null ? 'no data yet' : `updated ${formatClock(poll.lastSuccessAt, true)} (${formatAge(now - poll.lastSuccessAt)})`;
	const right2 = `${updated}${stale ? ' STALE' : ''}`;
	const left2 = progress ? phaseText(progress, theme) : poll.error ? 'NO DATA' : 'connecting...';
	const left2Width = Math.max(0, width - right2.length - 1);
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
				<Text bold>{fitText(left2, left2Width, theme.glyphs.ellipsis)}</Text>{' '}
				<Text color={stale ? theme.colors.badge : theme.colors.muted}>{right2}</Text>
			</Text>
		</Box>
	);
}

export function phaseText(progress: BackfillProgress, theme: Theme): string {
	const dot = ` ${theme.glyphs.dot} `;
	const arrow = theme.glyphs.phase;
	const restarted = progress.restarts > 0 ? `${dot}restarted ${progress.restarts}x` : '';
	switch (progress.phase) {
		case 'not-started': {
			return `NOT STARTED ${arrow} the server reports no backfill yet`;
		}

		case 'content': {
			const running = progress.contentDurationSeconds === null ? '' : `${dot}running ${formatDuration(progress.contentDurationSeconds)}`;
			const stalled = progress.types.find(t => t.state === 'stalled');
			const eta = stalled
				? `${dot}${stalled.contentType} stalled, no ETA`
				: progress.contentEtaSeconds === null
					? `${dot}ETA: gathering evidence`
					: `${dot}ETA ${formatEta(progress.contentEtaSeconds)}${progress.etaBoundBy ? ` (${progress.etaBoundBy})` : ''}`;
			return `CONTENT ${arrow} ${progress.typesDone} of ${progress.typesTotal} types done${running}${eta}${restarted}`;
		}

		case 'lineage': {
			const lineage = progress.lineage;
			if (!lineage.started) {
				return `LINEAGE ${arrow} content done, waiting for lineage to start${restarted}`;
			}

			const eta = lineage.state === 'stalled' ? `${dot}stalled` : lineage.etaSeconds === null ? '' : `${dot}ETA ${formatEta(lineage.etaSeconds)}`;
			const running = lineage.durationSeconds === null ? '' : `${dot}running ${formatDuration(lineage.durationSeconds)}`;
			return `LINEAGE ${arrow} content done${running}${eta}${restarted}`;
		}

		case 'complete': {
			const content = progress.contentDurationSeconds === null ? '' : ` content in ${formatDuration(progress.contentDurationSeconds)}`;
			const lineage = progress.lineage.durationSeconds === null ? '' : `, lineage in ${formatDuration(progress.lineage.durationSeconds)}`;
			return `COMPLETE ${arrow}${content}${lineage}${progress.contentFailed > 0 ? `${dot}${progress.contentFailed} failed items` : ''}`;
		}
	}
}

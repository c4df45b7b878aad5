import {Box, Text} from 'ink';
import {memo} from 'react';
import {formatClock, formatCount, formatDuration} from '../model/format.js';
import type {TypeProgress, TypeState} from '../model/progress.js';
import {fitColumns, fitText, rowCells, type ColumnWidths, type RowCells} from './columns.js';
import {ProgressBar} from './ProgressBar.js';
import {sameData} from './sameData.js';
import type {Theme} from './theme.js';

export interface ContentTableProps {
	readonly types: readonly TypeProgress[];
	readonly selected: string | null;
	/** Inner width (inside the border). */
	readonly width: number;
	/** Lines available for rows and the detail line. */
	readonly height: number;
	readonly theme: Theme;
	readonly dim: boolean;
}

export function ContentTable(props: ContentTableProps) {
	const {types, theme, width} = props;
	if (types.length === 0) {
		return <Text color={theme.colors.muted}>no content types reported yet</Text>;
	}

	const narrow = width < 70;
	const cells = types.map(type => rowCells(type, theme, narrow));
	const columns = fitColumns(cells, width - 2);
	const selectedType = types.find(t => t.contentType === props.selected);
	const detailLines = selectedType && props.height >= 3 ? 1 : 0;
	const roomForRows = Math.max(1, props.height - detailLines);
	const clipped = types.length > roomForRows;
	const shown = clipped ? Math.max(0, roomForRows - 1) : types.length;
	const selectedIndex = types.findIndex(t => t.contentType === props.selected);
	// Keep the selected row in view when the list is clipped.
	const first = clipped && selectedIndex >= shown ? selectedIndex - shown + 1 : 0;
	return (
		<Box flexDirection="column">
			{types.slice(first, first + shown).map((type, index) => (
				<ContentRow
					key={type.contentType}
					type={type}
					cells={cells[first + index] ?? rowCells(type, theme, narrow)}
					columns={columns}
					selected={type.contentType === props.selected}
					theme={theme}
					dim={props.dim}
				/>
			))}
			{clipped ? <Text color={theme.colors.muted}>{`  +${types.length - shown} more (${theme.glyphs.up}/${theme.glyphs.down} to scroll)`}</Text> : null}
			{detailLines > 0 && selectedType ? (
				<Text color={theme.colors.muted} wrap="truncate-end">
					{fitText(detailText(selectedType, theme), width, theme.glyphs.ellipsis).trimEnd()}
				</Text>
			) : null}
		</Box>
	);
}

function detailText(type: TypeProgress, theme: Theme): string {
	const dot = ` ${theme.glyphs.dot} `;
	const parts = [
		`${type.contentType}`,
		`last item ${type.lastContentId ?? 'none yet'}`,
		`checkpoint ${type.checkpoint === null ? 'none yet' : formatClock(type.checkpoint, true)}`,
		`${type.durationSeconds === null ? 'no duration' : `${formatDuration(type.durationSeconds)} spent`}`,
		`${formatCount(type.succeeded)} ok, ${formatCount(type.failed)} failed`,
	];
	return `  ${parts.join(dot)}`;
}

function stateColor(state: TypeState, theme: Theme): string | undefined {
	switch (state) {
		case 'done': {
			return theme.colors.done;
		}

		case 'stalled': {
			return theme.colors.stalled;
		}

		case 'running': {
			return theme.colors.running;
		}

		case 'waiting': {
			return theme.colors.muted;
		}
	}
}

interface RowProps {
	readonly type: TypeProgress;
	readonly cells: RowCells;
	readonly columns: ColumnWidths;
	readonly selected: boolean;
	readonly theme: Theme;
	readonly dim: boolean;
}

/** One line per type; memoized on what its props hold (rebuilt on every poll), so a poll that changes one type re-renders one row. */
const ContentRow = memo(function ContentRow({type, cells, columns, selected, theme, dim}: RowProps) {
	const color = stateColor(type.state, theme);
	const fraction = type.complete ? 1 : type.total > 0 ? Math.min(type.processed / type.total, 0.9999) : 0;
	const marker = selected ? theme.glyphs.selected : ' ';
	const tail = [
		cells.count.padStart(columns.count),
		cells.percent.padStart(columns.percent),
		...(columns.failed > 0 ? [cells.failed.padStart(columns.failed)] : []),
		...(columns.rate > 0 ? [cells.rate.padStart(columns.rate)] : []),
		...(columns.eta > 0 ? [cells.eta.padEnd(columns.eta)] : []),
	];
	const failedText = columns.failed > 0 ? cells.failed.padStart(columns.failed) : '';
	const beforeFailed = tail.slice(0, 2).join(' ');
	const afterFailed = tail.slice(columns.failed > 0 ? 3 : 2).join(' ');
	return (
		<Text dimColor={dim} inverse={selected && theme.color} wrap="truncate-end">
			{marker}
			<Text color={color}>{cells.glyph}</Text> {fitText(cells.name, columns.name, theme.glyphs.ellipsis)}{' '}
			{columns.bar > 0 ? (
				<>
					<ProgressBar fraction={fraction} width={columns.bar} theme={theme} color={color} />{' '}
				</>
			) : null}
			{beforeFailed}
			{failedText ? (
				<>
					{' '}
					<Text color={type.failed > 0 ? theme.colors.failed : undefined}>{failedText}</Text>
				</>
			) : null}
			{afterFailed ? ` ${afterFailed}` : ''}
		</Text>
	);
}, sameData);

import type {TypeState} from '../model/progress.js';

export interface Glyphs {
	readonly state: Record<TypeState, string>;
	readonly failed: string;
	readonly barFull: string;
	/** Partial cells, one to seven eighths; empty in ASCII. */
	readonly barPartial: readonly string[];
	readonly barEmpty: string;
	/** Sparkline levels, lowest first. */
	readonly spark: readonly string[];
	readonly gap: string;
	readonly phase: string;
	readonly dot: string;
	readonly selected: string;
	readonly up: string;
	readonly down: string;
	readonly border: 'single' | 'classic';
	readonly ellipsis: string;
}

export interface Colors {
	readonly done?: string;
	readonly running?: string;
	readonly stalled?: string;
	readonly failed?: string;
	readonly accent?: string;
	readonly badge?: string;
	readonly error?: string;
	readonly muted?: string;
}

export interface Theme {
	readonly color: boolean;
	readonly ascii: boolean;
	readonly glyphs: Glyphs;
	readonly colors: Colors;
}

const unicode: Glyphs = {
	state: {done: '✓', running: '›', stalled: '!', waiting: '·'},
	failed: '✗',
	barFull: '█',
	barPartial: ['▏', '▎', '▍', '▌', '▋', '▊', '▉'],
	barEmpty: '░',
	spark: ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'],
	gap: '·',
	phase: '▸',
	dot: '·',
	selected: '▶',
	up: '↑',
	down: '↓',
	border: 'single',
	ellipsis: '…',
};

const ascii: Glyphs = {
	state: {done: 'v', running: '>', stalled: '!', waiting: '.'},
	failed: 'x',
	barFull: '#',
	barPartial: [],
	barEmpty: '-',
	spark: ['_', '.', ':', '-', '=', '+', '*', '#'],
	gap: ' ',
	phase: '>',
	dot: '-',
	selected: '>',
	up: 'up',
	down: 'down',
	border: 'classic',
	ellipsis: '~',
};

const palette: Colors = {
	done: 'green',
	running: 'cyan',
	stalled: 'yellow',
	failed: 'red',
	accent: 'cyan',
	badge: 'yellow',
	error: 'red',
	muted: 'gray',
};

export function makeTheme(options: {color: boolean; ascii: boolean}): Theme {
	return {color: options.color, ascii: options.ascii, glyphs: options.ascii ? ascii : unicode, colors: options.color ? palette : {}};
}

/** A locale that is not UTF-8 cannot draw block characters: fall back to ASCII. */
export function detectAscii(env: NodeJS.ProcessEnv): boolean {
	const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
	if (locale === '') {
		return false;
	}

	return !/utf-?8/i.test(locale);
}

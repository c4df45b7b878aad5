import {useInput, useStdin, type Key} from 'ink';
import {useCallback, useLayoutEffect, useRef} from 'react';

export interface KeyActions {
	refresh(): void;
	togglePause(): void;
	select(direction: 1 | -1): void;
	stepInterval(direction: 1 | -1): void;
	toggleHelp(): void;
	closeHelp(): void;
	quit(): void;
}

const BY_INPUT: Record<string, (actions: KeyActions) => void> = {
	r: a => a.refresh(),
	' ': a => a.refresh(),
	p: a => a.togglePause(),
	'+': a => a.stepInterval(1),
	'=': a => a.stepInterval(1),
	'-': a => a.stepInterval(-1),
	_: a => a.stepInterval(-1),
	'?': a => a.toggleHelp(),
	h: a => a.toggleHelp(),
	q: a => a.quit(),
	k: a => a.select(-1),
	j: a => a.select(1),
};

/** Keys need raw mode; with a piped stdin there are none, and the dashboard must not throw. */
export function useKeys(actions: KeyActions): void {
	const {isRawModeSupported} = useStdin();
	// useInput re-subscribes in a passive effect, which can run after a frame is already on screen;
	// a key pressed in between must reach the actions of that frame, not of the one before.
	const latest = useRef(actions);
	useLayoutEffect(() => {
		latest.current = actions;
	});
	const onInput = useCallback((input: string, key: Key) => {
		const current = latest.current;
		if (key.upArrow) {
			current.select(-1);
		} else if (key.downArrow) {
			current.select(1);
		} else if (key.escape) {
			current.closeHelp();
		} else if (!key.ctrl && !key.meta) {
			// Keys typed faster than a frame (a held +, a laggy SSH link, tmux send-keys) arrive as
			// one chunk, "+++"; each of them counts.
			for (const char of input) {
				BY_INPUT[char]?.(current);
			}
		}
	}, []);
	useInput(onInput, {isActive: isRawModeSupported === true});
}

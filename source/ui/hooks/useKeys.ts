import {useInput, useStdin} from 'ink';

export interface KeyActions {
	refresh(): void;
	togglePause(): void;
	select(direction: 1 | -1): void;
	stepInterval(direction: 1 | -1): void;
	toggleHelp(): void;
	closeHelp(): void;
	quit(): void;
}

/** Keys need raw mode; with a piped stdin there are none, and the dashboard must not throw. */
export function useKeys(actions: KeyActions): void {
	const {isRawModeSupported} = useStdin();
	useInput(
		(input, key) => {
			if (key.upArrow || input === 'k') {
				actions.select(-1);
			} else if (key.downArrow || input === 'j') {
				actions.select(1);
			} else if (key.escape) {
				actions.closeHelp();
			} else {
				switch (input) {
					case 'r':
					case ' ': {
						actions.refresh();
						break;
					}

					case 'p': {
						actions.togglePause();
						break;
					}

					case '+':
					case '=': {
						actions.stepInterval(1);
						break;
					}

					case '-':
					case '_': {
						actions.stepInterval(-1);
						break;
					}

					case '?':
					case 'h': {
						actions.toggleHelp();
						break;
					}

					case 'q': {
						actions.quit();
						break;
					}

					default: {
						break;
					}
				}
			}
		},
		{isActive: isRawModeSupported === true},
	);
}

import {EventEmitter} from 'node:events';
import {render as inkRender, type Instance} from 'ink';
import type {ReactElement} from 'react';

/**
 * A fake terminal for Ink: ink-testing-library's stdout is fixed at 100 columns and has no rows,
 * so dashboard layouts (which size themselves to the terminal) need their own.
 */
class SizedStdout extends EventEmitter {
	readonly frames: string[] = [];
	readonly isTTY = true;

	constructor(
		public columns: number,
		public rows: number,
	) {
		super();
	}

	write = (frame: string): boolean => {
		this.frames.push(frame);
		return true;
	};

	lastFrame = (): string => this.frames.at(-1) ?? '';
}

class FakeStdin extends EventEmitter {
	readonly isTTY: boolean;
	#data: string | null = null;

	constructor(isTTY: boolean) {
		super();
		this.isTTY = isTTY;
	}

	write = (data: string): void => {
		this.#data = data;
		this.emit('readable');
		this.emit('data', data);
	};

	read = (): string | null => {
		const data = this.#data;
		this.#data = null;
		return data;
	};

	setEncoding(): void {}
	setRawMode(): void {}
	resume(): void {}
	pause(): void {}
	ref(): void {}
	unref(): void {}
}

export interface Rendered {
	readonly stdout: SizedStdout;
	readonly stdin: FakeStdin;
	lastFrame(): string;
	/** Types keys as a terminal would send them. */
	press(keys: string): void;
	/** Changes the terminal size and tells the app, as SIGWINCH would. */
	resize(columns: number, rows: number): void;
	/** Resolves once the newest frame satisfies `predicate`; rejects with the frame after `timeoutMs`. */
	waitFor(predicate: (frame: string) => boolean, timeoutMs?: number): Promise<string>;
	rerender(tree: ReactElement): void;
	unmount(): void;
}

export const KEYS = {up: '\u001B[A', down: '\u001B[B', escape: '\u001B', ctrlC: '\u0003'} as const;

export function renderSized(tree: ReactElement, size: {columns: number; rows: number}, options: {stdinIsTTY?: boolean} = {}): Rendered {
	const stdout = new SizedStdout(size.columns, size.rows);
	const stdin = new FakeStdin(options.stdinIsTTY ?? true);
	const stderr = new SizedStdout(size.columns, size.rows);
	const instance: Instance = inkRender(tree, {
		stdout: stdout as unknown as NodeJS.WriteStream,
		stderr: stderr as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		debug: true,
		exitOnCtrlC: false,
		patchConsole: false,
	});
	return {
		stdout,
		stdin,
		lastFrame: stdout.lastFrame,
		press: keys => stdin.write(keys),
		resize(columns, rows) {
			stdout.columns = columns;
			stdout.rows = rows;
			stdout.emit('resize');
		},
		async waitFor(predicate, timeoutMs = 5000) {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				// React 19 commits a tick or two after input; yield to both queues before looking.
				await new Promise(resolve => setImmediate(resolve));
				await new Promise(resolve => setTimeout(resolve, 5));
				const frame = stdout.lastFrame();
				if (predicate(frame)) {
					return frame;
				}

				if (Date.now() > deadline) {
					throw new Error(`timed out waiting for the frame; the last frame was:\n${frame}`);
				}
			}
		},
		rerender: tree => instance.rerender(tree),
		unmount() {
			instance.unmount();
			instance.cleanup();
		},
	};
}

/** Strips ANSI escape sequences, so assertions read what a person sees. */
export function plain(frame: string): string {
	// eslint-disable-next-line no-control-regex
	return frame.replaceAll(/\u001B\[[0-9;?]*[A-Za-z]|\u001B\][^\u0007]*\u0007/g, '');
}

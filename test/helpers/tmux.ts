import {execFileSync, spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

export function hasTmux(): boolean {
	return spawnSync('tmux', ['-V']).status === 0;
}

/**
 * A real terminal for end-to-end tests: a detached tmux session on a private socket, so the
 * tests never touch the user's own tmux server.
 */
export class TmuxPane {
	readonly socket: string;
	readonly dir: string;
	readonly #target = 'bft:0.0';

	private constructor(socket: string, dir: string) {
		this.socket = socket;
		this.dir = dir;
	}

	/** Starts a shell in a width x height pane; `env` is exported into it, `CI` is removed. */
	static start(width: number, height: number, env: Record<string, string> = {}): TmuxPane {
		const dir = mkdtempSync(join(tmpdir(), 'bft-tmux-'));
		const pane = new TmuxPane(`bft-${process.pid}-${Math.random().toString(36).slice(2, 8)}`, dir);
		const rc = join(dir, 'shellrc');
		const exports = Object.entries(env)
			.map(([key, value]) => `export ${key}='${value.replaceAll("'", "'\\''")}'`)
			.join('\n');
		writeFileSync(rc, `PS1='$ '\nunset CI CONTINUOUS_INTEGRATION\nexport TERM=tmux-256color LANG=C.UTF-8\n${exports}\n`);
		pane.tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'bft', '-x', String(width), '-y', String(height), `bash --noprofile --rcfile ${rc} -i`);
		pane.tmux('set-option', '-g', 'status', 'off');
		pane.tmux('set-option', '-g', 'escape-time', '0');
		pane.tmux('resize-window', '-t', 'bft', '-x', String(width), '-y', String(height));
		return pane;
	}

	tmux(...args: string[]): string {
		return execFileSync('tmux', ['-L', this.socket, ...args], {encoding: 'utf8'});
	}

	type(text: string): void {
		this.tmux('send-keys', '-t', this.#target, '-l', text);
	}

	keys(...keys: string[]): void {
		this.tmux('send-keys', '-t', this.#target, ...keys);
	}

	run(command: string): void {
		this.type(command);
		this.keys('Enter');
	}

	screen(): string {
		return this.tmux('capture-pane', '-p', '-t', this.#target);
	}

	/** tmux format variables of the pane, e.g. alternate_on, cursor_flag, pane_width, pane_title. */
	format(name: string): string {
		return this.tmux('display-message', '-p', '-t', this.#target, `#{${name}}`).trim();
	}

	resize(width: number, height: number): void {
		this.tmux('resize-window', '-t', 'bft', '-x', String(width), '-y', String(height));
	}

	/** Copies everything the program writes to the pane into a file, to count bytes. */
	startCounting(): string {
		const file = join(this.dir, `bytes-${Date.now()}.raw`);
		this.tmux('pipe-pane', '-t', this.#target, `cat >> ${file}`);
		return file;
	}

	stopCounting(): void {
		this.tmux('pipe-pane', '-t', this.#target);
	}

	static bytes(file: string): number {
		try {
			return statSync(file).size;
		} catch {
			return 0;
		}
	}

	static raw(file: string): string {
		try {
			return readFileSync(file, 'latin1');
		} catch {
			return '';
		}
	}

	async waitFor(predicate: (screen: string) => boolean, timeoutMs = 15_000): Promise<string> {
		const deadline = Date.now() + timeoutMs;
		let screen = '';
		while (Date.now() < deadline) {
			screen = this.screen();
			if (predicate(screen)) {
				return screen;
			}

			await new Promise(resolve => setTimeout(resolve, 100));
		}

		throw new Error(`timed out waiting; the screen was:\n${screen}`);
	}

	kill(): void {
		try {
			this.tmux('kill-server');
		} catch {
			// Already gone.
		}
	}
}

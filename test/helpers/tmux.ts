import {execFileSync, spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
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

	/**
	 * The visible rows, one string per pane row. `joined` rejoins a line the terminal wrapped, so a
	 * line written wider than the pane shows up wider instead of spilling onto the next row;
	 * `escapes` keeps the SGR attributes (colors) tmux stored for each cell.
	 */
	rows(options: {joined?: boolean; escapes?: boolean} = {}): string[] {
		const flags = `-p${options.joined ? 'J' : ''}${options.escapes ? 'e' : ''}`;
		const text = this.tmux('capture-pane', flags, '-t', this.#target);
		const rows = text.split('\n');
		if (rows.at(-1) === '') {
			rows.pop();
		}

		return rows;
	}

	/** The pid of the pane's shell. */
	shellPid(): number {
		return Number(this.format('pane_pid'));
	}

	/** Waits for the shell's child whose command line matches `pattern` (pgrep -f) and returns its pid. */
	async waitForChild(pattern: string, timeoutMs = 15_000): Promise<number> {
		const shell = String(this.shellPid());
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			const found = spawnSync('pgrep', ['-P', shell, '-f', pattern], {encoding: 'utf8'});
			const pid = Number.parseInt(found.stdout.trim().split('\n')[0] ?? '', 10);
			if (Number.isInteger(pid) && pid > 0) {
				return pid;
			}

			await new Promise(resolve => setTimeout(resolve, 100));
		}

		throw new Error(`no child of the pane's shell matched ${pattern}`);
	}

	/** Waits until a tmux format variable of the pane has the expected value. */
	async waitForFormat(name: string, expected: string, timeoutMs = 15_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		let value = '';
		while (Date.now() < deadline) {
			value = this.format(name);
			if (value === expected) {
				return;
			}

			await new Promise(resolve => setTimeout(resolve, 100));
		}

		throw new Error(`#{${name}} stayed ${value}, expected ${expected}; the screen was:\n${this.screen()}`);
	}

	/**
	 * Records every bell tmux sees in this server into a file, one line each, and returns the file.
	 * tmux parses the output, so the BEL that ends a title sequence (OSC ... BEL) is not counted.
	 */
	recordBells(): string {
		const file = join(this.dir, 'bells.txt');
		writeFileSync(file, '');
		this.tmux('set-option', '-g', 'monitor-bell', 'on');
		this.tmux('set-option', '-g', 'bell-action', 'any');
		this.tmux('set-hook', '-g', 'alert-bell', `run-shell "echo bell >> ${file}"`);
		return file;
	}

	static lineCount(file: string): number {
		try {
			return readFileSync(file, 'utf8').split('\n').filter(line => line !== '').length;
		} catch {
			return 0;
		}
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

		rmSync(this.dir, {recursive: true, force: true});
	}
}

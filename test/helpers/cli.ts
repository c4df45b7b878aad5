import {spawn, type ChildProcess} from 'node:child_process';
import {fileURLToPath} from 'node:url';

/** The built command, as `npm install` leaves it (npm test builds it before the tests run). */
export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface CliResult {
	readonly code: number | null;
	readonly signal: NodeJS.Signals | null;
	readonly stdout: string;
	readonly stderr: string;
}

export interface CliRun {
	readonly child: ChildProcess;
	/** Everything written so far. */
	stdout(): string;
	stderr(): string;
	/** Resolves when the output so far satisfies `predicate`. */
	waitForOutput(predicate: (stdout: string, stderr: string) => boolean, timeoutMs?: number): Promise<void>;
	done: Promise<CliResult>;
}

/**
 * Runs the built command as a child process with pipes for stdin/stdout/stderr (so it sees no
 * terminal) and a clean environment: only what `env` gives, plus PATH and HOME.
 */
export function runCli(args: readonly string[], env: Record<string, string> = {}, options: {stdin?: string; timeoutMs?: number; user?: {uid: number; gid: number}} = {}): CliRun {
	const child = spawn(process.execPath, [CLI, ...args], {
		env: {PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LANG: 'C.UTF-8', ...env},
		stdio: ['pipe', 'pipe', 'pipe'],
		...options.user,
	});
	let out = '';
	let err = '';
	child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
		out += chunk;
	});
	child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
		err += chunk;
	});
	if (options.stdin === undefined) {
		child.stdin?.end();
	} else {
		child.stdin?.end(options.stdin);
	}

	const timeoutMs = options.timeoutMs ?? 60_000;
	const done = new Promise<CliResult>((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`backfill-top ${args.join(' ')} did not exit within ${timeoutMs} ms\nstdout:\n${out}\nstderr:\n${err}`));
		}, timeoutMs);
		// 'close', not 'exit': 'exit' can come before the last output is read from the pipes (a CI
		// run under load saw an exit 1 with its stderr sentence still unread).
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolve({code, signal, stdout: out, stderr: err});
		});
	});
	return {
		child,
		stdout: () => out,
		stderr: () => err,
		async waitForOutput(predicate, waitMs = 30_000) {
			const deadline = Date.now() + waitMs;
			while (!predicate(out, err)) {
				if (Date.now() > deadline || child.exitCode !== null) {
					throw new Error(`output never matched\nstdout:\n${out}\nstderr:\n${err}`);
				}

				await new Promise(resolve => setTimeout(resolve, 50));
			}
		},
		done,
	};
}

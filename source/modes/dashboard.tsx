import {closeSync} from 'node:fs';
import {render} from 'ink';
import type {RunConfig} from '../config.js';
import {printable} from '../tableau/schema.js';
import {App} from '../ui/App.js';
import {SPINNER_AFTER_MS} from '../ui/Header.js';
import {detectAscii, makeTheme} from '../ui/theme.js';
import type {Watch} from '../watch.js';

const ENTER_ALTERNATE_SCREEN = '\u001B[?1049h\u001B[2J\u001B[H';
const LEAVE_ALTERNATE_SCREEN = '\u001B[?25h\u001B[?1049l';
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/**
 * Ink draws at most 10 frames a second, so a frame of the empty dashboard drawn just before the
 * first answer would hold that answer back by up to 100 ms. The first frame waits for the answer
 * instead, for as long as a request may run before it earns a spinner.
 */
const FIRST_ANSWER_WAIT_MS = SPINNER_AFTER_MS;
/** After a crash the sign-out gets this long; then the process exits anyway. */
const CRASH_SIGN_OUT_MS = 5000;

/**
 * The full-screen dashboard. Ink 6.8 has no alternate-screen option, so this enters it itself and
 * leaves it on every way out: q, Ctrl-C, SIGTERM, SIGHUP (a dropped SSH session), and a crash.
 */
export async function runDashboard(watch: Watch, config: RunConfig): Promise<number> {
	const stdout = process.stdout;
	let inAlternateScreen = false;
	const leave = () => {
		if (!inAlternateScreen) {
			return;
		}

		inAlternateScreen = false;
		try {
			stdout.write(LEAVE_ALTERNATE_SCREEN);
		} catch {
			// A hung-up terminal cannot be restored, and need not be.
		}
	};

	stdout.write(ENTER_ALTERNATE_SCREEN);
	inAlternateScreen = true;
	process.on('exit', leave);

	const theme = makeTheme({color: config.color, ascii: config.ascii || detectAscii(process.env)});
	let lastTitle = '';
	const setTitle = (title: string) => {
		if (title !== lastTitle) {
			lastTitle = title;
			stdout.write(`\u001B]2;${printable(title)}\u0007`);
		}
	};

	await watch.firstAnswer(FIRST_ANSWER_WAIT_MS);
	const instance = render(
		<App watch={watch} theme={theme} bell={config.bell} onTitle={setTitle} />,
		{maxFps: 10, patchConsole: false, exitOnCtrlC: true, incrementalRendering: true},
	);

	let exitCode = 0;
	const onSignal = () => instance.unmount();
	// A dropped SSH session hangs the terminal up and writes to it fail with EIO: that is a SIGHUP,
	// not a crash. End as on SIGHUP (the run still signs out), and at exit close the dead terminal's
	// descriptors: Node 20 aborts when it cannot restore them (nodejs/node#51519).
	let hungUp = false;
	const onHangup = () => {
		if (!hungUp) {
			hungUp = true;
			inAlternateScreen = false;
			process.once('exit', () => {
				for (const fd of [0, 1, 2]) {
					try {
						closeSync(fd);
					} catch {
						// Already closed.
					}
				}
			});
		}

		try {
			instance.unmount();
		} catch {
			// Nothing can be drawn any more.
		}
	};

	let crashed = false;
	const onCrash = (error: unknown) => {
		if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'EIO') {
			onHangup();
			return;
		}

		if (crashed) {
			process.exit(1);
		}

		// The run still signs out (run.ts, once this returns) unless that hangs or fails too.
		crashed = true;
		exitCode = 1;
		setTimeout(() => process.exit(1), CRASH_SIGN_OUT_MS).unref();
		try {
			instance.unmount();
		} finally {
			leave();
			const detail = error instanceof Error ? error.message : String(error);
			process.stderr.write(`backfill-top: crashed (${detail}); the terminal was restored. Please report this.\n`);
		}
	};

	for (const signal of SIGNALS) {
		process.on(signal, onSignal);
	}

	process.on('uncaughtException', onCrash);
	process.on('unhandledRejection', onCrash);
	const crashAfter = Number(process.env.BACKFILL_TOP_TEST_CRASH_AFTER_MS);
	if (Number.isFinite(crashAfter) && crashAfter > 0) {
		// Test hook: the terminal-restore tests prove a crash leaves the terminal usable.
		setTimeout(() => {
			throw new Error('crash injected by BACKFILL_TOP_TEST_CRASH_AFTER_MS');
		}, crashAfter);
	}

	try {
		await instance.waitUntilExit();
	} finally {
		for (const signal of SIGNALS) {
			process.off(signal, onSignal);
		}

		// Ink leaves stdin reading after it unmounts: whatever is typed while the run signs out would
		// be read here and lost, not reach the shell. Paused, it stays in the terminal for the shell.
		process.stdin.pause();
		leave();
	}

	return exitCode;
}

import {closeSync} from 'node:fs';
import {render} from 'ink';
import type {RunConfig} from '../config.js';
import type {OpenedSource} from '../sources.js';
import {printable} from '../tableau/schema.js';
import {App} from '../ui/App.js';
import {detectAscii, makeTheme} from '../ui/theme.js';

const ENTER_ALTERNATE_SCREEN = '\u001B[?1049h\u001B[2J\u001B[H';
const LEAVE_ALTERNATE_SCREEN = '\u001B[?25h\u001B[?1049l';
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * The full-screen dashboard. Ink 6.8 has no alternate-screen option, so this enters it itself and
 * leaves it on every way out: q, Ctrl-C, SIGTERM, SIGHUP (a dropped SSH session), and a crash.
 */
export async function runDashboard(opened: OpenedSource, config: RunConfig): Promise<number> {
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

	// A replay paces itself from the recording's own times.
	const replay = config.source.kind === 'replay';
	const theme = makeTheme({color: config.color, ascii: config.ascii || detectAscii(process.env)});
	let lastTitle = '';
	const setTitle = (title: string) => {
		if (title !== lastTitle) {
			lastTitle = title;
			stdout.write(`\u001B]2;${printable(title)}\u0007`);
		}
	};

	const instance = render(
		<App
			source={opened.source}
			intervalSeconds={replay ? 0.5 : config.intervalSeconds}
			minIntervalSeconds={replay ? 0 : undefined}
			theme={theme}
			bell={config.bell}
			initialHistory={opened.initialHistory}
			onTitle={setTitle}
		/>,
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

	const onCrash = (error: unknown) => {
		if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'EIO') {
			onHangup();
			return;
		}

		exitCode = 1;
		instance.unmount();
		leave();
		const detail = error instanceof Error ? error.message : String(error);
		process.stderr.write(`backfill-top: crashed (${detail}); the terminal was restored. Please report this.\n`);
		process.exit(1);
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

		leave();
	}

	return exitCode;
}

/**
 * The terminal is restored on every way out of the dashboard (README: "q, Ctrl-C, SIGTERM, SIGHUP,
 * a crash"): in a real tmux pane, each ending leaves the normal screen on, the cursor visible and a
 * shell that takes input, with the exit code the code documents. Every pane is its own test, run
 * concurrently; panes are killed in afterAll (an afterEach would kill the other tests' panes).
 */
import {readFileSync} from 'node:fs';
import {afterAll, describe, expect, it} from 'vitest';
import {startSimulator, type Simulator} from '../source/simulator/index.js';
import {exitCode, expectTerminalRestored, hasAllTypes, launch} from './helpers/dashboard-pane.js';
import {liveArgs, liveEnv, until} from './helpers/live.js';
import {hasTmux, TmuxPane} from './helpers/tmux.js';

// CI installs tmux (.ci/run); there a missing tmux is a failure, not a reason to skip.
const describeTmux = hasTmux() || process.env.CI ? describe : describe.skip;

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** The command line of a running process, as /proc shows it (arguments NUL-separated). */
function cmdline(pid: number): string {
	try {
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
	} catch {
		return '';
	}
}

describeTmux('the terminal is restored on every exit path', () => {
	const panes: TmuxPane[] = [];
	const simulators: Simulator[] = [];
	const start = () => {
		const pane = TmuxPane.start(100, 30, liveEnv());
		panes.push(pane);
		return pane;
	};

	/** Each dashboard watches its own simulator (one PAT, one session), so its sign-out can be seen. */
	const simulator = async () => {
		const started = await startSimulator({scenario: 'seed'});
		simulators.push(started);
		return started;
	};

	afterAll(async () => {
		for (const pane of panes.splice(0)) {
			pane.kill();
		}

		await Promise.all(simulators.splice(0).map(s => s.close()));
	});

	/** Starts the dashboard, waits until it has drawn its frame in the alternate screen, returns the tool's pid. */
	async function startDashboard(pane: TmuxPane, sim: Simulator, prefix = ''): Promise<number> {
		launch(pane, liveArgs(sim).join(' '), prefix);
		await pane.waitFor(hasAllTypes, 30_000);
		expect(pane.format('alternate_on')).toBe('1');
		expect(pane.format('cursor_flag')).toBe('0');
		// The shell's child is the tool itself (bash forks for `cmd; echo`), not a wrapper.
		const pid = await pane.waitForChild('dist/cli\\.js');
		expect(cmdline(pid)).toMatch(/dist\/cli\.js --server /);
		expect(sim.stats()).toMatchObject({signIns: 1, activeSessions: 1});
		return pid;
	}

	async function expectEnded(pane: TmuxPane, pid: number): Promise<number> {
		await pane.waitForFormat('alternate_on', '0');
		await pane.waitForFormat('cursor_flag', '1');
		// The exit code first: typed while the tool is still exiting, the shell's test command would be
		// echoed onto the line where "rc=" goes.
		const code = await exitCode(pane);
		await expectTerminalRestored(pane);
		expect(alive(pid)).toBe(false);
		// Nothing of the dashboard is left behind on the normal screen.
		expect(pane.screen()).not.toMatch(/q quit/);
		return code;
	}

	it.concurrent('q: exit 0, signed out', async () => {
		const pane = start();
		const sim = await simulator();
		const pid = await startDashboard(pane, sim);
		pane.type('q');
		expect(await expectEnded(pane, pid)).toBe(0);
		expect(sim.stats()).toMatchObject({signOuts: 1, activeSessions: 0});
	}, 40_000);

	it.concurrent('Ctrl-C (a key in raw mode): exit 0, signed out', async () => {
		const pane = start();
		const sim = await simulator();
		const pid = await startDashboard(pane, sim);
		pane.keys('C-c');
		expect(await expectEnded(pane, pid)).toBe(0);
		expect(sim.stats()).toMatchObject({signOuts: 1, activeSessions: 0});
	}, 40_000);

	// A signal is a request to stop, answered like q: unmount, leave the alternate screen, sign out,
	// exit 0 (as --plain does on SIGTERM, see cli-scripting.test.ts).
	for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
		it.concurrent(`${signal} sent to the tool's pid: exit 0, signed out`, async () => {
			const pane = start();
			const sim = await simulator();
			const pid = await startDashboard(pane, sim);
			process.kill(pid, signal);
			expect(await expectEnded(pane, pid)).toBe(0);
			expect(sim.stats()).toMatchObject({signOuts: 1, activeSessions: 0});
		}, 40_000);
	}

	it.concurrent('a crash (an uncaught exception): exit 1, signed out, one sentence on stderr that says the terminal was restored', async () => {
		const pane = start();
		const sim = await simulator();
		launch(pane, liveArgs(sim).join(' '), 'BACKFILL_TOP_TEST_CRASH_AFTER_MS=3000 ');
		// The crash timer starts when the alternate screen is entered; 3 s leave time to see it on.
		await pane.waitForFormat('alternate_on', '1', 30_000);
		const pid = await pane.waitForChild('dist/cli\\.js');
		const code = await expectEnded(pane, pid);
		expect(code).toBe(1);
		// Joined: the sentence is wider than the pane and wraps.
		const screen = pane.rows({joined: true}).join('\n');
		expect(screen).toMatch(/backfill-top: crashed \(crash injected by BACKFILL_TOP_TEST_CRASH_AFTER_MS\); the terminal was restored\. Please report this\./);
		expect(screen).not.toMatch(/^\s+at /m);
		// The session is closed too: a crash does not leave it open on the server for hours.
		expect(sim.stats()).toMatchObject({signOuts: 1, activeSessions: 0});
	}, 40_000);

	it.concurrent('the terminal itself goes away (the tmux server is killed, as an SSH session drops): the tool exits and signs out', async () => {
		const pane = start();
		const sim = await simulator();
		const pid = await startDashboard(pane, sim);
		pane.tmux('kill-server');
		await until(() => !alive(pid), 'the tool to exit after the hangup');
		expect(sim.stats()).toMatchObject({signOuts: 1, activeSessions: 0});
	}, 40_000);
});

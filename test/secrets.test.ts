/**
 * No secret ever shows: a PAT secret, a password, an existing session token and every session
 * token the simulator handed out, all unique random strings, are hunted for in every mode's
 * stdout and stderr, in a recording, on the dashboard's screen (scrollback included), in the raw
 * bytes the dashboard wrote to the terminal, in the terminal title, and in /proc/<pid>/cmdline of
 * the running tool. Secrets are passed the ways README documents: TABLEAU_PAT_SECRET,
 * TABLEAU_PASSWORD, --token-secret-file, --password-file, TABLEAU_AUTH_TOKEN and the hidden prompt.
 * Every run also proves the secret was used (the sign-in succeeded, or was refused for a wrong
 * one), so a run that never signed in cannot pass by saying nothing.
 */
import {execFileSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, describe, expect, it, type TestContext} from 'vitest';
import {readRecording} from '../source/record.js';
import {startSimulator, type FaultSpec, type Simulator, type SimulatorOptions} from '../source/simulator/index.js';
import {runCli, type CliRun} from './helpers/cli.js';
import {exitCode, expectTerminalRestored, hasAllTypes, launch} from './helpers/dashboard-pane.js';
import {lines, tempDir, terminate, until} from './helpers/live.js';
import {hasTmux, TmuxPane} from './helpers/tmux.js';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const PAT_NAME = `leak-pat-${hex(4)}`;
const PAT_SECRET = `patsecret-${hex(16)}`;
const USERNAME = `leak-user-${hex(4)}`;
const PASSWORD = `password-${hex(16)}`;
const WRONG_SECRET = `wrongsecret-${hex(16)}`;
const WRONG_PASSWORD = `wrongpassword-${hex(16)}`;

const dir = tempDir();
function secretFile(name: string, value: string): string {
	const file = join(dir, name);
	writeFileSync(file, `${value}\n`, {mode: 0o600});
	return file;
}

const PAT_FILE = secretFile('pat-secret', PAT_SECRET);
const PASSWORD_FILE = secretFile('password', PASSWORD);
const WRONG_SECRET_FILE = secretFile('wrong-secret', WRONG_SECRET);
const WRONG_PASSWORD_FILE = secretFile('wrong-password', WRONG_PASSWORD);

/** A leak may be cut short or split: also look for the random part, its start and its end. */
function forms(label: string, value: string): Array<[string, string]> {
	const random = value.slice(value.lastIndexOf('-') + 1);
	return [
		[label, value],
		[`${label} (random part)`, random],
		[`${label} (first 12)`, random.slice(0, 12)],
		[`${label} (last 12)`, random.slice(-12)],
	];
}

/** A session token is two base64url halves joined by "|"; a URL-encoded copy would show the halves. */
function tokenForms(tokens: readonly string[]): Array<[string, string]> {
	return tokens.flatMap((token, index) => [
		[`session token ${index}`, token] as [string, string],
		...token.split('|').flatMap((half, part) => [
			[`session token ${index} half ${part}`, half] as [string, string],
			[`session token ${index} half ${part} (first 12)`, half.slice(0, 12)] as [string, string],
		]),
	]);
}

const SECRETS: Array<[string, string]> = [
	...forms('PAT secret', PAT_SECRET),
	...forms('password', PASSWORD),
	...forms('wrong secret', WRONG_SECRET),
	...forms('wrong password', WRONG_PASSWORD),
];

/** Looks for every secret, and every token the simulators issued, in every place given. */
function expectNoSecrets(places: Record<string, string>, simulators: readonly Simulator[], more: Array<[string, string]> = []): number {
	const needles = [...SECRETS, ...more, ...tokenForms(simulators.flatMap(s => s.stats().issuedTokens))];
	for (const [where, text] of Object.entries(places)) {
		for (const [what, needle] of needles) {
			expect(needle.length, what).toBeGreaterThanOrEqual(12);
			expect(text.includes(needle), `${what} found in ${where}:\n${text}`).toBe(false);
		}
	}

	return needles.length;
}

/** The command line of a running process, as `ps` shows it to every user. */
function cmdline(pid: number | undefined): string {
	expect(pid).toBeDefined();
	const text = readFileSync(`/proc/${pid ?? 0}/cmdline`, 'utf8').replaceAll('\0', ' ');
	// Read while it runs: the tool itself, not a dead pid's empty file.
	expect(text).toMatch(/dist\/cli\.js /);
	return text;
}

const ACCEPTED = [
	{patName: PAT_NAME, patSecret: PAT_SECRET},
	{username: USERNAME, password: PASSWORD},
];

async function simulator(context: TestContext, options: SimulatorOptions = {}): Promise<Simulator> {
	const started = await startSimulator({scenario: 'realistic', timeScale: 60, extraCredentials: ACCEPTED, ...options});
	// The test context's hook: with concurrent tests a file-wide afterEach would close the others' servers.
	context.onTestFinished(() => started.close());
	return started;
}

const pat = (sim: Simulator, ...more: string[]) => ['--server', sim.url, '--token-name', PAT_NAME, '--interval', '2', ...more];
const user = (sim: Simulator, ...more: string[]) => ['--server', sim.url, '--username', USERNAME, '--interval', '2', ...more];

/** A session expiry (a 401 answered by signing in again), then a proxy page and JSON that echo the token. */
const ECHOES: FaultSpec[] = [
	{kind: 'expiry', afterRequests: 2},
	{kind: 'echo-500', afterRequests: 4},
	{kind: 'echo-json', afterRequests: 6},
];

/** Waits for the polls, reads the command line while the tool runs, then ends it with SIGTERM. */
async function runUntil(run: CliRun, condition: () => boolean, what: string): Promise<{code: number | null; stdout: string; stderr: string; cmdline: string}> {
	await until(() => condition() || run.child.exitCode !== null, what, 30_000);
	expect(run.child.exitCode, run.stderr()).toBeNull();
	const running = cmdline(run.child.pid);
	const result = await terminate(run);
	return {...result, cmdline: running};
}

describe.concurrent('no secret in any output of the non-interactive modes', () => {
	it('--once, the secret from TABLEAU_PAT_SECRET', async context => {
		const sim = await simulator(context);
		const result = await runCli(pat(sim, '--once'), {TABLEAU_PAT_SECRET: PAT_SECRET}).done;
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout).toMatch(/^TYPE /);
		expect(sim.stats()).toMatchObject({signIns: 1, failedSignIns: 0, signOuts: 1});
		expectNoSecrets({stdout: result.stdout, stderr: result.stderr}, [sim]);
	}, 30_000);

	it('--once --json, the secret from --token-secret-file', async context => {
		const sim = await simulator(context);
		const result = await runCli(pat(sim, '--once', '--json', '--token-secret-file', PAT_FILE)).done;
		expect(result.code, result.stderr).toBe(0);
		expect(JSON.parse(result.stdout)).toMatchObject({schemaVersion: 1});
		expect(sim.stats()).toMatchObject({signIns: 1, failedSignIns: 0});
		expectNoSecrets({stdout: result.stdout, stderr: result.stderr}, [sim]);
	}, 30_000);

	it('--once, the password from TABLEAU_PASSWORD; and an existing session token from TABLEAU_AUTH_TOKEN', async context => {
		const sim = await simulator(context);
		const result = await runCli(user(sim, '--once'), {TABLEAU_PASSWORD: PASSWORD}).done;
		expect(result.code, result.stderr).toBe(0);
		expect(sim.stats()).toMatchObject({signIns: 1, failedSignIns: 0});

		// A session token made here, handed over as is: the tool neither signs in nor shows it.
		const answer = await fetch(`${sim.url}/api/3.23/auth/signin`, {
			method: 'POST',
			headers: {'Content-Type': 'application/json', Accept: 'application/json'},
			body: JSON.stringify({credentials: {name: USERNAME, password: PASSWORD, site: {contentUrl: ''}}}),
		});
		const token = ((await answer.json()) as {credentials: {token: string}}).credentials.token;
		const before = sim.stats().statusRequests;
		const withToken = await runCli(['--server', sim.url, '--once'], {TABLEAU_AUTH_TOKEN: token}).done;
		expect(withToken.code, withToken.stderr).toBe(0);
		expect(sim.stats().statusRequests).toBe(before + 1);
		expect(sim.stats().signIns).toBe(2);
		expectNoSecrets({stdout: result.stdout + withToken.stdout, stderr: result.stderr + withToken.stderr}, [sim]);
	}, 30_000);

	it('a wrong secret (env) and a wrong password (file) are refused: exit 1, the sign-in sentence, neither quoted', async context => {
		const sim = await simulator(context);
		const wrongPat = await runCli(pat(sim, '--once'), {TABLEAU_PAT_SECRET: WRONG_SECRET}).done;
		const wrongPassword = await runCli(user(sim, '--wait', '--password-file', WRONG_PASSWORD_FILE)).done;
		for (const result of [wrongPat, wrongPassword]) {
			expect(result.code).toBe(1);
			expect(result.stdout).toBe('');
			expect(result.stderr).toMatch(/^backfill-top: Tableau Server rejected the sign-in/);
		}

		expect(sim.stats()).toMatchObject({signIns: 0, failedSignIns: 2, statusRequests: 0});
		expectNoSecrets({stdout: wrongPat.stdout + wrongPassword.stdout, stderr: wrongPat.stderr + wrongPassword.stderr}, [sim]);
	}, 30_000);

	it('--plain, the password from TABLEAU_PASSWORD, through a 401 re-sign-in and two answers that echo the token', async context => {
		const sim = await simulator(context, {faults: ECHOES});
		const run = runCli(user(sim, '--plain'), {TABLEAU_PASSWORD: PASSWORD});
		const result = await runUntil(run, () => sim.stats().statusRequests >= 8, 'eight polls');
		expect(result.code).toBe(0);
		// The session ended once and the password signed in again; the echoes were shown as errors.
		expect(sim.stats()).toMatchObject({signIns: 2, failedSignIns: 0});
		expect(lines(result.stdout).filter(line => / error · /.test(line)).length).toBeGreaterThanOrEqual(2);
		expectNoSecrets({stdout: result.stdout, stderr: result.stderr, cmdline: result.cmdline}, [sim]);
	}, 40_000);

	it('--wait, the password from --password-file, with a session expiry on the way to completion', async context => {
		const sim = await simulator(context, {scenario: 'fast', timeScale: 600, faults: [{kind: 'expiry', afterRequests: 2}]});
		const run = runCli(user(sim, '--wait', '--password-file', PASSWORD_FILE));
		await until(() => sim.stats().statusRequests >= 1 || run.child.exitCode !== null, 'the first poll');
		const running = cmdline(run.child.pid);
		const result = await run.done;
		expect(result.code, result.stderr).toBe(0);
		expect(lines(result.stdout).at(-1)).toMatch(/ complete · /);
		expect(sim.stats()).toMatchObject({signIns: 2, failedSignIns: 0});
		expectNoSecrets({stdout: result.stdout, stderr: result.stderr, cmdline: running}, [sim]);
	}, 40_000);

	it('--record FILE and its --replay, the secret from --token-secret-file, through a re-sign-in and the echoes', async context => {
		const sim = await simulator(context, {faults: ECHOES});
		const file = join(tempDir(), 'leaks.jsonl');
		const run = runCli(pat(sim, '--plain', '--record', file, '--token-secret-file', PAT_FILE));
		const result = await runUntil(run, () => sim.stats().statusRequests >= 8, 'eight polls');
		expect(result.code).toBe(0);
		expect(sim.stats()).toMatchObject({signIns: 2, failedSignIns: 0});
		const recorded = readFileSync(file, 'utf8');
		const types = readRecording(file).entries.map(e => e.type);
		expect(types.filter(t => t === 'snapshot').length).toBeGreaterThanOrEqual(4);
		expect(types.filter(t => t === 'error').length).toBeGreaterThanOrEqual(2);
		// And played back: what the recording holds is all a replay can show.
		const replay = await runCli(['--replay', file, '--plain', '--speed', '0']).done;
		expect(replay.code, replay.stderr).toBe(0);
		expect(lines(replay.stdout).length).toBeGreaterThanOrEqual(2);
		expectNoSecrets(
			{stdout: result.stdout, stderr: result.stderr, recording: recorded, cmdline: result.cmdline, 'replay stdout': replay.stdout, 'replay stderr': replay.stderr},
			[sim],
		);
	}, 40_000);

	it('a PAT superseded by another sign-in ends --plain with exit 1 and the sentence, quoting nothing', async context => {
		const sim = await simulator(context, {faults: [{kind: 'pat-superseded', afterRequests: 2, count: 2}]});
		const result = await runCli(pat(sim, '--plain'), {TABLEAU_PAT_SECRET: PAT_SECRET}).done;
		expect(result.code).toBe(1);
		expect(result.stdout + result.stderr).toMatch(/Another sign-in with the same personal access token ended this session/);
		expect(sim.stats()).toMatchObject({signIns: 2, failedSignIns: 0});
		expectNoSecrets({stdout: result.stdout, stderr: result.stderr}, [sim]);
	}, 30_000);
});

// CI installs tmux (.ci/run); there a missing tmux is a failure, not a reason to skip.
const describeTmux = hasTmux() || process.env.CI ? describe : describe.skip;

describeTmux('no secret on the dashboard: screen, scrollback, raw bytes, title, cmdline', () => {
	const panes: TmuxPane[] = [];
	// The tests below run concurrently: cleaning up after each one would kill the others' panes.
	afterAll(() => {
		for (const pane of panes.splice(0)) {
			pane.kill();
		}
	});

	/** The tool has ended: the terminal is back, then the exit code (before anything is typed, see e2e-restore). */
	async function ended(pane: TmuxPane): Promise<number> {
		await pane.waitForFormat('alternate_on', '0');
		await pane.waitForFormat('cursor_flag', '1');
		const code = await exitCode(pane);
		await expectTerminalRestored(pane);
		return code;
	}

	/** Clears the screen, so that the next exit code read is the next command's. */
	async function clear(pane: TmuxPane): Promise<void> {
		// -x: the scrollback stays, it is searched for secrets too.
		pane.run('clear -x');
		await pane.waitFor(screen => !/^rc=\d+$/m.test(screen));
	}

	/** Everything the pane ever showed: the scrollback and the visible screen. */
	const scrollback = (pane: TmuxPane) => pane.tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 'bft:0.0');
	const titles = (pane: TmuxPane) => `${pane.format('pane_title')}\n${pane.format('window_name')}`;

	it.concurrent('TABLEAU_PAT_SECRET: re-sign-in, echoes and a superseded PAT on screen; then a wrong --token-secret-file', async context => {
		const sim = await simulator(context, {faults: [...ECHOES, {kind: 'pat-superseded', afterRequests: 8, count: 2}]});
		const pane = TmuxPane.start(120, 40, {TABLEAU_PAT_SECRET: PAT_SECRET});
		panes.push(pane);
		const raw = pane.startCounting();
		launch(pane, pat(sim).join(' '));
		await pane.waitFor(hasAllTypes, 30_000);
		expect(sim.stats().signIns).toBe(1);
		const pid = await pane.waitForChild('dist/cli\\.js');
		const running = cmdline(pid);

		// r asks for the next poll at once; every screen and title on the way is kept.
		const seen: string[] = [];
		let superseded = false;
		for (let look = 0; !(sim.stats().statusRequests >= 12 && superseded); look++) {
			expect(look, 'twelve polls and the superseded sentence').toBeLessThan(150);
			const screen = pane.screen();
			superseded ||= /Another sign-in/.test(screen);
			seen.push(screen, titles(pane));
			if (look % 3 === 2) {
				pane.type('r');
			}

			await new Promise(resolve => setTimeout(resolve, 200));
		}

		// The first sign-in, the one after the expiry, the one after the superseded 401, the next poll's.
		expect(sim.stats().signIns).toBeGreaterThanOrEqual(3);
		expect(pane.format('pane_title')).toMatch(/^backfill /);
		pane.type('q');
		expect(await ended(pane)).toBe(0);

		// The same pane, a wrong secret from a file: refused before the dashboard, said on stderr.
		await clear(pane);
		launch(pane, pat(sim, '--token-secret-file', WRONG_SECRET_FILE).join(' '));
		expect(await exitCode(pane)).toBe(1);
		expect(pane.rows({joined: true}).join('\n')).toMatch(/rejected the sign-in/);
		expect(sim.stats().failedSignIns).toBe(1);
		pane.stopCounting();
		// The scrollback searched below reaches back past the clear, to the dashboard's run.
		expect(scrollback(pane)).toMatch(/^rc=0$/m);

		const count = expectNoSecrets(
			{screens: seen.join('\n'), scrollback: scrollback(pane), 'raw bytes': TmuxPane.raw(raw), title: titles(pane), cmdline: running},
			[sim],
		);
		console.log(`dashboard (PAT env): ${seen.length / 2} screens and titles, ${TmuxPane.bytes(raw)} raw bytes, ${count} needles`);
	}, 60_000);

	it.concurrent('the hidden password prompt: what is typed is not echoed; then --password-file', async context => {
		const sim = await simulator(context);
		const pane = TmuxPane.start(120, 40);
		panes.push(pane);
		const raw = pane.startCounting();
		launch(pane, user(sim).join(' '));
		await pane.waitFor(screen => screen.includes(`Password for ${USERNAME}:`), 30_000);
		// Echo is off by the time the question shows, so nothing typed from then on can be echoed.
		expect(execFileSync('stty', ['-F', pane.format('pane_tty'), '-a'], {encoding: 'utf8'})).toMatch(/(^|\s)-echo(\s|$)/);
		const pid = await pane.waitForChild('dist/cli\\.js');
		const running = cmdline(pid);
		pane.type(PASSWORD);
		// Wait for the typed characters to have reached the tool (the prompt reads them), then look.
		await new Promise(resolve => setTimeout(resolve, 300));
		const prompt = pane.screen();
		pane.keys('Enter');
		await pane.waitFor(hasAllTypes, 30_000);
		expect(sim.stats()).toMatchObject({signIns: 1, failedSignIns: 0});
		const dashboard = pane.screen();
		const title = titles(pane);
		pane.type('q');
		expect(await ended(pane)).toBe(0);

		await clear(pane);
		launch(pane, user(sim, '--password-file', PASSWORD_FILE).join(' '));
		await pane.waitFor(hasAllTypes, 30_000);
		const filePid = await pane.waitForChild('dist/cli\\.js');
		const fileCmdline = cmdline(filePid);
		expect(sim.stats()).toMatchObject({signIns: 2, failedSignIns: 0});
		const second = pane.screen();
		pane.keys('C-c');
		expect(await ended(pane)).toBe(0);
		pane.stopCounting();

		const count = expectNoSecrets(
			{
				prompt,
				dashboard: `${dashboard}\n${second}`,
				scrollback: scrollback(pane),
				'raw bytes': TmuxPane.raw(raw),
				title: `${title}\n${titles(pane)}`,
				cmdline: `${running}\n${fileCmdline}`,
			},
			[sim],
		);
		console.log(`dashboard (prompt, file): ${TmuxPane.bytes(raw)} raw bytes, ${count} needles`);
	}, 60_000);
});

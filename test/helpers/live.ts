import {mkdtempSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {DEMO_CREDENTIALS, type Simulator} from '../../source/simulator/index.js';
import type {CliResult, CliRun} from './cli.js';

/** The flags an admin gives against a real server, here the simulator, polled at the 2 s floor; the secret goes in the env. */
export function liveArgs(simulator: Simulator, ...more: string[]): string[] {
	return ['--server', simulator.url, '--token-name', DEMO_CREDENTIALS.patName, '--interval', '2', ...more];
}

export function liveEnv(secret: string = DEMO_CREDENTIALS.patSecret): Record<string, string> {
	return {TABLEAU_PAT_SECRET: secret};
}

/** Plain output as lines, without the trailing empty one. */
export function lines(text: string): string[] {
	return text.split('\n').filter(line => line !== '');
}

/** A plain line without its timestamp: what it says, not when. */
export function said(line: string): string {
	return line.replace(/^\S+ /, '');
}

/** SIGTERM, the way a service manager or `timeout` ends a long run, and the result. */
export async function terminate(run: CliRun): Promise<CliResult> {
	run.child.kill('SIGTERM');
	return run.done;
}

export function tempDir(): string {
	return mkdtempSync(join(tmpdir(), 'bft-cli-'));
}

/** A port that was free a moment ago and has nothing listening on it. */
export async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	await new Promise<void>(resolve => server.close(() => resolve()));
	return port;
}

/** Polls a condition (never a duration): resolves once it holds, fails after timeoutMs. */
export async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) {
			throw new Error(`timed out waiting for ${what}`);
		}

		await new Promise(resolve => setTimeout(resolve, 25));
	}
}

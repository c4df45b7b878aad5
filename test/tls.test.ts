import {execFileSync, spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {connect, INSECURE_WARNING} from '../source/tableau/client.js';
import {TableauError} from '../source/tableau/errors.js';
import {DEMO_CREDENTIALS, startSimulator, type Simulator} from '../source/simulator/index.js';
import {runCli} from './helpers/cli.js';
import {exitCode, expectTerminalRestored, hasAllTypes, launch} from './helpers/dashboard-pane.js';
import {liveArgs, liveEnv, terminate} from './helpers/live.js';
import {hasTmux, TmuxPane} from './helpers/tmux.js';

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'bft-tls-'));

/** A throwaway self-signed certificate, made at test time, valid for `names`. */
function certificate(name: string, san: string): {key: string; cert: string; certFile: string} {
	const keyFile = join(dir, `${name}.key`);
	const certFile = join(dir, `${name}.pem`);
	execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-subj', `/CN=${name}`, '-addext', `subjectAltName=${san}`, '-days', '1'], {stdio: 'ignore'});
	return {key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile};
}

const credentials = {kind: 'pat' as const, name: DEMO_CREDENTIALS.patName, secret: DEMO_CREDENTIALS.patSecret};

describe.skipIf(!hasOpenssl)('TLS', () => {
	let local: Simulator;
	let other: Simulator;
	let localCert: ReturnType<typeof certificate>;
	let otherCert: ReturnType<typeof certificate>;
	beforeAll(async () => {
		localCert = certificate('localhost', 'IP:127.0.0.1,DNS:localhost');
		otherCert = certificate('other.example', 'DNS:other.example');
		local = await startSimulator({tls: localCert, scenario: 'seed'});
		other = await startSimulator({tls: otherCert, scenario: 'seed'});
	});
	afterAll(async () => {
		await local.close();
		await other.close();
	});

	async function kindOf(promise: Promise<unknown>): Promise<string> {
		try {
			await promise;
			return 'ok';
		} catch (error) {
			expect(error).toBeInstanceOf(TableauError);
			return (error as TableauError).kind;
		}
	}

	it('refuses a self-signed server by default, with the sentence that says what to do', async () => {
		try {
			await connect({server: local.url, site: '', credentials, timeoutSeconds: 5, env: {}});
			throw new Error('connected');
		} catch (error) {
			expect(error).toBeInstanceOf(TableauError);
			const tls = error as TableauError;
			expect(tls.kind).toBe('tls-untrusted');
			expect(tls.message).toContain('not trusted');
			expect(tls.action).toContain('--ca-file');
		}
	});

	it('trusts the server with --ca-file', async () => {
		const client = await connect({server: local.url, site: '', credentials, timeoutSeconds: 5, caFile: localCert.certFile, env: {}});
		expect((await client.fetchStatus(new AbortController().signal)).content).toHaveLength(6);
		await client.close();
	});

	it('skips verification with --insecure, which has its warning', async () => {
		const client = await connect({server: local.url, site: '', credentials, timeoutSeconds: 5, insecure: true, env: {}});
		expect((await client.fetchStatus(new AbortController().signal)).content).toHaveLength(6);
		await client.close();
		expect(INSECURE_WARNING).toMatch(/not verified/);
	});

	it('names a certificate issued for another host', async () => {
		expect(await kindOf(connect({server: other.url, site: '', credentials, timeoutSeconds: 5, caFile: otherCert.certFile, env: {}}))).toBe('tls-hostname');
	});
});

describe.skipIf(!hasOpenssl)('--insecure warns on every run', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator({tls: certificate('insecure-runs', 'IP:127.0.0.1,DNS:localhost'), scenario: 'seed'});
	});
	afterAll(async () => {
		await sim.close();
	});

	const warned = (stderr: string) => stderr.split('\n').filter(line => line === `backfill-top: ${INSECURE_WARNING}`).length;

	it('--once (twice in a row), --once --json, --plain and a refused sign-in each print the warning once on stderr; --ca-file alone prints none', async () => {
		// One after another: one personal access token allows one session at a time.
		const first = await runCli(liveArgs(sim, '--insecure', '--once'), liveEnv()).done;
		const second = await runCli(liveArgs(sim, '--insecure', '--once'), liveEnv()).done;
		const json = await runCli(liveArgs(sim, '--insecure', '--once', '--json'), liveEnv()).done;
		const refused = await runCli(liveArgs(sim, '--insecure', '--once'), liveEnv('not-the-secret')).done;
		const trusted = await runCli(liveArgs(sim, '--ca-file', join(dir, 'insecure-runs.pem'), '--once'), liveEnv()).done;
		const plain = runCli(liveArgs(sim, '--insecure', '--plain'), liveEnv());
		await plain.waitForOutput(out => out.includes('\n'));
		const plainResult = await terminate(plain);
		for (const [name, result, code] of [
			['--once', first, 0],
			['--once again', second, 0],
			['--once --json', json, 0],
			['--plain', plainResult, 0],
			['a refused sign-in', refused, 1],
		] as const) {
			expect(result.code, `${name}: ${result.stderr}`).toBe(code);
			expect(warned(result.stderr), `${name}: ${result.stderr}`).toBe(1);
		}

		// The runs worked over the unverified connection (the warning is not a failure), the JSON stays clean.
		expect(JSON.parse(json.stdout)).toMatchObject({schemaVersion: 1});
		expect(refused.stderr).toMatch(/rejected the sign-in/);
		expect(trusted.code, trusted.stderr).toBe(0);
		expect(trusted.stderr).toBe('');
	}, 40_000);

	it.skipIf(!hasTmux() && !process.env.CI)('the dashboard: the warning is on the normal screen after it exits', async () => {
		const pane = TmuxPane.start(200, 30, liveEnv());
		try {
			launch(pane, liveArgs(sim, '--insecure').join(' '));
			await pane.waitFor(hasAllTypes, 30_000);
			pane.type('q');
			await expectTerminalRestored(pane);
			expect(await exitCode(pane)).toBe(0);
			expect(pane.rows({joined: true}).filter(row => row === `backfill-top: ${INSECURE_WARNING}`)).toHaveLength(1);
		} finally {
			pane.kill();
		}
	}, 40_000);
});

import {execFileSync, spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {connect, INSECURE_WARNING} from '../source/tableau/client.js';
import {TableauError} from '../source/tableau/errors.js';
import {DEMO_CREDENTIALS, startSimulator, type Simulator} from '../source/simulator/index.js';

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

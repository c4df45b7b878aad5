import {describe, expect, it} from 'vitest';
import {parseConfig, UsageError, type Config} from '../source/config.js';

const tty = {env: {}, stdoutIsTTY: true, stdinIsTTY: true};
const files: Record<string, string> = {'/secret': 'pat-secret-value\n', '/empty': '\n', '/ca.pem': '-----BEGIN CERTIFICATE-----\nx\n'};
const readFile = (path: string) => {
	const text = files[path];
	if (text === undefined) {
		throw Object.assign(new Error('nope'), {code: 'ENOENT'});
	}

	return text;
};

function parse(argv: string[], env: NodeJS.ProcessEnv = {}, stdoutIsTTY = true): Config {
	return parseConfig(argv, {...tty, env, stdoutIsTTY, readFile});
}

function usage(argv: string[], env: NodeJS.ProcessEnv = {}): string {
	try {
		parse(argv, env);
	} catch (error) {
		expect(error).toBeInstanceOf(UsageError);
		const message = (error as Error).message;
		expect(message).not.toContain('\n');
		return message;
	}

	throw new Error(`accepted: ${argv.join(' ')}`);
}

describe('parseConfig', () => {
	it('reads a PAT from the environment and picks the dashboard on a terminal', () => {
		const config = parse(['--server', 'tableau.example.com', '--token-name', 'monitor'], {TABLEAU_PAT_SECRET: 's'});
		expect(config).toMatchObject({
			command: 'run',
			output: 'dashboard',
			intervalSeconds: 15,
			timeoutSeconds: 20,
			source: {kind: 'live', server: 'https://tableau.example.com', site: '', auth: {kind: 'pat', name: 'monitor', secret: 's'}},
		});
	});

	it('takes every flag from its environment twin', () => {
		const config = parse([], {TABLEAU_SERVER: 'https://t.example:8443/path', TABLEAU_SITE: 'finance', TABLEAU_USERNAME: 'admin', TABLEAU_PASSWORD: 'pw'});
		expect(config).toMatchObject({source: {server: 'https://t.example:8443', site: 'finance', auth: {kind: 'password', username: 'admin', password: 'pw'}}});
		expect(parse([], {TABLEAU_SERVER: 'https://t', TABLEAU_AUTH_TOKEN: 'tok'})).toMatchObject({source: {auth: {kind: 'token', token: 'tok'}}});
		expect(parse([], {TABLEAU_SERVER: 'https://t', TABLEAU_PAT_NAME: 'n', TABLEAU_PAT_SECRET: 's'})).toMatchObject({source: {auth: {kind: 'pat'}}});
	});

	it('reads the secret file first line and asks for a password only on a terminal', () => {
		expect(parse(['--server', 'https://t', '--token-name', 'n', '--token-secret-file', '/secret'])).toMatchObject({
			source: {auth: {secret: 'pat-secret-value'}},
		});
		expect(parse(['--server', 'https://t', '--username', 'u'])).toMatchObject({source: {auth: {kind: 'password-prompt'}}});
		expect(() => parseConfig(['--server', 'https://t', '--username', 'u'], {env: {}, stdoutIsTTY: false, stdinIsTTY: false})).toThrow(UsageError);
	});

	it('falls back to plain lines when stdout is not a terminal', () => {
		expect(parse(['--demo'], {}, false)).toMatchObject({output: 'plain', source: {kind: 'demo'}, intervalSeconds: 2});
		expect(parse(['--demo', '--once', '--json'])).toMatchObject({output: 'once', json: true});
		expect(parse(['--demo', '--wait', '--stall-timeout', '45', '-q'])).toMatchObject({output: 'wait', stallTimeoutMinutes: 45, quiet: true});
		expect(parse(['--replay', 'x.jsonl', '--speed', '0'])).toMatchObject({source: {kind: 'replay', file: 'x.jsonl', speed: 0}});
		expect(parse(['simulate', '--port', '0', '--scenario', 'fast'])).toMatchObject({command: 'simulate', port: 0, scenario: 'fast'});
	});

	it('honours NO_COLOR, --no-color, --ascii and --no-bell', () => {
		expect(parse(['--demo'], {NO_COLOR: ''})).toMatchObject({color: false});
		expect(parse(['--demo', '--no-color', '--ascii', '--no-bell'])).toMatchObject({color: false, ascii: true, bell: false});
		expect(parse(['--demo'])).toMatchObject({color: true, ascii: false, bell: true});
	});

	it('gives one-line usage errors for bad input', () => {
		expect(usage(['--demo', '--interval', '1'])).toContain('--interval must be at least 2');
		expect(usage(['--demo', '--interval=-5'])).toContain('--interval must be a positive number');
		expect(usage(['--demo', '--interval', 'soon'])).toContain('--interval must be a positive number');
		expect(usage(['--frobnicate'])).toContain("unknown option '--frobnicate'");
		expect(usage([])).toContain('no server');
		expect(usage(['--server', 'https://t'])).toContain('no credentials');
		expect(usage(['--server', 'https://t', '--token-name', 'n', '--token-secret-file', '/missing'])).toBe('--token-secret-file /missing: no such file');
		expect(usage(['--server', 'https://t', '--token-name', 'n', '--token-secret-file', '/empty'])).toContain('empty');
		expect(usage(['--server', 'http://[nope', '--token-name', 'n'], {TABLEAU_PAT_SECRET: 's'})).toContain('is not a URL');
		expect(usage(['--server', 'ftp://t', '--token-name', 'n'], {TABLEAU_PAT_SECRET: 's'})).toContain('http:// or https://');
		expect(usage(['--server', 'https://t', '--api-version', 'latest'], {TABLEAU_AUTH_TOKEN: 't'})).toContain('--api-version');
		expect(usage(['--demo', '--json'])).toBe('--json goes with --once');
		expect(usage(['--demo', '--once', '--wait'])).toContain('cannot be combined');
		expect(usage(['--demo', '--replay', 'f'])).toContain('cannot be combined');
		expect(usage(['--server', 'https://t', '--ca-file', '/secret'], {TABLEAU_AUTH_TOKEN: 't'})).toContain('not a PEM');
		expect(usage(['frob'])).toBe('unknown command "frob"');
	});

	it('refuses secrets on the command line without echoing them', () => {
		const message = usage(['--server', 'https://t', '--token-secret', 'hunter2']);
		expect(message).toContain('not accepted');
		expect(message).not.toContain('hunter2');
		expect(usage(['--password', 'hunter2'])).not.toContain('hunter2');
	});
});

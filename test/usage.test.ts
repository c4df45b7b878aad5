// Every mistake an admin can make on the command line, run through the built command: exit code 2,
// exactly one line on stderr, no stack trace, and never a secret quoted back.
import {spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {chmodSync, mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {CLI, runCli} from './helpers/cli.js';

const SECRET = `usage-secret-${randomBytes(12).toString('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'bft-usage-'));
// Root reads any file: the unreadable-file case runs as nobody, who must reach the folder.
chmodSync(dir, 0o755);
const secretFile = join(dir, 'secret');
writeFileSync(secretFile, `${SECRET}\n`);
const lockedFile = join(dir, 'locked');
writeFileSync(lockedFile, `${SECRET}\n`);
chmodSync(lockedFile, 0o000);
const notPem = join(dir, 'not.pem');
writeFileSync(notPem, 'hello\n');
const notRecording = join(dir, 'notes.txt');
writeFileSync(notRecording, 'this is not a recording\nnor is this\n');
const subdir = join(dir, 'a-directory');
mkdirSync(subdir);
/** Root may read any file; as root, the unreadable-file case runs its command as nobody. */
const NOBODY = process.getuid?.() === 0 ? {uid: 65_534, gid: 65_534} : undefined;
/** A checkout inside a folder closed to others cannot run as nobody; only then is the case skipped. */
const nobodyCanRun = NOBODY === undefined || spawnSync(process.execPath, [CLI, '--version'], NOBODY).status === 0;

const live = ['--server', 'https://tableau.example.com', '--token-name', 'monitor'];
const pat = {TABLEAU_PAT_SECRET: SECRET};

interface Case {
	readonly args: readonly string[];
	readonly env?: Record<string, string>;
	/** A part of the one line that says what is wrong. */
	readonly says: string | RegExp;
	/** Run the command as this user. */
	readonly user?: {uid: number; gid: number};
	readonly skip?: boolean;
}

const cases: Record<string, Case> = {
	'negative interval': {args: ['--demo', '--interval', '-1'], says: '--interval must be a positive number (got "-1")'},
	'negative interval with =': {args: ['--demo', '--interval=-5'], says: '--interval must be a positive number (got "-5")'},
	'zero interval': {args: ['--demo', '--interval', '0'], says: '--interval must be a positive number'},
	'NaN interval': {args: ['--demo', '--interval', 'NaN'], says: '--interval must be a positive number (got "NaN")'},
	'hex interval': {args: ['--demo', '--interval', '0x10'], says: '--interval must be a positive number (got "0x10")'},
	'interval below the floor': {args: ['--demo', '--interval', '1.5'], says: '--interval must be at least 2 seconds (got 1.5)'},
	'interval without its value': {args: ['--demo', '--interval'], says: '--interval needs a value'},
	'interval followed by a flag': {args: ['--demo', '--interval', '--once'], says: '--interval needs a value'},
	'value for a switch': {args: ['--demo', '--once=yes'], says: '--once takes no value'},
	'unknown flag': {args: ['--demo', '--frobnicate'], says: "unknown option '--frobnicate'"},
	'unknown short flag': {args: ['--demo', '-x'], says: "unknown option '-x'"},
	'unknown command': {args: ['frobnicate'], says: 'unknown command "frobnicate"'},
	'missing server': {args: ['--token-name', 'monitor'], env: pat, says: 'no server: give --server URL'},
	'server without its value': {args: ['--token-name', 'monitor', '--server'], env: pat, says: '--server needs a value'},
	'empty server': {args: ['--token-name', 'monitor', '--server='], env: pat, says: 'no server: give --server URL'},
	'empty TABLEAU_SERVER': {args: ['--token-name', 'monitor'], env: {...pat, TABLEAU_SERVER: ''}, says: 'no server: give --server URL'},
	'no credentials': {args: ['--server', 'https://tableau.example.com'], says: 'no credentials'},
	'PAT without its secret': {args: live, says: 'a personal access token needs its secret'},
	'password with no terminal to ask on': {args: ['--server', 'https://t.example', '--username', 'admin'], says: 'no password'},
	'missing secret file': {args: [...live, '--token-secret-file', join(dir, 'nope')], says: ': no such file'},
	'unreadable secret file': {args: [...live, '--token-secret-file', lockedFile], says: ': permission denied', user: NOBODY, skip: !nobodyCanRun},
	'directory as the secret file': {args: [...live, '--token-secret-file', subdir], says: ': it is a directory'},
	'directory as the password file': {args: ['--server', 'https://t.example', '--username', 'admin', '--password-file', subdir], says: ': it is a directory'},
	'missing CA file': {args: [...live, '--ca-file', join(dir, 'nope.pem')], env: pat, says: '--ca-file'},
	'CA file that is not PEM': {args: [...live, '--ca-file', notPem], env: pat, says: 'not a PEM certificate file'},
	'unparsable URL': {args: ['--server', 'http://[nope', '--token-name', 'm'], env: pat, says: 'is not a URL'},
	'unparsable URL from TABLEAU_SERVER': {args: ['--token-name', 'm'], env: {...pat, TABLEAU_SERVER: 'http://[nope'}, says: 'TABLEAU_SERVER "http://[nope" is not a URL'},
	'credentials in an unparsable URL': {args: ['--server', `https://admin:${SECRET}@t example`, '--token-name', 'm'], env: pat, says: '--server "https://…@t example" is not a URL'},
	'credentials in TABLEAU_SERVER': {args: ['--token-name', 'm'], env: {...pat, TABLEAU_SERVER: `https://admin:${SECRET}@t.example`}, says: 'TABLEAU_SERVER must not carry credentials'},
	'scheme without a host': {args: ['--server', 'https://', '--token-name', 'm'], env: pat, says: 'is not a URL'},
	'missing password file': {args: ['--server', 'https://t.example', '--username', 'admin', '--password-file', join(dir, 'nope')], says: ': no such file'},
	'URL with a space': {args: ['--server', 'ht tp://x', '--token-name', 'm'], env: pat, says: 'is not a URL'},
	'ftp URL': {args: ['--server', 'ftp://tableau.example.com', '--token-name', 'm'], env: pat, says: 'http:// or https://'},
	'credentials in the URL': {args: ['--server', `https://admin:${SECRET}@t.example`, '--token-name', 'm'], env: pat, says: 'must not carry credentials'},
	'bad API version': {args: [...live, '--api-version', 'latest'], env: pat, says: '--api-version must look like 3.23'},
	'--json without --once': {args: ['--demo', '--json'], says: '--json goes with --once'},
	'--once with --wait': {args: ['--demo', '--once', '--wait'], says: 'cannot be combined'},
	'--demo with --replay': {args: ['--demo', '--replay', notRecording], says: 'cannot be combined'},
	'--record with --replay': {args: ['--replay', notRecording, '--record', join(dir, 'r.jsonl')], says: 'cannot be combined'},
	'bad speed': {args: ['--replay', notRecording, '--speed', 'fast'], says: '--speed must be a number, 0 or more'},
	'negative speed': {args: ['--replay', notRecording, '--speed', '-1'], says: '--speed must be a number, 0 or more (got "-1")'},
	'speed without a replay': {args: ['--demo', '--speed', '2'], says: '--speed goes with --replay'},
	'port out of range': {args: ['simulate', '--port', '70000'], says: '--port must be a whole number from 0 to 65535'},
	'negative port': {args: ['simulate', '--port', '-1'], says: '--port must be a whole number'},
	'fractional port': {args: ['simulate', '--port', '80.5'], says: '--port must be a whole number'},
	'unknown demo scenario': {args: ['--demo', '--scenario', 'nope'], says: '--scenario "nope" is unknown; known: realistic'},
	'unknown simulator scenario': {args: ['simulate', '--scenario', 'nope'], says: '--scenario "nope" is unknown'},
	'scenario without the demo': {args: [...live, '--scenario', 'fast'], env: pat, says: 'go with --demo'},
	'zero time scale': {args: ['--demo', '--time-scale', '0'], says: '--time-scale must be a positive number'},
	'zero timeout': {args: ['--demo', '--timeout', '0'], says: '--timeout must be a positive number'},
	'negative stall timeout': {args: ['--demo', '--wait', '--stall-timeout', '-3'], says: '--stall-timeout must be a positive number'},
	'extra argument to simulate': {args: ['simulate', 'now'], says: 'unexpected argument "now"'},
	'empty replay path': {args: ['--replay', ''], says: '--replay needs a file'},
	'missing replay file': {args: ['--replay', join(dir, 'nope.jsonl')], says: 'no such file'},
	'directory as the replay file': {args: ['--replay', subdir], says: 'it is a directory'},
	'replay of a file that is no recording': {args: ['--replay', notRecording], says: '--replay'},
	'directory as the record file': {args: ['--demo', '--once', '--record', subdir], says: 'it is a directory'},
	'PAT secret on the command line': {args: [...live, '--token-secret', SECRET], says: '--token-secret is not accepted'},
	'PAT secret with = on the command line': {args: [...live, `--token-secret=${SECRET}`], says: '--token-secret is not accepted'},
	'password on the command line': {args: ['--server', 'https://t.example', '--username', 'admin', '--password', SECRET], says: '--password is not accepted'},
	'session token on the command line': {args: ['--server', 'https://t.example', '--token', SECRET], says: '--token is not accepted'},
	'secret that starts with a dash': {args: [...live, '--token-secret', `-${SECRET}`], says: '--token-secret needs a value'},
	'numeric password': {args: ['--server', 'https://t.example', '--username', 'admin', '--password', '-271828'], says: '--password is not accepted'},
};

describe.concurrent('usage errors', () => {
	for (const [name, c] of Object.entries(cases)) {
		it.skipIf(c.skip === true)(name, async () => {
			const result = await runCli(c.args, c.env ?? {}, {timeoutMs: 30_000, user: c.user}).done;
			const stderrLines = result.stderr.split('\n').filter(line => line !== '');
			expect(result.code, result.stderr).toBe(2);
			expect(stderrLines, result.stderr).toHaveLength(1);
			const line = stderrLines[0] ?? '';
			expect(line.startsWith('backfill-top: ')).toBe(true);
			if (typeof c.says === 'string') {
				expect(line).toContain(c.says);
			} else {
				expect(line).toMatch(c.says);
			}

			expect(result.stderr).not.toMatch(/^\s+at /m);
			expect(result.stdout).toBe('');
			for (const text of [result.stdout, result.stderr]) {
				expect(text).not.toContain(SECRET);
				expect(text).not.toContain('271828');
			}
		}, 30_000);
	}
});

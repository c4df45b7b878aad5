import {readFileSync} from 'node:fs';
import {parseArgs} from 'node:util';
import {SCENARIO_NAMES} from './simulator/names.js';

/** A mistake on the command line: one line to stderr, exit code 2, never a stack trace. */
export class UsageError extends Error {
	override readonly name = 'UsageError';
}

export type Auth =
	| {readonly kind: 'pat'; readonly name: string; readonly secret: string}
	| {readonly kind: 'password'; readonly username: string; readonly password: string}
	/** The password is asked for on the terminal, hidden, after parsing. */
	| {readonly kind: 'password-prompt'; readonly username: string}
	| {readonly kind: 'token'; readonly token: string};

export type SourceConfig =
	| {
			readonly kind: 'live';
			readonly server: string;
			readonly site: string;
			readonly auth: Auth;
			readonly apiVersion: string | undefined;
			readonly caFile: string | undefined;
			readonly insecure: boolean;
	  }
	| {readonly kind: 'demo'; readonly scenario: string; readonly timeScale: number}
	| {readonly kind: 'replay'; readonly file: string; readonly speed: number};

export type OutputMode = 'dashboard' | 'plain' | 'once' | 'wait';

export interface RunConfig {
	readonly command: 'run';
	readonly source: SourceConfig;
	readonly output: OutputMode;
	readonly json: boolean;
	readonly quiet: boolean;
	readonly intervalSeconds: number;
	readonly timeoutSeconds: number;
	readonly stallTimeoutMinutes: number;
	readonly record: string | undefined;
	readonly ascii: boolean;
	readonly color: boolean;
	readonly bell: boolean;
}

export interface SimulateConfig {
	readonly command: 'simulate';
	readonly port: number;
	readonly scenario: string;
	readonly timeScale: number;
}

export type Config = RunConfig | SimulateConfig | {readonly command: 'help'} | {readonly command: 'version'};

export interface ParseContext {
	readonly env: NodeJS.ProcessEnv;
	/** Whether stdout is a terminal: without one the dashboard gives way to --plain. */
	readonly stdoutIsTTY: boolean;
	readonly stdinIsTTY: boolean;
	readonly readFile?: (path: string) => string;
}

export const DEFAULT_INTERVAL_SECONDS = 15;
export const DEMO_INTERVAL_SECONDS = 2;
export const MIN_INTERVAL_SECONDS = 2;
export const DEFAULT_TIMEOUT_SECONDS = 20;
export const DEFAULT_STALL_TIMEOUT_MINUTES = 30;
export const DEMO_TIME_SCALE = 60;

const options = {
	server: {type: 'string'},
	site: {type: 'string'},
	'token-name': {type: 'string'},
	'token-secret-file': {type: 'string'},
	username: {type: 'string'},
	'password-file': {type: 'string'},
	'api-version': {type: 'string'},
	interval: {type: 'string'},
	timeout: {type: 'string'},
	'ca-file': {type: 'string'},
	insecure: {type: 'boolean'},
	once: {type: 'boolean'},
	json: {type: 'boolean'},
	plain: {type: 'boolean'},
	wait: {type: 'boolean'},
	quiet: {type: 'boolean', short: 'q'},
	'stall-timeout': {type: 'string'},
	record: {type: 'string'},
	replay: {type: 'string'},
	speed: {type: 'string'},
	demo: {type: 'boolean'},
	scenario: {type: 'string'},
	'time-scale': {type: 'string'},
	port: {type: 'string'},
	ascii: {type: 'boolean'},
	'no-color': {type: 'boolean'},
	'no-bell': {type: 'boolean'},
	help: {type: 'boolean', short: 'h'},
	version: {type: 'boolean', short: 'V'},
	// Refused with a clear message: secrets on the command line end up in `ps` and shell history.
	'token-secret': {type: 'string'},
	password: {type: 'string'},
	token: {type: 'string'},
} as const;

type Values = ReturnType<typeof parseArgs<{options: typeof options; allowPositionals: true; strict: true}>>['values'];

export function parseConfig(argv: readonly string[], context: ParseContext): Config {
	const {values, positionals} = parse(argv);
	if (values.help) {
		return {command: 'help'};
	}

	if (values.version) {
		return {command: 'version'};
	}

	rejectSecretsInArgv(values);
	const [subcommand, ...extra] = positionals;
	if (subcommand === 'simulate') {
		if (extra.length > 0) {
			throw new UsageError(`unexpected argument "${extra[0]}"`);
		}

		return {
			command: 'simulate',
			port: integer('--port', values.port ?? '8000', 0, 65_535),
			scenario: scenario(values.scenario),
			timeScale: positive('--time-scale', values['time-scale'] ?? String(DEMO_TIME_SCALE)),
		};
	}

	if (subcommand !== undefined) {
		throw new UsageError(`unknown command "${subcommand}"`);
	}

	return runConfig(values, context);
}

function parse(argv: readonly string[]): {values: Values; positionals: string[]} {
	try {
		return parseArgs({args: attachNegativeNumbers(argv), options, allowPositionals: true, strict: true});
	} catch (error) {
		throw new UsageError(parseArgsMessage(error instanceof Error ? error.message : String(error)));
	}
}

/**
 * parseArgs reads `--interval -1` as a flag without its value; join a negative number to its flag
 * so that the range check names the real problem ("must be a positive number (got "-1")").
 */
function attachNegativeNumbers(argv: readonly string[]): string[] {
	const result: string[] = [];
	for (let index = 0; index < argv.length; index++) {
		const arg = argv[index] ?? '';
		const next = argv[index + 1];
		if (arg === '--') {
			result.push(...argv.slice(index));
			break;
		}

		const name = arg.startsWith('--') && !arg.includes('=') ? arg.slice(2) : '';
		const option = (options as Record<string, {type: string} | undefined>)[name];
		if (option?.type === 'string' && next !== undefined && /^-(\d|\.\d)/.test(next)) {
			result.push(`${arg}=${next}`);
			index++;
		} else {
			result.push(arg);
		}
	}

	return result;
}

/** parseArgs' messages span up to three lines; a usage error is one. Values are never quoted back. */
function parseArgsMessage(message: string): string {
	const first = message.split('\n')[0] ?? message;
	const ambiguous = /^Option '([^']+?)' argument is ambiguous/.exec(first);
	if (ambiguous?.[1]) {
		return `${ambiguous[1]} needs a value (for a value that starts with "-", write ${ambiguous[1]}=VALUE)`;
	}

	const missing = /^Option '([^']+?) <value>' argument missing/.exec(first);
	if (missing?.[1]) {
		return `${missing[1]} needs a value`;
	}

	const noValue = /^Option '([^']+?)' does not take an argument/.exec(first);
	if (noValue?.[1]) {
		return `${noValue[1]} takes no value`;
	}

	return first.split('. To specify')[0]?.replace(/^Unknown option/, 'unknown option').replace(/\.$/, '') ?? first;
}

function rejectSecretsInArgv(values: Values): void {
	const where: Record<string, string> = {
		'token-secret': 'TABLEAU_PAT_SECRET or --token-secret-file',
		password: 'TABLEAU_PASSWORD, --password-file, or the prompt',
		token: 'TABLEAU_AUTH_TOKEN',
	};
	for (const [flag, instead] of Object.entries(where)) {
		if (values[flag as keyof Values] !== undefined) {
			throw new UsageError(`--${flag} is not accepted: secrets on the command line show in ps and shell history; use ${instead}`);
		}
	}
}

function runConfig(values: Values, context: ParseContext): RunConfig {
	const {env} = context;
	const sources = [values.demo ? '--demo' : null, values.replay === undefined ? null : '--replay'].filter(Boolean);
	if (sources.length > 1) {
		throw new UsageError('--demo and --replay cannot be combined');
	}

	const source = sourceConfig(values, context);
	const modes = (['once', 'wait'] as const).filter(mode => values[mode]);
	if (modes.length > 1) {
		throw new UsageError('--once and --wait cannot be combined');
	}

	if (values.json && !values.once) {
		throw new UsageError('--json goes with --once');
	}

	if (source.kind === 'replay' && values.record !== undefined) {
		throw new UsageError('--record cannot be combined with --replay');
	}

	const output: OutputMode = values.once ? 'once' : values.wait ? 'wait' : values.plain || !context.stdoutIsTTY ? 'plain' : 'dashboard';
	const defaultInterval = source.kind === 'demo' ? DEMO_INTERVAL_SECONDS : DEFAULT_INTERVAL_SECONDS;
	const interval = values.interval === undefined ? defaultInterval : positive('--interval', values.interval);
	if (interval < MIN_INTERVAL_SECONDS) {
		throw new UsageError(`--interval must be at least ${MIN_INTERVAL_SECONDS} seconds (got ${values.interval})`);
	}

	return {
		command: 'run',
		source,
		output,
		json: Boolean(values.json),
		quiet: Boolean(values.quiet),
		intervalSeconds: interval,
		timeoutSeconds: positive('--timeout', values.timeout ?? String(DEFAULT_TIMEOUT_SECONDS)),
		stallTimeoutMinutes: positive('--stall-timeout', values['stall-timeout'] ?? String(DEFAULT_STALL_TIMEOUT_MINUTES)),
		record: values.record,
		ascii: Boolean(values.ascii),
		color: !values['no-color'] && !('NO_COLOR' in env && env.NO_COLOR !== undefined),
		bell: !values['no-bell'],
	};
}

function sourceConfig(values: Values, context: ParseContext): SourceConfig {
	if (values.demo) {
		if (values.speed !== undefined) {
			throw new UsageError('--speed goes with --replay');
		}

		return {
			kind: 'demo',
			scenario: scenario(values.scenario),
			timeScale: positive('--time-scale', values['time-scale'] ?? String(DEMO_TIME_SCALE)),
		};
	}

	if (values.replay !== undefined) {
		if (values.replay === '') {
			throw new UsageError('--replay needs a file');
		}

		const speed = values.speed === undefined ? 1 : nonNegative('--speed', values.speed);
		return {kind: 'replay', file: values.replay, speed};
	}

	if (values.scenario !== undefined || values['time-scale'] !== undefined) {
		throw new UsageError('--scenario and --time-scale go with --demo or the simulate command');
	}

	if (values.speed !== undefined) {
		throw new UsageError('--speed goes with --replay');
	}

	const {env} = context;
	const serverText = values.server ?? env.TABLEAU_SERVER;
	if (!serverText) {
		throw new UsageError('no server: give --server URL (or TABLEAU_SERVER), or try --demo');
	}

	return {
		kind: 'live',
		server: serverUrl(serverText, values.server === undefined ? 'TABLEAU_SERVER' : '--server'),
		site: values.site ?? env.TABLEAU_SITE ?? '',
		auth: auth(values, context),
		apiVersion: apiVersion(values['api-version']),
		caFile: readableFile('--ca-file', values['ca-file'], context) === undefined ? undefined : values['ca-file'],
		insecure: Boolean(values.insecure),
	};
}

function auth(values: Values, context: ParseContext): Auth {
	const {env} = context;
	const tokenName = values['token-name'] ?? env.TABLEAU_PAT_NAME;
	if (tokenName) {
		const secret = readableFile('--token-secret-file', values['token-secret-file'], context) ?? env.TABLEAU_PAT_SECRET;
		if (!secret) {
			throw new UsageError('a personal access token needs its secret: set TABLEAU_PAT_SECRET or give --token-secret-file FILE');
		}

		return {kind: 'pat', name: tokenName, secret};
	}

	const username = values.username ?? env.TABLEAU_USERNAME;
	if (username) {
		const password = readableFile('--password-file', values['password-file'], context) ?? env.TABLEAU_PASSWORD;
		if (password) {
			return {kind: 'password', username, password};
		}

		if (!context.stdinIsTTY) {
			throw new UsageError('no password: set TABLEAU_PASSWORD or give --password-file FILE (no terminal to ask on)');
		}

		return {kind: 'password-prompt', username};
	}

	const token = env.TABLEAU_AUTH_TOKEN;
	if (token) {
		return {kind: 'token', token};
	}

	throw new UsageError(
		'no credentials: give --token-name NAME with TABLEAU_PAT_SECRET, or --username NAME, or set TABLEAU_AUTH_TOKEN',
	);
}

/** Reads a secret or CA file; the first line for secrets, so a trailing newline from `echo` is harmless. */
function readableFile(flag: string, path: string | undefined, context: ParseContext): string | undefined {
	if (path === undefined) {
		return undefined;
	}

	const read = context.readFile ?? ((file: string) => readFileSync(file, 'utf8'));
	let text: string;
	try {
		text = read(path);
	} catch (error) {
		const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unreadable';
		const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : 'cannot read it';
		throw new UsageError(`${flag} ${path}: ${reason}`);
	}

	if (flag === '--ca-file') {
		if (!text.includes('-----BEGIN CERTIFICATE-----')) {
			throw new UsageError(`${flag} ${path}: not a PEM certificate file`);
		}

		return text;
	}

	const secret = text.split(/\r?\n/)[0]?.trim() ?? '';
	if (secret === '') {
		throw new UsageError(`${flag} ${path}: the file is empty`);
	}

	return secret;
}

/** `from` names where the URL came from, so the sentence points at what to fix. */
function serverUrl(text: string, from: '--server' | 'TABLEAU_SERVER'): string {
	const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
	let url: URL;
	try {
		url = new URL(withScheme);
	} catch {
		// Whatever stands before an @ may be a password: it is not repeated.
		const shown = text.replace(/^([^/]*\/\/)?[^/]*@/, (_all, scheme: string | undefined) => `${scheme ?? ''}…@`);
		throw new UsageError(`${from} "${shown}" is not a URL (expected e.g. https://tableau.example.com)`);
	}

	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new UsageError(`${from} must be an http:// or https:// URL (got ${url.protocol}//)`);
	}

	if (url.username || url.password) {
		throw new UsageError(`${from} must not carry credentials; use --token-name or --username`);
	}

	return url.origin;
}

function apiVersion(text: string | undefined): string | undefined {
	if (text === undefined) {
		return undefined;
	}

	if (!/^\d+\.\d+$/.test(text)) {
		throw new UsageError(`--api-version must look like 3.23 (got "${text}")`);
	}

	return text;
}

function scenario(name: string | undefined): string {
	if (name === undefined) {
		return 'realistic';
	}

	if (!SCENARIO_NAMES.includes(name)) {
		throw new UsageError(`--scenario "${name}" is unknown; known: ${SCENARIO_NAMES.join(', ')}`);
	}

	return name;
}

/** Plain decimals only: Number() would also take "0x10", "1e1" and " 5 ", which nobody means as seconds. */
const DECIMAL = /^(\d+(\.\d*)?|\.\d+)$/;

function positive(flag: string, text: string): number {
	const value = Number(text);
	if (!DECIMAL.test(text) || !Number.isFinite(value) || value <= 0) {
		throw new UsageError(`${flag} must be a positive number (got "${text}")`);
	}

	return value;
}

function nonNegative(flag: string, text: string): number {
	const value = Number(text);
	if (!DECIMAL.test(text) || !Number.isFinite(value) || value < 0) {
		throw new UsageError(`${flag} must be a number, 0 or more (got "${text}")`);
	}

	return value;
}

function integer(flag: string, text: string, min: number, max: number): number {
	const value = Number(text);
	if (!/^\d+$/.test(text) || !Number.isInteger(value) || value < min || value > max) {
		throw new UsageError(`${flag} must be a whole number from ${min} to ${max} (got "${text}")`);
	}

	return value;
}

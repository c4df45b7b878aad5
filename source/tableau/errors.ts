import type {SchemaError} from './schema.js';

export type ErrorKind =
	| 'bad-credentials'
	| 'session-expired'
	| 'pat-superseded'
	| 'not-admin'
	| 'not-enabled'
	| 'tableau-cloud'
	| 'http-redirect'
	| 'dns'
	| 'refused'
	| 'timeout'
	| 'reset'
	| 'tls-untrusted'
	| 'tls-hostname'
	| 'tls-expired'
	| 'proxy'
	| 'login-page'
	| 'server-error'
	| 'malformed-json'
	| 'schema'
	| 'not-found'
	| 'unknown';

/** Everything that can go wrong talking to Tableau, as one sentence of what happened and one of what to do. */
export class TableauError extends Error {
	override readonly name = 'TableauError';

	constructor(
		readonly kind: ErrorKind,
		message: string,
		readonly action: string,
		readonly retryable: boolean,
		readonly status: number | null = null,
		readonly code: string | null = null,
	) {
		super(message);
	}
}

const ENABLE = 'Run `tsm maintenance metadata-services enable` on the server as a server administrator, then try again.';

/** The fixed sentences, so that every mode says the same thing about the same failure. */
export function tableauError(kind: ErrorKind, host: string, detail = '', status: number | null = null, code: string | null = null): TableauError {
	const make = (message: string, action: string, retryable: boolean) => new TableauError(kind, message, action, retryable, status, code);
	switch (kind) {
		case 'bad-credentials': {
			return make(
				'Tableau Server rejected the sign-in: the token name or secret (or user name or password) is wrong, expired or revoked, or the site does not exist.',
				'Check TABLEAU_PAT_SECRET / --token-secret-file (or the password) and --site, or create a new personal access token in My Account Settings.',
				false,
			);
		}

		case 'session-expired': {
			return make(
				'The session expired and the server refused it.',
				'Get a new session token (TABLEAU_AUTH_TOKEN), or sign in with --token-name or --username so the tool can sign in again by itself.',
				false,
			);
		}

		case 'pat-superseded': {
			return make(
				'Another sign-in with the same personal access token ended this session: a token allows one session at a time, so a second terminal or a cron job using it logs this one out.',
				'Give this monitor its own personal access token, or stop the other process; press r to sign in again.',
				false,
			);
		}

		case 'not-admin': {
			return make(
				'The server refused the Backfill API to this user (403): it needs a server administrator, and a site administrator is not enough.',
				'Sign in as a server administrator, or use a personal access token of one.',
				false,
			);
		}

		case 'not-enabled': {
			return make('The Metadata API is not enabled on this server (the Backfill API answered 404).', ENABLE, true);
		}

		case 'tableau-cloud': {
			return make(
				`${host} looks like Tableau Cloud, and the Backfill API is a Tableau Server endpoint.`,
				'Tableau Cloud indexes content by itself; point --server at a Tableau Server.',
				false,
			);
		}

		case 'http-redirect': {
			return make(
				'The server redirects http:// to https://, which turns the sign-in POST into a GET that Tableau refuses (405000).',
				`Use the https:// URL: --server https://${host}`,
				false,
			);
		}

		case 'dns': {
			return make(`The server name ${host} could not be resolved (DNS).`, 'Check the spelling of --server, the VPN, and the DNS settings.', true);
		}

		case 'refused': {
			return make(`${host} refused the connection: nothing is listening there, or the server is restarting.`, 'Check the URL and port, and that Tableau Server is running; polling continues.', true);
		}

		case 'timeout': {
			return make(`${host} did not answer in time${detail ? ` (${detail})` : ''}.`, 'The server may be busy; polling continues with backoff. A longer --timeout may help.', true);
		}

		case 'reset': {
			return make(`The connection to ${host} was closed before an answer arrived.`, 'A proxy, load balancer or restart may have cut it; polling continues.', true);
		}

		case 'tls-untrusted': {
			return make(
				`The TLS certificate of ${host} is not trusted: it is self-signed or issued by a CA this machine does not know.`,
				'Give the CA certificate with --ca-file ca.pem (or, knowingly, --insecure).',
				false,
			);
		}

		case 'tls-hostname': {
			return make(`The TLS certificate of the server is not valid for the name ${host}.`, 'Use the host name the certificate was issued for in --server.', false);
		}

		case 'tls-expired': {
			return make(`The TLS certificate of ${host} has expired (or is not yet valid).`, 'Renew the server certificate, or check this machine\'s clock.', false);
		}

		case 'proxy': {
			return make(`The proxy between here and ${host} failed${detail ? ` (${detail})` : ''}.`, 'Check HTTPS_PROXY / HTTP_PROXY / NO_PROXY.', true);
		}

		case 'login-page': {
			return make(
				'An HTML login page came back instead of JSON: a single sign-on gateway or proxy sits in front of the server.',
				'Reach Tableau Server directly (or through NO_PROXY), or ask for the API path to be let through.',
				true,
			);
		}

		case 'server-error': {
			return make(`Tableau Server answered with an error${status === null ? '' : ` (HTTP ${status})`}.`, 'The server may be restarting or overloaded; polling continues.', true);
		}

		case 'malformed-json': {
			return make('The server answered with JSON that could not be read (cut off or malformed).', 'Usually transient; polling continues. If it persists, check a proxy in between.', true);
		}

		case 'schema': {
			return make(`The Backfill API answer has an unexpected shape: ${detail}.`, 'A proxy may be rewriting answers, or the server is a version this tool does not know; please report it.', true);
		}

		case 'not-found': {
			return make(`Nothing at that address on ${host} (HTTP 404): this does not look like Tableau Server.`, 'Check --server: it should be the address you open Tableau Server at.', false);
		}

		case 'unknown': {
			return make(`The request to ${host} failed${detail ? ` (${detail})` : ''}.`, 'Polling continues; run with --once to see this error alone.', true);
		}
	}
}

export interface ResponseInfo {
	readonly status: number;
	readonly contentType: string | null;
	readonly body: string;
	readonly url: string;
	readonly during: 'serverinfo' | 'signin' | 'status' | 'signout';
}

/** A Tableau error code from any of its shapes: REST XML, REST JSON, or none (Spring JSON, HTML). */
export function tableauCode(body: string): string | null {
	const xml = /<error[^>]*\scode="(\d+)"/.exec(body);
	if (xml?.[1]) {
		return xml[1];
	}

	try {
		const parsed: unknown = JSON.parse(body);
		if (typeof parsed === 'object' && parsed !== null && 'error' in parsed) {
			const error = (parsed as {error: unknown}).error;
			if (typeof error === 'object' && error !== null && 'code' in error) {
				return String((error as {code: unknown}).code);
			}
		}
	} catch {
		// Not JSON: HTML or text.
	}

	return null;
}

function isHtml(contentType: string | null, body: string): boolean {
	return (contentType ?? '').includes('html') || /^\s*(<!doctype html|<html)/i.test(body);
}

function looksLikeLogin(body: string): boolean {
	return /<form/i.test(body) && /(password|sign[\s-]?in|log[\s-]?in|sso|saml|okta)/i.test(body);
}

export function errorFromResponse(info: ResponseInfo): TableauError {
	const host = hostOf(info.url);
	const code = tableauCode(info.body);
	const html = isHtml(info.contentType, info.body);
	const at = (kind: ErrorKind, detail = '') => tableauError(kind, host, detail, info.status, code);
	if (html && looksLikeLogin(info.body)) {
		return at('login-page');
	}

	if (code === '405000') {
		return at('http-redirect');
	}

	if (info.status === 401) {
		if (info.during === 'signin' || code === '401001') {
			return at('bad-credentials');
		}

		return at(code === '401002' ? 'pat-superseded' : 'session-expired');
	}

	if (info.status === 403) {
		return at('not-admin');
	}

	if (info.status === 404) {
		if (info.during === 'status' && !html) {
			return at('not-enabled');
		}

		return at('not-found');
	}

	if (info.status === 407) {
		return at('proxy', 'proxy authentication required');
	}

	if (info.status >= 500) {
		return at('server-error');
	}

	if (html) {
		return at('login-page');
	}

	return at('unknown', `HTTP ${info.status}`);
}

/** Node, undici and node-fetch spell network failures as error codes, sometimes one `cause` deep. */
export function errorFromNetwork(error: unknown, url: string): TableauError {
	if (error instanceof TableauError) {
		return error;
	}

	const host = hostOf(url);
	const code = errorCode(error);
	const name = typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
	const message = error instanceof Error ? error.message : '';
	if (name === 'AbortError' || name === 'TimeoutError' || code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
		return tableauError('timeout', host);
	}

	switch (code) {
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
		case 'EAI_FAIL': {
			return tableauError('dns', host);
		}

		case 'ECONNREFUSED': {
			return tableauError('refused', host);
		}

		case 'ECONNRESET':
		case 'EPIPE':
		case 'UND_ERR_SOCKET': {
			return tableauError('reset', host);
		}

		case 'DEPTH_ZERO_SELF_SIGNED_CERT':
		case 'SELF_SIGNED_CERT_IN_CHAIN':
		case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
		case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
		case 'UNABLE_TO_GET_ISSUER_CERT':
		case 'CERT_UNTRUSTED':
		case 'CERT_SIGNATURE_FAILURE': {
			return tableauError('tls-untrusted', host);
		}

		case 'ERR_TLS_CERT_ALTNAME_INVALID': {
			return tableauError('tls-hostname', host);
		}

		case 'CERT_HAS_EXPIRED':
		case 'CERT_NOT_YET_VALID': {
			return tableauError('tls-expired', host);
		}

		default: {
			break;
		}
	}

	if (/socket hang up/i.test(message)) {
		return tableauError('reset', host);
	}

	if (/proxy/i.test(message)) {
		return tableauError('proxy', host, code ?? '');
	}

	return tableauError('unknown', host, code ?? name);
}

export function errorFromSchema(error: SchemaError, url: string): TableauError {
	return tableauError('schema', hostOf(url), error.message);
}

/** Removes every occurrence of each secret from text that might echo one (a body, a URL). */
export function redact(text: string, secrets: readonly string[]): string {
	let result = text;
	for (const secret of secrets) {
		if (secret.length > 0) {
			// In a JSON body a password with a quote or a backslash appears escaped.
			const escaped = JSON.stringify(secret).slice(1, -1);
			for (const form of escaped === secret ? [secret] : [secret, escaped]) {
				result = result.split(form).join('[redacted]');
			}
		}
	}

	return result;
}

function errorCode(error: unknown): string | null {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
		if ('code' in current && typeof current.code === 'string') {
			return current.code;
		}

		if ('errno' in current && typeof current.errno === 'string') {
			return current.errno;
		}

		current = 'cause' in current ? current.cause : undefined;
	}

	return null;
}

export function hostOf(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return 'the server';
	}
}

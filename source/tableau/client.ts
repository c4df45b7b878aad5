import type {BackfillSnapshot} from '../model/snapshot.js';
import {errorFromNetwork, errorFromResponse, errorFromSchema, hostOf, redact, tableauError, TableauError} from './errors.js';
import {mapStrings} from './map-strings.js';
import {normalize, SchemaError} from './schema.js';
import type {ServerDescription, StatusSource} from './status-source.js';
import {Transport, type HttpAnswer} from './transport.js';

export type Credentials =
	| {readonly kind: 'pat'; readonly name: string; readonly secret: string}
	| {readonly kind: 'password'; readonly username: string; readonly password: string}
	| {readonly kind: 'token'; readonly token: string};

export interface ClientOptions {
	/** Base URL; only its origin is used. */
	readonly server: string;
	/** Site contentUrl; '' is the default site. */
	readonly site: string;
	readonly credentials: Credentials;
	readonly apiVersion?: string;
	readonly timeoutSeconds: number;
	readonly caFile?: string;
	readonly insecure?: boolean;
	readonly mode?: 'live' | 'demo';
	readonly env?: NodeJS.ProcessEnv;
}

/** The first REST version on which tableauserverclient allows the backfill call; used when serverinfo cannot say. */
export const DEFAULT_API_VERSION = '3.9';
export const INSECURE_WARNING = 'warning: --insecure: TLS certificates are not verified, so anyone on the network path could read the session token.';
const STATUS_PATH = '/api/metadata/v1/control/backfill/status';
const SIGN_OUT_TIMEOUT_MS = 3_000;

export interface TableauClient extends StatusSource {
	readonly notices: readonly string[];
	signIn(signal?: AbortSignal): Promise<void>;
}

/** Asks serverinfo for the versions, signs in (unless given a session token), and returns the client. */
export async function connect(options: ClientOptions, signal?: AbortSignal): Promise<TableauClient> {
	const client = new Client(options);
	try {
		await client.start(signal);
	} catch (error) {
		client.dispose();
		throw error;
	}

	return client;
}

class Client implements TableauClient {
	readonly notices: string[] = [];
	readonly #options: ClientOptions;
	readonly #origin: string;
	readonly #transport: Transport;
	readonly #secrets: string[];
	#token: string | null;
	/**
	 * The last status body and what it validated to. Between checkpoints the server answers the same
	 * document poll after poll; parsing and validating it again would be work for nothing.
	 */
	#lastStatus: {readonly body: string; readonly snapshot: BackfillSnapshot} | null = null;
	#apiVersion: string;
	#productVersion: string | null = null;
	#serverApiVersion: string | null = null;
	#inFlight: Promise<BackfillSnapshot> | null = null;

	constructor(options: ClientOptions) {
		this.#options = options;
		this.#origin = new URL(options.server).origin;
		this.#transport = new Transport({caFile: options.caFile, insecure: options.insecure, env: options.env});
		const credentials = options.credentials;
		this.#secrets = credentials.kind === 'pat' ? [credentials.secret] : credentials.kind === 'password' ? [credentials.password] : [credentials.token];
		this.#token = credentials.kind === 'token' ? credentials.token : null;
		this.#apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
	}

	get description(): ServerDescription {
		return {
			server: hostOf(this.#origin),
			site: this.#options.site,
			productVersion: this.#productVersion,
			apiVersion: this.#serverApiVersion ?? this.#options.apiVersion ?? null,
			mode: this.#options.mode ?? 'live',
		};
	}

	async start(signal?: AbortSignal): Promise<void> {
		if (/\.online\.tableau\.com$/i.test(new URL(this.#origin).hostname)) {
			throw tableauError('tableau-cloud', hostOf(this.#origin));
		}

		await this.#serverInfo(signal);
		if (this.#options.credentials.kind !== 'token') {
			await this.signIn(signal);
		}
	}

	async #serverInfo(signal?: AbortSignal): Promise<void> {
		try {
			const answer = await this.#request('GET', `/api/2.4/serverinfo`, {Accept: 'application/json'}, undefined, signal);
			if (answer.status >= 300 && answer.status < 400) {
				throw this.#redirectOrError(answer, 'serverinfo');
			}

			if (answer.status !== 200) {
				throw errorFromResponse({...this.#info(answer), during: 'serverinfo'});
			}

			const info = (JSON.parse(answer.body) as {serverInfo?: {productVersion?: {value?: unknown}; restApiVersion?: unknown}}).serverInfo;
			this.#productVersion = typeof info?.productVersion?.value === 'string' ? info.productVersion.value : null;
			this.#serverApiVersion = typeof info?.restApiVersion === 'string' ? info.restApiVersion : null;
			if (this.#options.apiVersion === undefined && this.#serverApiVersion !== null) {
				this.#apiVersion = this.#serverApiVersion;
			}
		} catch (error) {
			const failure = error instanceof TableauError ? error : errorFromNetwork(error, this.#origin);
			// A server that cannot be reached, or whose certificate is refused, will not sign in either.
			if (['dns', 'refused', 'tls-untrusted', 'tls-hostname', 'tls-expired', 'http-redirect', 'login-page', 'timeout', 'proxy'].includes(failure.kind)) {
				throw failure;
			}

			if (this.#options.apiVersion === undefined) {
				this.notices.push(`serverinfo failed (${failure.message}); signing in with REST API ${DEFAULT_API_VERSION}.`);
			}
		}
	}

	async signIn(signal?: AbortSignal): Promise<void> {
		const credentials = this.#options.credentials;
		if (credentials.kind === 'token') {
			return;
		}

		const site = {contentUrl: this.#options.site};
		const body =
			credentials.kind === 'pat'
				? {credentials: {personalAccessTokenName: credentials.name, personalAccessTokenSecret: credentials.secret, site}}
				: {credentials: {name: credentials.username, password: credentials.password, site}};
		const answer = await this.#request(
			'POST',
			`/api/${this.#apiVersion}/auth/signin`,
			{Accept: 'application/json', 'Content-Type': 'application/json'},
			JSON.stringify(body),
			signal,
		);
		if (answer.status >= 300 && answer.status < 400) {
			throw this.#redirectOrError(answer, 'signin');
		}

		if (answer.status !== 200) {
			throw errorFromResponse({...this.#info(answer), during: 'signin'});
		}

		let token: unknown;
		try {
			token = (JSON.parse(answer.body) as {credentials?: {token?: unknown}}).credentials?.token;
		} catch {
			token = undefined;
		}

		if (typeof token !== 'string' || token === '') {
			throw tableauError('malformed-json', hostOf(this.#origin));
		}

		this.#token = token;
		this.#secrets.push(token);
		// A body is redacted of the secrets known when it was read: with a new one, read it anew.
		this.#lastStatus = null;
	}

	/** At most one request on the wire: a second caller shares the answer of the first. */
	fetchStatus(signal: AbortSignal): Promise<BackfillSnapshot> {
		if (!this.#inFlight) {
			this.#inFlight = this.#fetchWithReauth(signal).finally(() => {
				this.#inFlight = null;
			});
		}

		return this.#inFlight;
	}

	async #fetchWithReauth(signal: AbortSignal): Promise<BackfillSnapshot> {
		const first = await this.#statusRequest(signal);
		if (first.status !== 401) {
			return this.#snapshotFrom(first);
		}

		const firstError = errorFromResponse({...this.#info(first), during: 'status'});
		if (this.#options.credentials.kind === 'token') {
			throw tableauError('session-expired', hostOf(this.#origin), '', 401, firstError.code);
		}

		// Sessions end after 240 minutes: sign in once more and retry, never in a loop (a loop would
		// fight another process that uses the same personal access token).
		await this.signIn(signal);
		const second = await this.#statusRequest(signal);
		if (second.status === 401) {
			const secondError = errorFromResponse({...this.#info(second), during: 'status'});
			const superseded = this.#options.credentials.kind === 'pat';
			throw tableauError(superseded ? 'pat-superseded' : 'session-expired', hostOf(this.#origin), '', 401, secondError.code);
		}

		return this.#snapshotFrom(second);
	}

	#statusRequest(signal: AbortSignal): Promise<HttpAnswer> {
		const headers: Record<string, string> = {Accept: 'application/json'};
		if (this.#token !== null) {
			headers['X-Tableau-Auth'] = this.#token;
		}

		return this.#request('GET', STATUS_PATH, headers, undefined, signal);
	}

	#snapshotFrom(answer: HttpAnswer): BackfillSnapshot {
		if (answer.status !== 200) {
			throw errorFromResponse({...this.#info(answer), during: 'status'});
		}

		const contentType = answer.headers.get('content-type') ?? '';
		if (!contentType.includes('json')) {
			throw errorFromResponse({...this.#info(answer), during: 'status'});
		}

		const date = Date.parse(answer.headers.get('date') ?? '');
		const info = {receivedAt: Date.now(), serverTime: Number.isNaN(date) ? null : date};
		if (this.#lastStatus?.body === answer.body) {
			return {...this.#lastStatus.snapshot, ...info};
		}

		let body: unknown;
		try {
			// A string that echoes the token would otherwise reach the screen, a recording, or a
			// schema error that quotes it. Only strings: a short password must not rewrite a count.
			body = mapStrings(JSON.parse(answer.body), text => redact(text, this.#secrets));
		} catch {
			throw tableauError('malformed-json', hostOf(this.#origin));
		}

		try {
			const snapshot = normalize(body, info);
			this.#lastStatus = {body: answer.body, snapshot};
			return snapshot;
		} catch (error) {
			if (error instanceof SchemaError) {
				throw errorFromSchema(error, this.#origin);
			}

			throw error;
		}
	}

	#redirectOrError(answer: HttpAnswer, during: 'serverinfo' | 'signin'): TableauError {
		const location = answer.headers.get('location') ?? '';
		if (this.#origin.startsWith('http:') && location.startsWith('https:')) {
			return tableauError('http-redirect', hostOf(this.#origin), '', answer.status);
		}

		return errorFromResponse({...this.#info(answer), during});
	}

	#info(answer: HttpAnswer): {status: number; contentType: string | null; body: string; url: string} {
		return {status: answer.status, contentType: answer.headers.get('content-type'), body: redact(answer.body, this.#secrets), url: this.#origin};
	}

	async #request(method: 'GET' | 'POST', path: string, headers: Record<string, string>, body: string | undefined, signal?: AbortSignal, timeoutMs?: number): Promise<HttpAnswer> {
		const timeout = AbortSignal.timeout(timeoutMs ?? this.#options.timeoutSeconds * 1000);
		const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
		try {
			return await this.#transport.request({method, url: `${this.#origin}${path}`, headers, body, signal: combined});
		} catch (error) {
			const failure = errorFromNetwork(error, this.#origin);
			if (failure.kind === 'timeout' && !timeout.aborted) {
				// The caller aborted (quit, refresh): not the server's fault, but still a failure of this call.
				throw tableauError('timeout', hostOf(this.#origin), 'request cancelled');
			}

			if (failure.kind === 'timeout') {
				throw tableauError('timeout', hostOf(this.#origin), `${this.#options.timeoutSeconds} s`);
			}

			throw failure;
		}
	}

	async close(): Promise<void> {
		try {
			if (this.#options.credentials.kind !== 'token' && this.#token !== null) {
				await this.#request('POST', `/api/${this.#apiVersion}/auth/signout`, {'X-Tableau-Auth': this.#token}, undefined, undefined, SIGN_OUT_TIMEOUT_MS);
				this.#token = null;
			}
		} catch {
			// Best effort: the session ends by itself after its idle limit.
		} finally {
			this.dispose();
		}
	}

	dispose(): void {
		this.#transport.close();
	}
}

import {readFileSync} from 'node:fs';
import {Agent as HttpAgent} from 'node:http';
import {Agent as HttpsAgent} from 'node:https';
import {rootCertificates} from 'node:tls';
import fetch from 'cross-fetch';
import {HttpProxyAgent} from 'http-proxy-agent';
import {HttpsProxyAgent} from 'https-proxy-agent';
import {getProxyForUrl} from 'proxy-from-env';

export interface TransportOptions {
	/** PEM file trusted in addition to the system's CAs. */
	readonly caFile?: string;
	readonly insecure?: boolean;
	readonly env?: NodeJS.ProcessEnv;
}

export interface HttpAnswer {
	readonly status: number;
	readonly headers: {get(name: string): string | null};
	readonly body: string;
	readonly url: string;
}

export interface HttpRequest {
	readonly method: 'GET' | 'POST';
	readonly url: string;
	readonly headers: Record<string, string>;
	readonly body?: string;
	readonly signal: AbortSignal;
}

/**
 * HTTP for the client: cross-fetch (node-fetch 2 underneath) with one agent per target protocol,
 * carrying the TLS trust settings, through a proxy when HTTPS_PROXY / HTTP_PROXY / NO_PROXY say so.
 */
export class Transport {
	readonly #tls: {ca?: string[]; rejectUnauthorized: boolean};
	readonly #env: NodeJS.ProcessEnv;
	readonly #agents = new Map<string, HttpAgent>();

	constructor(options: TransportOptions) {
		const extra = options.caFile === undefined ? undefined : readFileSync(options.caFile, 'utf8');
		this.#tls = {
			...(extra === undefined ? {} : {ca: [...rootCertificates, extra]}),
			rejectUnauthorized: !options.insecure,
		};
		this.#env = options.env ?? process.env;
	}

	async request(request: HttpRequest): Promise<HttpAnswer> {
		const response = await fetch(request.url, {
			method: request.method,
			headers: request.headers,
			body: request.body,
			signal: request.signal,
			redirect: 'manual',
			// node-fetch 2 takes an agent; the DOM RequestInit type does not know it.
			...({agent: this.#agentFor(request.url)} as Record<string, unknown>),
		});
		const body = await response.text();
		return {status: response.status, headers: response.headers, body, url: request.url};
	}

	#agentFor(url: string): HttpAgent {
		const proxy = withEnv(this.#env, () => getProxyForUrl(url));
		const secure = url.startsWith('https:');
		const key = `${secure ? 'https' : 'http'} ${proxy}`;
		const existing = this.#agents.get(key);
		if (existing) {
			return existing;
		}

		const options = {keepAlive: true, ...this.#tls};
		const agent: HttpAgent =
			proxy === ''
				? secure
					? new HttpsAgent(options)
					: new HttpAgent({keepAlive: true})
				: secure
					? new HttpsProxyAgent(proxy, options)
					: new HttpProxyAgent(proxy, {keepAlive: true});
		this.#agents.set(key, agent);
		return agent;
	}

	close(): void {
		for (const agent of this.#agents.values()) {
			agent.destroy();
		}

		this.#agents.clear();
	}
}

/** proxy-from-env reads process.env; tests and callers may give their own environment. */
function withEnv<T>(env: NodeJS.ProcessEnv, read: () => T): T {
	if (env === process.env) {
		return read();
	}

	const names = ['http_proxy', 'https_proxy', 'all_proxy', 'no_proxy', 'npm_config_proxy', 'npm_config_https_proxy', 'npm_config_no_proxy'];
	const saved = new Map<string, string | undefined>();
	for (const name of names.flatMap(n => [n, n.toUpperCase()])) {
		saved.set(name, process.env[name]);
		if (env[name] === undefined) {
			delete process.env[name];
		} else {
			process.env[name] = env[name];
		}
	}

	try {
		return read();
	} finally {
		for (const [name, value] of saved) {
			if (value === undefined) {
				delete process.env[name];
			} else {
				process.env[name] = value;
			}
		}
	}
}

import {randomBytes} from 'node:crypto';
import {createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import {createServer as createHttpsServer} from 'node:https';
import type {Socket} from 'node:net';
import {HTML_500, LOGIN_PAGE, restError, send, serverInfo, signInAnswer, springError, type Shape} from './responses.js';
import {FAULT_NAMES, SCENARIO_NAMES, type FaultKind} from './names.js';
import {scenarioByName, type Scenario} from './scenarios.js';

export {FAULT_NAMES, SCENARIO_NAMES, type FaultKind} from './names.js';

export interface SimulatorOptions {
	port?: number;
	host?: string;
	scenario?: string;
	/** Server seconds per real second. */
	timeScale?: number;
	startTime?: number;
	/** Server seconds of the scenario already behind it at start: benchmarks watch a run mid-way at real pace. */
	elapsedAtStart?: number;
	faults?: FaultSpec[];
	tls?: {key: string | Buffer; cert: string | Buffer};
	/** Session lifetime in server minutes (Tableau Server's default is 240). */
	sessionMinutes?: number;
	/** Credentials accepted besides the demo ones, e.g. unique secrets for the tests that hunt for leaks. */
	extraCredentials?: ReadonlyArray<{patName: string; patSecret: string} | {username: string; password: string}>;
}

export interface FaultSpec {
	kind: FaultKind;
	/** The fault starts with the Nth status request counted from injection (1-based). */
	afterRequests?: number;
	/** How many status requests it affects. */
	count?: number;
	/** 'slow': the answer's delay; 'down': how long the server stays down. */
	delayMs?: number;
}

export interface SimulatorStats {
	statusRequests: number;
	signIns: number;
	failedSignIns: number;
	signOuts: number;
	activeSessions: number;
	/** Every session token handed out, so tests can prove none of them leaks. */
	issuedTokens: readonly string[];
	maxConcurrentStatus: number;
	requests: ReadonlyArray<{method: string; path: string; status: number; at: number}>;
}

export interface DemoCredentials {
	patName: string;
	patSecret: string;
	username: string;
	password: string;
	site: string;
}

/** Published on purpose: they only open the simulator. */
export const DEMO_CREDENTIALS: DemoCredentials = {
	patName: 'demo-monitor',
	patSecret: 'demo-pat-secret-not-a-real-one',
	username: 'admin',
	password: 'demo-password',
	site: '',
};

export interface Simulator {
	readonly url: string;
	readonly port: number;
	readonly credentials: DemoCredentials;
	stats(): SimulatorStats;
	serverNow(): number;
	injectFault(fault: FaultSpec): void;
	clearFaults(): void;
	supersedeSession(): void;
	goDown(): Promise<void>;
	comeBack(): Promise<void>;
	close(): Promise<void>;
}

interface Session {
	readonly token: string;
	readonly pat: string | null;
	readonly expiresAt: number;
	/** Set when another sign-in with the same PAT took the session over. */
	superseded: boolean;
}

interface ActiveFault {
	readonly spec: FaultSpec;
	/** Status-request number at which it starts. */
	readonly from: number;
	readonly until: number;
}

const STATUS_PATH = '/api/metadata/v1/control/backfill/status';
const SITES = new Set(['', 'default', 'finance']);

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
	const faultScenario = FAULT_NAMES.find(name => name === options.scenario);
	const scenario: Scenario | undefined = scenarioByName(faultScenario ? 'realistic' : (options.scenario ?? 'realistic'));
	if (!scenario) {
		throw new Error(`unknown scenario "${options.scenario ?? ''}"; known: ${SCENARIO_NAMES.join(', ')}`);
	}

	const timeScale = options.timeScale ?? 1;
	const realStart = Date.now();
	const skippedMs = (options.elapsedAtStart ?? 0) * 1000;
	const serverStart = options.startTime ?? realStart - skippedMs;
	const serverNow = () => serverStart + skippedMs + (Date.now() - realStart) * timeScale;
	const sessionMs = (options.sessionMinutes ?? 240) * 60_000;
	const sessions = new Map<string, Session>();
	const sockets = new Set<Socket>();
	const stats = {statusRequests: 0, signIns: 0, failedSignIns: 0, signOuts: 0, maxConcurrentStatus: 0};
	const log: Array<{method: string; path: string; status: number; at: number}> = [];
	const issuedTokens: string[] = [];
	let inFlight = 0;
	let faults: ActiveFault[] = [];
	let down = false;

	const inject = (spec: FaultSpec) => {
		const from = stats.statusRequests + (spec.afterRequests ?? 1);
		faults.push({spec, from, until: from + (spec.count ?? 1)});
	};

	for (const spec of options.faults ?? []) {
		inject(spec);
	}

	if (faultScenario) {
		inject({kind: faultScenario, afterRequests: 3, count: 3});
	}

	const handler = (request: IncomingMessage, response: ServerResponse) => {
		response.on('finish', () => {
			log.push({method: request.method ?? '', path: request.url ?? '', status: response.statusCode, at: Date.now()});
			if (log.length > 1000) {
				log.shift();
			}
		});
		void route(request, response).catch(() => {
			if (!response.headersSent) {
				send(response, 500, 'text/html', HTML_500, serverNow());
			} else {
				response.destroy();
			}
		});
	};

	const server: Server = options.tls ? createHttpsServer({key: options.tls.key, cert: options.tls.cert}, handler) : createHttpServer(handler);
	server.keepAliveTimeout = 5_000;
	server.on('connection', socket => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	server.on('secureConnection', socket => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});

	const host = options.host ?? '127.0.0.1';
	const listen = (port: number) =>
		new Promise<number>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, host, () => {
				server.off('error', reject);
				const address = server.address();
				resolve(typeof address === 'object' && address ? address.port : port);
			});
		});
	const port = await listen(options.port ?? 0);
	const url = `${options.tls ? 'https' : 'http'}://${host}:${port}`;

	const goDown = async () => {
		if (down) {
			return;
		}

		down = true;
		const closed = new Promise<void>(resolve => server.close(() => resolve()));
		for (const socket of sockets) {
			socket.destroy();
		}

		await closed;
	};

	const comeBack = async () => {
		if (!down) {
			return;
		}

		await listen(port);
		down = false;
	};

	async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const path = (request.url ?? '/').split('?')[0] ?? '/';
		const shape: Shape = (request.headers.accept ?? '').includes('json') ? 'json' : 'xml';
		const body = await readBody(request);
		const now = serverNow();
		const answer = (status: number, payload: {contentType: string; body: string}) => send(response, status, payload.contentType, payload.body, now);
		const redirecting = faults.some(f => f.spec.kind === 'http-redirect');

		if (/^\/api\/[\d.]+\/serverinfo$/i.test(path) && request.method === 'GET') {
			if (redirecting) {
				send(response, 301, 'text/html', '', now, {Location: `https://127.0.0.1:${port}${path}`});
				return;
			}

			answer(200, serverInfo(shape));
			return;
		}

		if (/^\/api\/[\d.]+\/auth\/signin$/.test(path)) {
			if (redirecting) {
				send(response, 301, 'text/html', '', now, {Location: `https://127.0.0.1:${port}${path}`});
				return;
			}

			if (request.method !== 'POST') {
				answer(405, restError(shape, '405000', 'Method Not Allowed', 'Sign in requires POST; a redirect from http to https turns a POST into a GET.'));
				return;
			}

			signIn(body, request.headers['content-type'] ?? '', shape, now, answer);
			return;
		}

		if (/^\/api\/[\d.]+\/auth\/signout$/.test(path) && request.method === 'POST') {
			const token = headerToken(request);
			if (token && sessions.delete(token)) {
				stats.signOuts++;
			}

			send(response, 204, 'text/plain', '', now);
			return;
		}

		if (path === STATUS_PATH && request.method === 'GET') {
			await status(request, response, path, now);
			return;
		}

		if (path.startsWith('/api/metadata')) {
			send(response, 404, 'application/json', springError(404, 'Not Found', path, now), now);
			return;
		}

		answer(404, restError(shape, '404000', 'Resource Not Found', `No resource at ${path}.`));
	}

	function signIn(body: string, contentType: string, shape: Shape, now: number, answer: (status: number, payload: {contentType: string; body: string}) => void): void {
		const credentials = contentType.includes('json') || body.trimStart().startsWith('{') ? parseJsonCredentials(body) : parseXmlCredentials(body);
		const demo = DEMO_CREDENTIALS;
		const accepted = [{patName: demo.patName, patSecret: demo.patSecret}, {username: demo.username, password: demo.password}, ...(options.extraCredentials ?? [])];
		const patOk = accepted.some(a => 'patName' in a && credentials.patName === a.patName && credentials.patSecret === a.patSecret);
		const passwordOk = accepted.some(a => 'username' in a && credentials.name === a.username && credentials.password === a.password);
		if (!(patOk || passwordOk) || !SITES.has(credentials.site ?? '')) {
			stats.failedSignIns++;
			answer(401, restError(shape, '401001', 'Signin Error', 'Error signing in to Tableau Server'));
			return;
		}

		if (patOk) {
			// One session per personal access token: a new sign-in ends the previous one.
			for (const session of sessions.values()) {
				if (session.pat === credentials.patName) {
					session.superseded = true;
				}
			}
		}

		const token = `${randomBytes(16).toString('base64url')}|${randomBytes(16).toString('base64url')}`;
		issuedTokens.push(token);
		sessions.set(token, {token, pat: patOk ? (credentials.patName ?? null) : null, expiresAt: now + sessionMs, superseded: false});
		stats.signIns++;
		answer(200, signInAnswer(shape, token, credentials.site ?? '', patOk));
	}

	async function status(request: IncomingMessage, response: ServerResponse, path: string, now: number): Promise<void> {
		stats.statusRequests++;
		inFlight++;
		stats.maxConcurrentStatus = Math.max(stats.maxConcurrentStatus, inFlight);
		response.on('close', () => {
			inFlight--;
		});
		const fault = takeFault();
		const token = headerToken(request);
		if (fault?.kind === 'expiry' && token) {
			sessions.delete(token);
		}

		if (fault?.kind === 'pat-superseded' && token) {
			const session = sessions.get(token);
			if (session) {
				session.superseded = true;
			}
		}

		const session = token ? sessions.get(token) : undefined;
		if (session?.superseded) {
			const error = restError('json', '401002', 'Unauthorized Access', 'Invalid authentication credentials were provided.');
			send(response, 401, error.contentType, error.body, now);
			return;
		}

		if (!session || session.expiresAt <= now) {
			if (session) {
				sessions.delete(session.token);
			}

			send(response, 401, 'application/json', springError(401, 'Unauthorized', path, now), now);
			return;
		}

		const payload = JSON.stringify(scenario?.statusAt((now - serverStart) / 1000, serverStart) ?? {});
		switch (fault?.kind) {
			case 'html-500': {
				send(response, 500, 'text/html;charset=UTF-8', HTML_500, now);
				return;
			}

			case 'reset': {
				request.socket.destroy();
				return;
			}

			case 'slow': {
				await new Promise(resolve => setTimeout(resolve, fault.delayMs ?? 30_000));
				if (!response.destroyed) {
					send(response, 200, 'application/json', payload, serverNow());
				}

				return;
			}

			case 'truncated-json': {
				send(response, 200, 'application/json', payload.slice(0, Math.floor(payload.length / 2)), now);
				return;
			}

			case 'not-enabled': {
				send(response, 404, 'application/json', springError(404, 'Not Found', path, now), now);
				return;
			}

			case 'not-admin': {
				send(response, 403, 'application/json', springError(403, 'Forbidden', path, now), now);
				return;
			}

			case 'login-page': {
				send(response, 200, 'text/html;charset=UTF-8', LOGIN_PAGE, now);
				return;
			}

			case 'malformed': {
				send(response, 200, 'application/json', JSON.stringify({contentBackfillStatuses: [{contentType: 'Workbook', successfullyIngestedCount: 'lots', totalCount: 10, backfillComplete: false}]}), now);
				return;
			}

			case 'echo-500': {
				// A debugging proxy's error page that repeats the request, session token included.
				const echoed = Object.entries(request.headers).map(([name, value]) => `${name}: ${String(value)}`).join('<br>');
				send(response, 500, 'text/html;charset=UTF-8', `<!DOCTYPE html><html><body><h1>Bad Gateway</h1><p>${echoed}</p></body></html>`, now);
				return;
			}

			case 'echo-json': {
				// JSON that carries the session token where a value belongs: a shown id and a count.
				const echoing = JSON.parse(payload) as {contentBackfillStatuses?: Array<Record<string, unknown>>};
				const statuses = echoing.contentBackfillStatuses ?? [];
				if (statuses[0]) {
					statuses[0].contentId = token ?? '';
				}

				if (statuses[1]) {
					statuses[1].successfullyIngestedCount = token ?? '';
				}

				send(response, 200, 'application/json', JSON.stringify(echoing), now);
				return;
			}

			case 'down': {
				request.socket.destroy();
				await goDown();
				setTimeout(() => void comeBack().catch(() => undefined), fault.delayMs ?? 2_000);
				return;
			}

			default: {
				send(response, 200, 'application/json', payload, now);
			}
		}
	}

	/** The fault for this status request, if any; 'http-redirect' acts on sign-in and serverinfo instead. */
	function takeFault(): FaultSpec | undefined {
		const n = stats.statusRequests;
		faults = faults.filter(f => n < f.until || f.spec.count === Number.POSITIVE_INFINITY);
		return faults.find(f => f.from <= n && n < f.until && f.spec.kind !== 'http-redirect')?.spec;
	}

	return {
		url,
		port,
		credentials: DEMO_CREDENTIALS,
		stats: () => ({...stats, activeSessions: sessions.size, issuedTokens: [...issuedTokens], requests: [...log]}),
		serverNow,
		injectFault: inject,
		clearFaults() {
			faults = [];
		},
		supersedeSession() {
			for (const session of sessions.values()) {
				if (session.pat !== null) {
					session.superseded = true;
				}
			}
		},
		goDown,
		comeBack,
		async close() {
			down = true;
			const closed = new Promise<void>(resolve => server.close(() => resolve()));
			for (const socket of sockets) {
				socket.destroy();
			}

			await closed;
		},
	};
}

function headerToken(request: IncomingMessage): string | undefined {
	const value = request.headers['x-tableau-auth'];
	return Array.isArray(value) ? value[0] : value;
}

function readBody(request: IncomingMessage): Promise<string> {
	return new Promise(resolve => {
		const chunks: Buffer[] = [];
		let size = 0;
		request.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size <= 64 * 1024) {
				chunks.push(chunk);
			}
		});
		request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		request.on('error', () => resolve(''));
	});
}

interface SignInCredentials {
	patName?: string;
	patSecret?: string;
	name?: string;
	password?: string;
	site?: string;
}

function parseJsonCredentials(body: string): SignInCredentials {
	try {
		const parsed: unknown = JSON.parse(body);
		const credentials = (parsed as {credentials?: Record<string, unknown>}).credentials ?? {};
		const site = credentials.site as {contentUrl?: unknown} | undefined;
		const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
		return {
			patName: text(credentials.personalAccessTokenName),
			patSecret: text(credentials.personalAccessTokenSecret),
			name: text(credentials.name),
			password: text(credentials.password),
			site: text(site?.contentUrl) ?? '',
		};
	} catch {
		return {};
	}
}

function parseXmlCredentials(body: string): SignInCredentials {
	const attribute = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(body)?.[1];
	return {
		patName: attribute('personalAccessTokenName'),
		patSecret: attribute('personalAccessTokenSecret'),
		name: attribute('name'),
		password: attribute('password'),
		site: attribute('contentUrl') ?? '',
	};
}

import {createServer, request as httpRequest, type Server} from 'node:http';
import {afterEach, describe, expect, it} from 'vitest';
import {connect, DEFAULT_API_VERSION, type Credentials} from '../source/tableau/client.js';
import {TableauError, type ErrorKind} from '../source/tableau/errors.js';
import {DEMO_CREDENTIALS, startSimulator, type FaultKind, type Simulator} from '../source/simulator/index.js';
import {PROGRESS_SCENARIO_NAMES} from '../source/simulator/scenarios.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) {
		await cleanup();
	}
});

async function simulator(options: Parameters<typeof startSimulator>[0] = {}): Promise<Simulator> {
	const sim = await startSimulator(options);
	cleanups.push(() => sim.close());
	return sim;
}

const pat: Credentials = {kind: 'pat', name: DEMO_CREDENTIALS.patName, secret: DEMO_CREDENTIALS.patSecret};

async function client(sim: Simulator, extra: Partial<Parameters<typeof connect>[0]> = {}) {
	const c = await connect({server: sim.url, site: '', credentials: pat, timeoutSeconds: 5, env: {}, ...extra});
	cleanups.push(() => c.close());
	return c;
}

async function failure(promise: Promise<unknown>): Promise<TableauError> {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(TableauError);
		return error as TableauError;
	}

	throw new Error('expected a failure');
}

const signal = () => new AbortController().signal;

describe('client against the simulator', () => {
	it('asks serverinfo, signs in with a PAT and reads the status', async () => {
		const sim = await simulator({scenario: 'seed'});
		const c = await client(sim);
		expect(c.description).toMatchObject({productVersion: '2024.2.3', apiVersion: '3.23', server: `127.0.0.1:${sim.port}`, site: ''});
		const snapshot = await c.fetchStatus(signal());
		expect(snapshot.content).toHaveLength(6);
		expect(snapshot.serverTime).not.toBeNull();
		expect(sim.stats().requests.some(r => r.path === '/api/3.23/auth/signin')).toBe(true);
	});

	it('signs in with a password, honors --api-version, and signs out on close', async () => {
		const sim = await simulator();
		const c = await connect({server: sim.url, site: '', credentials: {kind: 'password', username: 'admin', password: 'demo-password'}, apiVersion: '3.19', timeoutSeconds: 5, env: {}});
		await c.fetchStatus(signal());
		await c.close();
		expect(sim.stats().requests.some(r => r.path === '/api/3.19/auth/signin')).toBe(true);
		expect(sim.stats().signOuts).toBe(1);
	});

	it('uses an existing session token without signing in or out', async () => {
		const sim = await simulator();
		const signedIn = await client(sim);
		await signedIn.fetchStatus(signal());
		const token = sim.stats().signIns;
		expect(token).toBe(1);
		const bogus = await connect({server: sim.url, site: '', credentials: {kind: 'token', token: 'not-a-session'}, timeoutSeconds: 5, env: {}});
		const error = await failure(bogus.fetchStatus(signal()));
		expect(error.kind).toBe('session-expired');
		await bogus.close();
		expect(sim.stats().signIns).toBe(1);
		expect(sim.stats().signOuts).toBe(0);
	});

	it('returns a snapshot for every progress scenario', async () => {
		for (const scenario of PROGRESS_SCENARIO_NAMES) {
			const sim = await simulator({scenario, timeScale: 600});
			const snapshot = await (await client(sim)).fetchStatus(signal());
			expect(Array.isArray(snapshot.content)).toBe(true);
		}
	});

	it('signs in again after the session expires and carries on', async () => {
		const sim = await simulator({faults: [{kind: 'expiry', afterRequests: 2}]});
		const c = await client(sim);
		await c.fetchStatus(signal());
		await c.fetchStatus(signal());
		await c.fetchStatus(signal());
		expect(sim.stats().signIns).toBe(2);
	});

	it('names each fault', async () => {
		const expectations: Array<[FaultKind, ErrorKind]> = [
			['pat-superseded', 'pat-superseded'],
			['html-500', 'server-error'],
			['reset', 'reset'],
			['truncated-json', 'malformed-json'],
			['not-enabled', 'not-enabled'],
			['not-admin', 'not-admin'],
			['login-page', 'login-page'],
			['malformed', 'schema'],
		];
		const sim = await simulator();
		const c = await client(sim);
		for (const [fault, kind] of expectations) {
			sim.injectFault({kind: fault, count: fault === 'pat-superseded' ? 2 : 1});
			const error = await failure(c.fetchStatus(signal()));
			expect(error.kind, fault).toBe(kind);
			expect(error.message.length).toBeGreaterThan(20);
			expect(error.action.length).toBeGreaterThan(10);
			if (fault === 'malformed') {
				expect(error.message).toContain('contentBackfillStatuses[0].successfullyIngestedCount: expected a number, got "lots"');
			}

			if (fault === 'pat-superseded') {
				expect(error.message).toContain('same personal access token');
			}

			sim.clearFaults();
			await c.fetchStatus(signal()).catch(() => c.fetchStatus(signal()));
		}
	});

	it('reads an unchanged status body once: the same snapshot with the new receive time; a changed or broken body is read anew', async () => {
		// timeScale 0: the server's clock stands still, so it answers the same document every time.
		const sim = await simulator({timeScale: 0});
		const c = await client(sim);
		const first = await c.fetchStatus(signal());
		await new Promise(resolve => setTimeout(resolve, 5));
		const again = await c.fetchStatus(signal());
		expect(again).toEqual({...first, receivedAt: again.receivedAt, serverTime: again.serverTime});
		expect(again.receivedAt).toBeGreaterThan(first.receivedAt);
		// Not parsed and validated again: the validated content is the very same.
		expect(again.content).toBe(first.content);
		sim.injectFault({kind: 'malformed', count: 1});
		expect((await failure(c.fetchStatus(signal()))).kind).toBe('schema');
		sim.clearFaults();
		const after = await c.fetchStatus(signal());
		expect(after.content).toEqual(first.content);
	});

	it('times out a slow answer, and reports refused and unresolvable servers', async () => {
		const sim = await simulator({faults: [{kind: 'slow', delayMs: 3_000}]});
		const c = await client(sim, {timeoutSeconds: 1});
		expect((await failure(c.fetchStatus(signal()))).kind).toBe('timeout');
		await sim.goDown();
		expect((await failure(c.fetchStatus(signal()))).kind).toBe('refused');
		await sim.comeBack();
		await c.fetchStatus(signal());
		expect((await failure(connect({server: 'https://backfill-top.invalid', site: '', credentials: pat, timeoutSeconds: 5, env: {}}))).kind).toBe('dns');
	});

	it('detects an http-to-https redirect and the wrong credentials', async () => {
		const sim = await simulator({faults: [{kind: 'http-redirect', count: 100}]});
		expect((await failure(client(sim))).kind).toBe('http-redirect');
		const plain = await simulator();
		const wrong = await failure(client(plain, {credentials: {kind: 'pat', name: 'demo-monitor', secret: 'SECRET-wrong-7f3a'}}));
		expect(wrong.kind).toBe('bad-credentials');
		expect(`${wrong.message} ${wrong.action} ${wrong.stack ?? ''}`).not.toContain('SECRET-wrong-7f3a');
	});

	it('falls back to the default API version when serverinfo fails, and says so', async () => {
		const sim = await simulator();
		// A tiny front that 404s serverinfo and forwards everything else to the simulator.
		const front = createServer((req, res) => {
			if ((req.url ?? '').includes('serverinfo')) {
				res.writeHead(404, {'Content-Type': 'application/xml'}).end('<tsResponse><error code="404003"/></tsResponse>');
				return;
			}

			req.pipe(httpRequest(`${sim.url}${req.url ?? ''}`, {method: req.method, headers: req.headers}, upstream => {
				res.writeHead(upstream.statusCode ?? 500, upstream.headers);
				upstream.pipe(res);
			}));
		});
		await new Promise<void>(resolve => front.listen(0, '127.0.0.1', resolve));
		cleanups.push(() => new Promise<void>(resolve => front.close(() => resolve())));
		const address = front.address();
		const port = typeof address === 'object' && address ? address.port : 0;
		const c = await connect({server: `http://127.0.0.1:${port}`, site: '', credentials: pat, timeoutSeconds: 5, env: {}});
		cleanups.push(() => c.close());
		expect(c.notices.join(' ')).toContain(`REST API ${DEFAULT_API_VERSION}`);
		expect(sim.stats().requests.some(r => r.path === `/api/${DEFAULT_API_VERSION}/auth/signin`)).toBe(true);
	});

	it('never has two status requests on the wire', async () => {
		const sim = await simulator({faults: [{kind: 'slow', delayMs: 200, count: 10}]});
		const c = await client(sim);
		await Promise.all(Array.from({length: 5}, () => c.fetchStatus(signal())));
		expect(sim.stats().maxConcurrentStatus).toBe(1);
	});

	it('goes through HTTP_PROXY, and around it for NO_PROXY', async () => {
		const sim = await simulator();
		let proxied = 0;
		const proxy: Server = createServer((req, res) => {
			proxied++;
			const target = new URL(req.url ?? '');
			const upstream = httpRequest({host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers: req.headers}, answer => {
				res.writeHead(answer.statusCode ?? 500, answer.headers);
				answer.pipe(res);
			});
			req.pipe(upstream);
		});
		proxy.on('connect', (_req, socket) => {
			socket.end();
		});
		await new Promise<void>(resolve => proxy.listen(0, '127.0.0.1', resolve));
		cleanups.push(() => new Promise<void>(resolve => proxy.close(() => resolve())));
		const address = proxy.address();
		const proxyUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
		const through = await client(sim, {env: {HTTP_PROXY: proxyUrl}});
		await through.fetchStatus(signal());
		expect(proxied).toBeGreaterThanOrEqual(3);
		const before = proxied;
		const around = await client(sim, {env: {HTTP_PROXY: proxyUrl, NO_PROXY: '127.0.0.1'}});
		await around.fetchStatus(signal());
		expect(proxied).toBe(before);
	});
});

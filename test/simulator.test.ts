import {afterEach, describe, expect, it} from 'vitest';
import {normalize} from '../source/tableau/schema.js';
import {DEMO_CREDENTIALS, startSimulator, type Simulator} from '../source/simulator/index.js';
import {PROGRESS_SCENARIO_NAMES, scenarioByName} from '../source/simulator/scenarios.js';

const running: Simulator[] = [];
afterEach(async () => {
	await Promise.all(running.splice(0).map(s => s.close()));
});

async function start(options: Parameters<typeof startSimulator>[0] = {}): Promise<Simulator> {
	const simulator = await startSimulator(options);
	running.push(simulator);
	return simulator;
}

const patBody = (secret = DEMO_CREDENTIALS.patSecret) =>
	JSON.stringify({credentials: {personalAccessTokenName: DEMO_CREDENTIALS.patName, personalAccessTokenSecret: secret, site: {contentUrl: ''}}});

async function signIn(simulator: Simulator, body = patBody()): Promise<string> {
	const response = await fetch(`${simulator.url}/api/3.23/auth/signin`, {
		method: 'POST',
		headers: {'Content-Type': 'application/json', Accept: 'application/json'},
		body,
	});
	const json = (await response.json()) as {credentials: {token: string}};
	return json.credentials.token;
}

const status = (simulator: Simulator, token: string) =>
	fetch(`${simulator.url}/api/metadata/v1/control/backfill/status`, {headers: {'X-Tableau-Auth': token}});

describe('scenarios', () => {
	it('produce valid payloads whose counts never exceed totals and whose checkpoints only move forward', () => {
		const start = Date.parse('2026-12-03T10:00:00Z');
		for (const name of PROGRESS_SCENARIO_NAMES) {
			const scenario = scenarioByName(name);
			expect(scenario).toBeDefined();
			if (!scenario) {
				continue;
			}

			const lastCheckpoint = new Map<string, number>();
			const horizon = (scenario.completesAfterSeconds ?? 6 * 3600) + 1800;
			for (let t = 0; t <= horizon; t += 150) {
				const snapshot = normalize(scenario.statusAt(t, start), {receivedAt: 0, serverTime: null});
				for (const type of snapshot.content) {
					expect(type.succeeded + type.failed).toBeLessThanOrEqual(type.total);
					if (type.checkpoint !== null && name !== 'restart') {
						expect(type.checkpoint).toBeGreaterThanOrEqual(lastCheckpoint.get(type.contentType) ?? 0);
						lastCheckpoint.set(type.contentType, type.checkpoint);
					}
				}
			}

			if (scenario.completesAfterSeconds !== null) {
				const before = normalize(scenario.statusAt(scenario.completesAfterSeconds - 301, start), {receivedAt: 0, serverTime: null});
				const after = normalize(scenario.statusAt(scenario.completesAfterSeconds, start), {receivedAt: 0, serverTime: null});
				expect(before.lineage?.complete ?? false).toBe(false);
				expect(after.lineage?.complete).toBe(true);
				expect(after.content.every(c => c.complete)).toBe(true);
			}
		}
	});

	it('gives Workbook the speed each shape scenario names, and realistic\'s end', () => {
		// Just after the Workbook checkpoint of that minute (Workbook starts 20 s after enable), so that
		// the counts are exact rather than up to a checkpoint period old.
		const workbookAt = (name: string, minute: number) => {
			const snapshot = normalize(scenarioByName(name)?.statusAt(minute * 60 + 21, 0), {receivedAt: 0, serverTime: null});
			const workbook = snapshot.content.find(c => c.contentType === 'Workbook');
			return workbook ? workbook.succeeded + workbook.failed : Number.NaN;
		};
		/** Items per minute between two minutes after enable (multiples of five: checkpoints). */
		const rate = (name: string, from: number, to: number) => (workbookAt(name, to) - workbookAt(name, from)) / (to - from);
		const ratio = (name: string, slow: [number, number], normal: [number, number]) => rate(name, ...slow) / rate(name, ...normal);
		expect(ratio('warm-up', [5, 25], [60, 180])).toBeCloseTo(0.3, 1);
		expect(ratio('late-slowdown', [150, 240], [60, 100])).toBeCloseTo(0.5, 1);
		expect(ratio('late-speedup', [210, 250], [60, 180])).toBeCloseTo(1.5, 1);
		expect(ratio('refresh-window', [65, 115], [125, 210])).toBeCloseTo(0.4, 1);
		expect(ratio('busy-start', [30, 85], [120, 210])).toBeCloseTo(0.5, 1);
		const end = scenarioByName('realistic')?.completesAfterSeconds;
		for (const name of ['warm-up', 'late-slowdown', 'late-speedup', 'refresh-window', 'busy-start']) {
			expect(scenarioByName(name)?.completesAfterSeconds).toBe(end);
		}
	});

	it('stalls DatabaseTable in the stalled scenario', () => {
		const scenario = scenarioByName('stalled');
		const late = normalize(scenario?.statusAt(5 * 3600, 0), {receivedAt: 0, serverTime: null});
		const table = late.content.find(c => c.contentType === 'DatabaseTable');
		expect(table?.complete).toBe(false);
		expect(late.content.filter(c => c.complete)).toHaveLength(5);
	});
});

describe('simulator over HTTP', () => {
	it('answers serverinfo in JSON and XML, with the scaled clock in the Date header', async () => {
		const simulator = await start({timeScale: 3600, startTime: Date.parse('2026-01-01T00:00:00Z')});
		const json = await fetch(`${simulator.url}/api/2.4/serverinfo`, {headers: {Accept: 'application/json'}});
		expect(await json.json()).toMatchObject({serverInfo: {restApiVersion: '3.23', productVersion: {value: '2024.2.3'}}});
		const xml = await (await fetch(`${simulator.url}/api/2.4/serverinfo`)).text();
		expect(xml).toContain('<restApiVersion>3.23</restApiVersion>');
		await new Promise(resolve => setTimeout(resolve, 50));
		const date = Date.parse((await fetch(`${simulator.url}/api/2.4/serverinfo`)).headers.get('date') ?? '');
		expect(date).toBeGreaterThan(Date.parse('2026-01-01T00:01:00Z'));
	});

	it('signs in with a PAT or a password, in JSON and XML, and rejects wrong secrets in both shapes', async () => {
		const simulator = await start();
		expect(await signIn(simulator)).toMatch(/\|/);
		const xml = await fetch(`${simulator.url}/api/3.23/auth/signin`, {
			method: 'POST',
			body: `<tsRequest><credentials name="admin" password="demo-password"><site contentUrl=""/></credentials></tsRequest>`,
		});
		expect(await xml.text()).toMatch(/<credentials token="[^"]+"/);
		const wrongJson = await fetch(`${simulator.url}/api/3.23/auth/signin`, {method: 'POST', headers: {Accept: 'application/json', 'Content-Type': 'application/json'}, body: patBody('nope')});
		expect(wrongJson.status).toBe(401);
		expect(await wrongJson.json()).toMatchObject({error: {code: '401001'}});
		const wrongXml = await fetch(`${simulator.url}/api/3.23/auth/signin`, {method: 'POST', body: patBody('nope')});
		expect(await wrongXml.text()).toContain('<error code="401001">');
		const get = await fetch(`${simulator.url}/api/3.23/auth/signin`, {headers: {Accept: 'application/json'}});
		expect(get.status).toBe(405);
		expect(await get.json()).toMatchObject({error: {code: '405000'}});
		expect(simulator.stats().failedSignIns).toBe(2);
	});

	it('serves the status to a session, Spring-style 401 without one, and one session per PAT', async () => {
		const simulator = await start({scenario: 'seed'});
		const first = await signIn(simulator);
		const ok = await status(simulator, first);
		expect(ok.status).toBe(200);
		expect(await ok.json()).toMatchObject({contentBackfillTotalDurationSeconds: 362});
		const none = await status(simulator, 'bogus');
		expect(none.status).toBe(401);
		expect(await none.json()).toMatchObject({status: 401, error: 'Unauthorized'});
		await signIn(simulator);
		const superseded = await status(simulator, first);
		expect(superseded.status).toBe(401);
		expect(await superseded.json()).toMatchObject({error: {code: '401002'}});
	});

	it('signs out, and expires sessions after their lifetime in server time', async () => {
		const simulator = await start({timeScale: 60 * 60 * 10, sessionMinutes: 240});
		const token = await signIn(simulator);
		await fetch(`${simulator.url}/api/3.23/auth/signout`, {method: 'POST', headers: {'X-Tableau-Auth': token}});
		expect((await status(simulator, token)).status).toBe(401);
		expect(simulator.stats().signOuts).toBe(1);
		const second = await signIn(simulator);
		await new Promise(resolve => setTimeout(resolve, 1600));
		expect((await status(simulator, second)).status).toBe(401);
	});

	it('injects each fault on the status endpoint', async () => {
		const simulator = await start({scenario: 'fast', timeScale: 60});
		const token = await signIn(simulator);
		const expectFault = async (kind: Parameters<Simulator['injectFault']>[0]['kind'], check: (r: Response) => Promise<void>) => {
			simulator.injectFault({kind, delayMs: 200});
			await check(await status(simulator, token));
		};

		await expectFault('html-500', async r => {
			expect(r.status).toBe(500);
			expect(r.headers.get('content-type')).toContain('text/html');
		});
		await expectFault('truncated-json', async r => {
			await expect(r.json()).rejects.toThrow();
		});
		await expectFault('not-enabled', async r => {
			expect(r.status).toBe(404);
		});
		await expectFault('not-admin', async r => {
			expect(r.status).toBe(403);
			expect(await r.json()).toMatchObject({error: 'Forbidden'});
		});
		await expectFault('login-page', async r => {
			expect(await r.text()).toContain('<form');
		});
		await expectFault('malformed', async r => {
			const body: unknown = await r.json();
			expect(() => normalize(body, {receivedAt: 0, serverTime: null})).toThrow('successfullyIngestedCount: expected a number');
		});
		await expectFault('slow', async r => {
			expect(r.status).toBe(200);
		});
		simulator.injectFault({kind: 'reset'});
		await expect(status(simulator, token)).rejects.toThrow();
		expect((await status(simulator, token)).status).toBe(200);
		simulator.injectFault({kind: 'expiry'});
		expect((await status(simulator, token)).status).toBe(401);
		expect((await status(simulator, token)).status).toBe(401);
		expect(simulator.stats().maxConcurrentStatus).toBe(1);
	});

	it('goes down and comes back on the same port', async () => {
		const simulator = await start();
		await simulator.goDown();
		await expect(fetch(`${simulator.url}/api/3.23/serverinfo`)).rejects.toThrow();
		await simulator.comeBack();
		expect((await fetch(`${simulator.url}/api/3.23/serverinfo`)).status).toBe(200);
	});
});

import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {Poller, toPollError} from '../source/poller.js';
import type {BackfillSnapshot} from '../source/model/snapshot.js';
import type {StatusSource} from '../source/tableau/status-source.js';

/** An in-memory source that answers when told to, and counts overlap. */
class ScriptedSource implements StatusSource {
	readonly description = {server: 'test', site: '', productVersion: null, apiVersion: null, mode: 'live' as const};
	requests = 0;
	inFlight = 0;
	maxInFlight = 0;
	aborted = 0;
	failNext = 0;
	latencyMs = 0;

	async fetchStatus(signal: AbortSignal): Promise<BackfillSnapshot> {
		this.requests++;
		this.inFlight++;
		this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
		try {
			if (this.latencyMs > 0) {
				await new Promise<void>((resolve, reject) => {
					const timer = setTimeout(resolve, this.latencyMs);
					signal.addEventListener('abort', () => {
						clearTimeout(timer);
						this.aborted++;
						reject(new Error('aborted'));
					});
				});
			}

			if (this.failNext > 0) {
				this.failNext--;
				throw Object.assign(new Error('down'), {kind: 'refused', action: 'Check the server.', retryable: true});
			}

			return {receivedAt: Date.now(), serverTime: null, contentDurationSeconds: 1, lineageDurationSeconds: null, content: [], lineage: null};
		} finally {
			this.inFlight--;
		}
	}

	async close(): Promise<void> {}
}

async function advance(ms: number): Promise<void> {
	await vi.advanceTimersByTimeAsync(ms);
}

describe('Poller', () => {
	beforeEach(() => {
		vi.useFakeTimers();
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	it('polls at start and then every interval', async () => {
		const source = new ScriptedSource();
		const poller = new Poller(source, {intervalSeconds: 15});
		poller.start();
		await advance(1);
		expect(source.requests).toBe(1);
		await advance(14_000);
		expect(source.requests).toBe(1);
		await advance(1_000);
		expect(source.requests).toBe(2);
		poller.stop();
	});

	it('makes no request at all while paused, and refreshes on demand', async () => {
		const source = new ScriptedSource();
		const poller = new Poller(source, {intervalSeconds: 2});
		poller.start();
		await advance(1);
		poller.togglePause();
		expect(poller.state.paused).toBe(true);
		await advance(60_000);
		expect(source.requests).toBe(1);
		poller.refreshNow();
		await advance(1);
		expect(source.requests).toBe(2);
		await advance(60_000);
		expect(source.requests).toBe(2);
		poller.togglePause();
		await advance(1);
		expect(source.requests).toBe(3);
		poller.stop();
	});

	it('never has two requests in flight', async () => {
		const source = new ScriptedSource();
		source.latencyMs = 10_000;
		const poller = new Poller(source, {intervalSeconds: 2});
		poller.start();
		for (let i = 0; i < 10; i++) {
			poller.refreshNow();
			await advance(500);
		}

		await advance(60_000);
		expect(source.maxInFlight).toBe(1);
		poller.stop();
	});

	it('backs off exponentially after failures, capped, and recovers', async () => {
		const source = new ScriptedSource();
		source.failNext = 20;
		const failures: string[] = [];
		const poller = new Poller(source, {intervalSeconds: 15, onFailure: error => failures.push(error.kind)});
		poller.start();
		await advance(1);
		const gaps: number[] = [];
		let last = Date.now();
		for (let i = 0; i < 8; i++) {
			const before = source.requests;
			while (source.requests === before) {
				await advance(1_000);
			}

			gaps.push(Math.round((Date.now() - last) / 1000));
			last = Date.now();
		}

		expect(gaps).toEqual([15, 30, 60, 120, 240, 300, 300, 300]);
		expect(failures.every(kind => kind === 'refused')).toBe(true);
		expect(poller.state.consecutiveFailures).toBeGreaterThan(5);
		expect(poller.state.error?.message).toBe('down');
		source.failNext = 0;
		poller.refreshNow();
		await advance(1);
		expect(poller.state.error).toBeNull();
		expect(poller.state.consecutiveFailures).toBe(0);
		poller.stop();
	});

	it('steps the interval with a 2-second floor', () => {
		const poller = new Poller(new ScriptedSource(), {intervalSeconds: 15});
		poller.stepInterval(-1);
		expect(poller.state.intervalSeconds).toBe(10);
		for (let i = 0; i < 10; i++) {
			poller.stepInterval(-1);
		}

		expect(poller.state.intervalSeconds).toBe(2);
		poller.stepInterval(1);
		expect(poller.state.intervalSeconds).toBe(5);
		expect(new Poller(new ScriptedSource(), {intervalSeconds: 0.5}).state.intervalSeconds).toBe(2);
	});

	it('aborts the request in flight on stop', async () => {
		const source = new ScriptedSource();
		source.latencyMs = 10_000;
		const poller = new Poller(source, {intervalSeconds: 15});
		poller.start();
		await advance(100);
		poller.stop();
		await advance(1);
		expect(source.aborted).toBe(1);
	});

	it('turns anything thrown into a sentence', () => {
		expect(toPollError(new TypeError('x is undefined')).kind).toBe('unknown');
		expect(toPollError({kind: 'timeout', message: 'Timed out.', action: 'Wait.', retryable: true})).toEqual({
			kind: 'timeout',
			message: 'Timed out.',
			action: 'Wait.',
			retryable: true,
		});
	});
});

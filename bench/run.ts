/**
 * `npm run bench [-- NAME...] [--runs N] [--seconds S] [--starts N] [--days D]`: runs the benchmarks
 * (all six, or the named ones: bytes, cpu, start, memory, render, eta) and prints a table each.
 * Not part of `npm test`: the figures depend on the machine. BENCH_RUNS / BENCH_SECONDS /
 * BENCH_STARTS / BENCH_DAYS do the same as the flags (BENCH_RUNS=1 BENCH_SECONDS=20 for a quick look).
 */
import {cpuUsage} from './cpu-usage.js';
import {etaAccuracy} from './eta-accuracy.js';
import type {Benchmark} from './lib/benchmark.js';
import {benchOptions} from './lib/options.js';
import {memoryRss} from './memory-rss.js';
import {renderCost} from './render-cost.js';
import {startupTime} from './startup-time.js';
import {terminalBytes} from './terminal-bytes.js';

const BENCHMARKS: readonly Benchmark[] = [terminalBytes, cpuUsage, startupTime, memoryRss, renderCost, etaAccuracy];

const argv = process.argv.slice(2);
const options = benchOptions(argv, process.env);
const valueFlags = new Set(['--runs', '--seconds', '--starts', '--days']);
const names = argv.filter((arg, index) => !arg.startsWith('--') && !valueFlags.has(argv[index - 1] ?? ''));
const unknown = names.filter(name => !BENCHMARKS.some(b => b.name === name));
if (unknown.length > 0) {
	process.stderr.write(`unknown benchmark ${unknown.join(', ')}; known: ${BENCHMARKS.map(b => b.name).join(', ')}\n`);
	process.exit(2);
}

const selected = names.length === 0 ? BENCHMARKS : BENCHMARKS.filter(b => names.includes(b.name));
const started = Date.now();
const log = (line: string) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
process.stdout.write(`backfill-top benchmarks: ${selected.map(b => b.name).join(', ')}; runs ${options.runs}, windows ${options.seconds} s, starts ${options.starts}, days ${options.days}; node ${process.version}\n`);
let failed = false;
for (const benchmark of selected) {
	try {
		process.stdout.write(`${await benchmark.run(options, log)}\n`);
	} catch (error) {
		failed = true;
		process.stdout.write(`\n${benchmark.title}: failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
	}
}

log('done');
process.exit(failed ? 1 : 0);

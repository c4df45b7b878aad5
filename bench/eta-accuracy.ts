/**
 * Benchmark 6, honest numbers: the ETA the dashboard shows at 10/25/50/75/90 % of each scenario's
 * content phase against when content really ended, beside pv, tqdm, rich and indicatif fed the same
 * polls (bench/honest.ts, bench/estimators.ts); and how soon each names the stall of 'stalled'.
 */
import {ESTIMATORS} from './estimators.js';
import {absError, MARKS, OURS, runHonest} from './honest.js';
import {type Benchmark, verdict} from './lib/benchmark.js';
import {scenarioNamed} from './lib/scenario-polls.js';
import {fixed, signed, table} from './lib/table.js';

const BUDGET_PERCENT = 15;
const STALL_BUDGET_SECONDS = 15 * 60;

export const etaAccuracy: Benchmark = {
	name: 'eta',
	title: 'Honest numbers: ETA error and stall naming',
	async run() {
		const result = runHonest();
		const names = [OURS, ...ESTIMATORS.map(e => e.name)];
		const marks = MARKS.map(m => `${m * 100}%`);
		const perScenario = result.rows.map(r => [r.scenario, r.estimator, ...r.errors.map(e => (e !== null && Math.abs(e) > 999 ? (e > 0 ? '>+999' : '<-999') : signed(e, 0)))]);
		const figure = (v: number) => (Number.isFinite(v) ? (v > 999 ? '>999' : fixed(v, 1)) : 'none');
		const medians = names.map(name => [name, ...(result.medianAbs.get(name) ?? []).map(figure), figure(result.medianOverall.get(name) ?? Number.NaN)]);
		const half = MARKS.indexOf(0.5);
		const ours = result.medianAbs.get(OURS)?.[half] ?? Number.NaN;
		const others = ESTIMATORS.map(e => result.medianAbs.get(e.name)?.[half] ?? Number.NaN);
		const stall = result.stall;
		const stallRows = stall.rows.map(r => [
			r.estimator,
			r.namedAfter === null ? 'never' : `${fixed(r.namedAfter / 60, 1)} min`,
			r.etaAnHourIn === null ? 'none' : r.etaAnHourIn > 1e9 ? '>30 years' : `${fixed(r.etaAnHourIn / 60, 0)} min`,
			String(r.etaShownAfterNaming),
		]);
		const ourStall = stall.rows.find(r => r.estimator === OURS);
		return [
			table('Scenarios (the shape of the slowest type, Workbook, is what the content ETA is judged on)', ['scenario', 'what the server reports'], result.phases.map(p => [p.scenario, scenarioNamed(p.scenario).description])),
			table(`ETA error, % of the true remaining time (+ = too late), per scenario; — = no ETA shown`, ['scenario', 'estimator', ...marks], perScenario),
			table(
				`Median |error| across the ${result.phases.length} scenarios (no ETA counts as worst); last column: of each scenario's median over every poll from 10 % to 90 %`,
				['estimator', ...marks, 'every poll'],
				medians,
			),
			`  at 50 %: ours ${fixed(ours, 1)} % <= ${BUDGET_PERCENT} %: ${verdict(ours <= BUDGET_PERCENT)}; better than every other (${others.map(figure).join(', ')}): ${verdict(others.every(v => !(v <= ours)))}`,
			table(
				`Stall: ${stall.contentType} in '${stall.scenario}' stops advancing ${fixed(stall.stallStart / 60, 0)} min after enable (server time)`,
				['estimator', 'named stalled after', 'content ETA 1 h into the stall', 'polls with an ETA after naming'],
				stallRows,
			),
			`  ours names it after ${ourStall?.namedAfter === null || ourStall === undefined ? 'never' : `${fixed(ourStall.namedAfter / 60, 1)} min`} (<= ${STALL_BUDGET_SECONDS / 60} min): ${verdict(ourStall?.namedAfter !== null && ourStall !== undefined && ourStall.namedAfter <= STALL_BUDGET_SECONDS)}; no ETA once named: ${verdict(ourStall?.etaShownAfterNaming === 0 && ourStall.etaAnHourIn === null)}`,
			`  (rich and indicatif "name" a stall only in the sense that their rate reads 0 or their ETA is absent or absurd, which they show between checkpoints of a running type too: see the false-stall shares below)`,
			table(
				'Share of content-phase polls at which a running type looked stalled (false alarms)',
				['scenario', ...names],
				result.phases.map(p => [p.scenario, ...names.map(n => `${fixed((p.falseStalls.get(n) ?? 0) * 100, 0)}%`)]),
			),
		].join('\n');
	},
};

export {absError};

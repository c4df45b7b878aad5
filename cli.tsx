#!/usr/bin/env node
// Entry: parse argv/env into a Config, pick a mode, start it. No logic of its own.
// The command is this file bundled with everything it imports (`npm run bundle`: one file parses
// and links in a fraction of the time of hundreds), with NODE_ENV fixed to production: React's
// development build leaks performance entries over long runs (ink#869). Modes are imported
// dynamically so that a mode's modules run only when it is chosen (chalk reads the environment
// when it loads; run.ts prepares it first).

import {readFileSync} from 'node:fs';
import {favourSmallHeap} from './source/heap.js';

favourSmallHeap();
const {parseConfig, UsageError} = await import('./source/config.js');
const {HELP} = await import('./source/help.js');

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {version: string};
const tool = `backfill-top ${packageJson.version}`;

// Exit explicitly: a straggling socket or timer must not keep a finished run alive. stdout and
// stderr are synchronous on Linux terminals, files and pipes, so nothing written is lost.
process.exit(await main(process.argv.slice(2)));

async function main(argv: string[]): Promise<number> {
	let config;
	try {
		config = parseConfig(argv, {env: process.env, stdoutIsTTY: Boolean(process.stdout.isTTY), stdinIsTTY: Boolean(process.stdin.isTTY)});
	} catch (error) {
		if (error instanceof UsageError) {
			process.stderr.write(`backfill-top: ${error.message} (see --help)\n`);
			return 2;
		}

		throw error;
	}

	switch (config.command) {
		case 'help': {
			process.stdout.write(HELP);
			return 0;
		}

		case 'version': {
			process.stdout.write(`${tool}\n`);
			return 0;
		}

		case 'simulate': {
			const {runSimulateCommand} = await import('./source/simulator/simulate-command.js');
			const simulator = await runSimulateCommand({port: config.port, scenario: config.scenario, timeScale: config.timeScale, out: process.stdout});
			await new Promise<void>(resolve => {
				process.once('SIGINT', resolve);
				process.once('SIGTERM', resolve);
				process.once('SIGHUP', resolve);
			});
			await simulator.close();
			return 0;
		}

		case 'run': {
			const {run} = await import('./source/run.js');
			return run(config, tool);
		}
	}
}

import {startSimulator, type Simulator} from './index.js';

/** `backfill-top simulate`: the simulator as a standalone server for curl, TSC or this tool. */
export async function runSimulateCommand(options: {port: number; scenario: string; timeScale: number; out: NodeJS.WritableStream}): Promise<Simulator> {
	const simulator = await startSimulator({port: options.port, scenario: options.scenario, timeScale: options.timeScale});
	const {url, credentials} = simulator;
	options.out.write(
		[
			`Simulated Tableau Server at ${url} (scenario ${options.scenario}, ${options.timeScale}x server time). Ctrl-C stops it.`,
			`Demo credentials (they open only this simulator):`,
			`  personal access token: name ${credentials.patName}, secret ${credentials.patSecret}`,
			`  user name ${credentials.username}, password ${credentials.password}, site "" (default)`,
			'',
			`Try it:`,
			`  TABLEAU_PAT_SECRET=${credentials.patSecret} backfill-top --server ${url} --token-name ${credentials.patName}`,
			`  TOKEN=$(curl -s -X POST ${url}/api/3.23/auth/signin -H 'Content-Type: application/json' -H 'Accept: application/json' \\`,
			`      -d '{"credentials":{"personalAccessTokenName":"${credentials.patName}","personalAccessTokenSecret":"${credentials.patSecret}","site":{"contentUrl":""}}}' | sed 's/.*"token":"\\([^"]*\\)".*/\\1/')`,
			`  curl -s ${url}/api/metadata/v1/control/backfill/status -H "X-Tableau-Auth: $TOKEN"`,
			'',
		].join('\n'),
	);
	return simulator;
}

/**
 * The far end of tmux's pipe-pane: copies everything the program wrote to the pane into `raw` and
 * appends one line per chunk read to `log`: "<client ms> <bytes>". The benchmarks attribute bytes to
 * polls and find the first complete frame from these times.
 * argv: raw log
 */
import {appendFileSync, writeFileSync} from 'node:fs';

const [raw, log] = process.argv.slice(2);
if (!raw || !log) {
	process.stderr.write('usage: chunk-log RAW LOG\n');
	process.exit(2);
}

writeFileSync(raw, '');
writeFileSync(log, '');
process.stdin.on('data', (chunk: Buffer) => {
	const at = Date.now();
	appendFileSync(raw, chunk);
	appendFileSync(log, `${at} ${chunk.length}\n`);
});

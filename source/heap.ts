import {setFlagsFromString} from 'node:v8';

/**
 * Asks V8 to keep the heap small for the rest of the run. A monitor left polling for days holds about
 * 15 MB of live objects, but by default V8 lets the old generation grow by at least 8 MB (up to 4x)
 * between full collections, and grows the young generation up to 32 MB after a burst of work (reading
 * a week's --record file is one) and keeps it for a while: the resident set sawed 8-15 MB above what
 * the dashboard needs. Both flags are read by the collector as it runs (`--optimize-for-size`: the
 * old generation grows by at most 1.3x, in 2 MB steps; a growth factor of 1: the young generation
 * stays at its starting size), so setting them from inside works; the flags that size the heap at
 * start-up cannot be set from inside, and a shebang cannot carry flags portably. The RSS, CPU and
 * start figures with them are in README Performance (`npm run bench`).
 */
export function favourSmallHeap(): void {
	setFlagsFromString('--optimize-for-size');
	setFlagsFromString('--semi-space-growth-factor=1');
}

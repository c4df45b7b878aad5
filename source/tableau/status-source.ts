import type {BackfillSnapshot} from '../model/snapshot.js';

/** What the header shows about where the data comes from. */
export interface ServerDescription {
	/** Host (and port) of the server, never with credentials. */
	readonly server: string;
	/** Site contentUrl; "" is the default site. */
	readonly site: string;
	readonly productVersion: string | null;
	readonly apiVersion: string | null;
	readonly mode: 'live' | 'demo' | 'replay';
}

/**
 * Where snapshots come from: a signed-in Tableau client, or a replayed recording. The poller calls
 * fetchStatus at most once at a time; a failure rejects with a TableauError (source/tableau/errors.ts).
 */
export interface StatusSource {
	readonly description: ServerDescription;
	fetchStatus(signal: AbortSignal): Promise<BackfillSnapshot>;
	/** Signs out when the tool signed in itself; best effort and bounded in time. */
	close(): Promise<void>;
}

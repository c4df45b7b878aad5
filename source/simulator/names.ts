import {PROGRESS_SCENARIO_NAMES} from './scenarios.js';

// Apart from index.ts so that argv validation can name the scenarios without loading node:http.
export const FAULT_NAMES = [
	'expiry',
	'pat-superseded',
	'html-500',
	'reset',
	'slow',
	'truncated-json',
	'not-enabled',
	'not-admin',
	'login-page',
	'malformed',
	'down',
	'http-redirect',
	'echo-500',
	'echo-json',
] as const;
export type FaultKind = (typeof FAULT_NAMES)[number];

export const SCENARIO_NAMES: readonly string[] = [...PROGRESS_SCENARIO_NAMES, ...FAULT_NAMES];

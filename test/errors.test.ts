import {describe, expect, it} from 'vitest';
import {errorFromNetwork, errorFromResponse, errorFromSchema, redact, tableauCode} from '../source/tableau/errors.js';
import {SchemaError} from '../source/tableau/schema.js';

const url = 'https://tableau.example.com';
const status = (code: number, body: string, contentType = 'application/json', during: 'status' | 'signin' = 'status') =>
	errorFromResponse({status: code, contentType, body, url, during});

describe('error taxonomy', () => {
	it('reads the Tableau error code from XML and JSON', () => {
		expect(tableauCode('<tsResponse><error code="401001"><summary>Signin Error</summary></error></tsResponse>')).toBe('401001');
		expect(tableauCode('{"error":{"code":"401002","summary":"Unauthorized Access"}}')).toBe('401002');
		expect(tableauCode('{"timestamp":"x","status":401,"error":"Unauthorized","path":"/p"}')).toBeNull();
		expect(tableauCode('<html>')).toBeNull();
	});

	it('maps each shape to its kind', () => {
		expect(status(401, '<tsResponse><error code="401001"/></tsResponse>', 'application/xml', 'signin').kind).toBe('bad-credentials');
		expect(status(401, '{"error":{"code":"401002"}}').kind).toBe('pat-superseded');
		expect(status(401, '{"timestamp":"x","status":401,"error":"Unauthorized","path":"/api/metadata/v1/control/backfill/status"}').kind).toBe('session-expired');
		expect(status(403, '{"status":403,"error":"Forbidden"}').kind).toBe('not-admin');
		expect(status(404, '{"status":404,"error":"Not Found"}').kind).toBe('not-enabled');
		expect(status(404, '<html><body>Not found</body></html>', 'text/html').kind).toBe('not-found');
		expect(status(405, '{"error":{"code":"405000"}}', 'application/json', 'signin').kind).toBe('http-redirect');
		expect(status(500, '<!DOCTYPE html><html><h1>Internal Server Error</h1></html>', 'text/html').kind).toBe('server-error');
		expect(status(200, '<html><form><input type="password"> Sign in</form></html>', 'text/html').kind).toBe('login-page');
		expect(status(302, 'moved', 'text/plain').kind).toBe('unknown');
		const notEnabled = status(404, '{}');
		expect(notEnabled.action).toContain('tsm maintenance metadata-services enable');
	});

	it('maps network failures by their codes', () => {
		const coded = (code: string) => errorFromNetwork(Object.assign(new Error('x'), {code}), url).kind;
		expect(coded('ENOTFOUND')).toBe('dns');
		expect(coded('ECONNREFUSED')).toBe('refused');
		expect(coded('ECONNRESET')).toBe('reset');
		expect(coded('DEPTH_ZERO_SELF_SIGNED_CERT')).toBe('tls-untrusted');
		expect(coded('SELF_SIGNED_CERT_IN_CHAIN')).toBe('tls-untrusted');
		expect(coded('ERR_TLS_CERT_ALTNAME_INVALID')).toBe('tls-hostname');
		expect(coded('CERT_HAS_EXPIRED')).toBe('tls-expired');
		expect(errorFromNetwork(Object.assign(new Error('aborted'), {name: 'AbortError'}), url).kind).toBe('timeout');
		expect(errorFromNetwork(new Error('socket hang up'), url).kind).toBe('reset');
		expect(errorFromNetwork(new Error('wrapped', {cause: {code: 'ECONNREFUSED'}}), url).kind).toBe('refused');
		expect(errorFromNetwork('weird', url).kind).toBe('unknown');
	});

	it('names the path of a schema mismatch, and redacts secrets', () => {
		const error = errorFromSchema(new SchemaError('contentBackfillStatuses[0].totalCount', 'a number', '"x"'), url);
		expect(error.kind).toBe('schema');
		expect(error.message).toContain('contentBackfillStatuses[0].totalCount: expected a number, got "x"');
		expect(redact('token abc and abc', ['abc', ''])).toBe('token [redacted] and [redacted]');
	});
});

import type {ServerResponse} from 'node:http';

/** The error and document shapes a real Tableau Server sends (research/tableau.md, section 2). */
export type Shape = 'json' | 'xml';

export function send(response: ServerResponse, status: number, contentType: string, body: string, date: number, extra: Record<string, string> = {}): void {
	response.writeHead(status, {
		'Content-Type': contentType,
		'Content-Length': String(Buffer.byteLength(body)),
		Date: new Date(date).toUTCString(),
		...extra,
	});
	response.end(body);
}

/** REST API error, XML or JSON by the request's Accept. The JSON code is a string, as Tableau sends it. */
export function restError(shape: Shape, code: string, summary: string, detail: string): {contentType: string; body: string} {
	if (shape === 'json') {
		return {contentType: 'application/json;charset=UTF-8', body: JSON.stringify({error: {code, summary, detail}})};
	}

	return {
		contentType: 'application/xml;charset=UTF-8',
		body: `<?xml version='1.0' encoding='UTF-8'?><tsResponse xmlns="http://tableau.com/api"><error code="${code}"><summary>${summary}</summary><detail>${detail}</detail></error></tsResponse>`,
	};
}

/** The metadata service answers in Spring Boot's error shape, not Tableau's. */
export function springError(status: number, error: string, path: string, date: number): string {
	return JSON.stringify({timestamp: new Date(date).toISOString(), status, error, path});
}

export const HTML_500 = '<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1><p>The server encountered an internal error.</p></body></html>';

export const LOGIN_PAGE =
	'<!DOCTYPE html><html><head><title>Sign In - Corporate SSO</title></head><body><form method="post" action="/sso/login"><input name="username"><input type="password" name="password"><button>Sign in</button></form></body></html>';

export function serverInfo(shape: Shape): {contentType: string; body: string} {
	if (shape === 'json') {
		return {
			contentType: 'application/json;charset=UTF-8',
			body: JSON.stringify({serverInfo: {productVersion: {value: '2024.2.3', build: '20242.24.0913.1234'}, restApiVersion: '3.23'}}),
		};
	}

	return {
		contentType: 'application/xml;charset=UTF-8',
		body: `<?xml version='1.0' encoding='UTF-8'?><tsResponse xmlns="http://tableau.com/api"><serverInfo><productVersion build="20242.24.0913.1234">2024.2.3</productVersion><restApiVersion>3.23</restApiVersion></serverInfo></tsResponse>`,
	};
}

export function signInAnswer(shape: Shape, token: string, site: string, pat: boolean): {contentType: string; body: string} {
	const siteId = '1a2b3c4d-0000-4000-8000-00000000site';
	const userId = '9f8e7d6c-0000-4000-8000-00000000user';
	if (shape === 'json') {
		const credentials: Record<string, unknown> = {site: {id: siteId, contentUrl: site}, user: {id: userId}, token};
		if (pat) {
			credentials.estimatedTimeToExpiration = '177:05:38';
		}

		return {contentType: 'application/json;charset=UTF-8', body: JSON.stringify({credentials})};
	}

	const expiry = pat ? ' estimatedTimeToExpiration="177:05:38"' : '';
	return {
		contentType: 'application/xml;charset=UTF-8',
		body: `<?xml version='1.0' encoding='UTF-8'?><tsResponse xmlns="http://tableau.com/api"><credentials token="${token}"${expiry}><site id="${siteId}" contentUrl="${site}"/><user id="${userId}"/></credentials></tsResponse>`,
	};
}

// proxy-from-env 2 ships no types; this is the one function used.
declare module 'proxy-from-env' {
	export function getProxyForUrl(url: string): string;
}

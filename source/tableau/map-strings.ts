/** Rebuilds a parsed JSON value with every string in it passed through `change`; keys stay as they are. */
export function mapStrings(value: unknown, change: (text: string) => string): unknown {
	if (typeof value === 'string') {
		return change(value);
	}

	if (Array.isArray(value)) {
		return value.map(item => mapStrings(item, change));
	}

	if (typeof value === 'object' && value !== null) {
		return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, change)]));
	}

	return value;
}

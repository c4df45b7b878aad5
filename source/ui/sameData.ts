/**
 * Structural equality of plain data (what the model derives: objects, arrays, numbers, strings),
 * for React.memo: the model rebuilds its objects on every poll, so identity says nothing about
 * whether a panel would draw anything different. Functions and other objects compare by identity.
 */
export function sameData(a: unknown, b: unknown): boolean {
	if (Object.is(a, b)) {
		return true;
	}

	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
		return false;
	}

	if (Array.isArray(a) || Array.isArray(b)) {
		return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, index) => sameData(item, b[index]));
	}

	if (Object.getPrototypeOf(a) !== Object.prototype || Object.getPrototypeOf(b) !== Object.prototype) {
		return false;
	}

	const keysA = Object.keys(a);
	if (keysA.length !== Object.keys(b).length) {
		return false;
	}

	const recordA = a as Record<string, unknown>;
	const recordB = b as Record<string, unknown>;
	return keysA.every(key => Object.hasOwn(recordB, key) && sameData(recordA[key], recordB[key]));
}

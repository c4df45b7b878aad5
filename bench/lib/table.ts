/** Plain-text tables for benchmark output: aligned columns, numbers right-aligned, nothing else. */
export function table(title: string, header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => (r[i] ?? '').length)));
	const numeric = header.map((_, i) => rows.length > 0 && rows.every(r => /^[-+~<>≈]?[\d.,]+\s*[%a-zA-Z/]*$|^[—-]$|^n\/a$/.test(r[i] ?? '')));
	const line = (cells: readonly string[]) =>
		cells
			.map((cell, i) => (numeric[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
			.join('  ')
			.trimEnd();
	return [`\n${title}`, line(header), widths.map(w => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function fixed(value: number, digits = 1): string {
	return Number.isFinite(value) ? value.toFixed(digits) : '—';
}

export function signed(value: number | null, digits = 1): string {
	if (value === null || !Number.isFinite(value)) {
		return '—';
	}

	return `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`;
}

export function thousands(value: number): string {
	return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '—';
}

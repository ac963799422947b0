/** The sources `exposure-audit import` reads (index.ts maps each to its importer; light, for --help). */
export const importSources = ['ansible', 'terraform', 'nmap', 'kubernetes'] as const;
export type ImportSource = (typeof importSources)[number];

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderStatusTable, statusMarkers } from '../../scripts/gen-status-table.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README status table', () => {
  it('README.md holds the table generated from src/domain/status.ts (npm run gen:status-table)', () => {
    const [start, end] = statusMarkers;
    expect(readme.indexOf(start)).toBeGreaterThan(-1);
    const body = readme.slice(readme.indexOf(start) + start.length, readme.indexOf(end)).trim();
    expect(body).toBe(renderStatusTable());
  });
});

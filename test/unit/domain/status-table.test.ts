import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderStatusTable, statusMarkers } from '../../../scripts/gen-status-table.js';
import { sectionOf } from '../../../scripts/lib/readme-section.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

describe('README status table', () => {
  it('README.md holds the table generated from src/domain/status.ts (npm run gen:status-table)', () => {
    expect(readme).toContain(statusMarkers[0]);
    expect(sectionOf(readme, statusMarkers)).toBe(renderStatusTable());
  });
});

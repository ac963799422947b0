import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { outOfDate } from '../../../scripts/gen-outputs.js';
import { targetsJsonSchema } from '../../../scripts/gen-schema.js';

const file = new URL('../../../schema/targets.schema.json', import.meta.url);

describe('schema/targets.schema.json', () => {
  it('is what scripts/gen-schema.ts generates from the inventory model (npm run gen)', () => {
    expect(readFileSync(file, 'utf8'), outOfDate('schema/targets.schema.json')).toBe(targetsJsonSchema());
  });

  it('offers the known services and the expect values for completion', () => {
    const s = JSON.parse(targetsJsonSchema());
    const target = s.properties.targets.items;
    expect(target.required).toEqual(['host']);
    expect(target.additionalProperties).toBe(false);
    expect(target.properties.services.propertyNames.enum).toEqual(expect.arrayContaining(['redis', 'clickhouse', 'elasticsearch']));
    expect(target.properties.expect.enum).toEqual(['exposed', 'auth-required', 'closed']);
    expect(s.required).toEqual(['targets']);
  });

  it('is referenced by the modeline of targets.example.yaml', () => {
    const first = readFileSync(new URL('../../../targets.example.yaml', import.meta.url), 'utf8').split('\n')[0];
    expect(first).toBe('# yaml-language-server: $schema=./schema/targets.schema.json');
  });
});

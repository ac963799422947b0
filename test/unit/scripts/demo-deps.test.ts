import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (p: string) => readFileSync(new URL(`../../../${p}`, import.meta.url), 'utf8');
/** The Debian package of each server kind test/support/servers can start (recipes.ts `binary`). */
const packageOf: Record<string, string> = {
  clickhouse: 'clickhouse-server',
  redis: 'redis-server',
  memcached: 'memcached',
  nginx: 'nginx',
  apache: 'apache2',
  prometheus: 'prometheus',
  etcd: 'etcd-server',
};

describe('npm run demo installs only what it starts', () => {
  it('scripts/install-demo-deps.sh lists exactly the packages of the server kinds scripts/demo.ts starts', () => {
    const kinds = new Set([...read('scripts/demo.ts').matchAll(/kind: '([a-z-]+)'/g)].map((m) => m[1]!));
    expect(kinds.size).toBeGreaterThan(0);
    const wanted = [...kinds].map((k) => packageOf[k] ?? `unknown kind ${k}`).sort();
    const line = read('scripts/install-demo-deps.sh')
      .split('\n')
      .find((l) => l.startsWith('apt_install_missing'))!;
    const listed = line
      .replace(/^apt_install_missing "[^"]*"\s+/, '')
      .split(/\s+/)
      .sort();
    expect(listed).toEqual(wanted);
    expect(JSON.parse(read('package.json')).scripts.demo).toMatch(/^bash scripts\/install-demo-deps\.sh && /);
  });
});

/**
 * Imports run one way (docs/architecture.md): each layer may import its own layer and the ones below it, never one
 * above; no cycles anywhere. test/ may import anything; scripts/ anything but test/, except the test servers
 * (test/support/servers, which the demo and the bench start). Run by `npm run lint`.
 */
const layers = [
  // The ground floor everyone may import: shared types, errors, wording helpers (text.ts), pure domain rules,
  // pure risk scoring.
  [
    'ground',
    '^src/(errors|types|duration|version|read-bounded|text)[.]ts$|^src/domain/|^src/risk/(redact|scan|secret-patterns|sensitive-names|data-classes|data-age)[.]ts$',
  ],
  ['net', '^src/net/'],
  ['protocols', '^src/protocols/'],
  ['probe-api', '^src/probe(-replies)?[.]ts$|^src/http-catalog/|^src/risk/sample[.]ts$'],
  ['probes', '^(probes|signatures)/'],
  ['engine', '^src/engine/'],
  ['classify', '^src/classify/'],
  ['inventory', '^src/inventory/'],
  ['report', '^src/report/'],
  ['continuous', '^src/continuous/'],
  ['cli', '^src/cli/'],
];

const upward = [];
layers.forEach(([from, fromPath], i) => {
  const above = layers.slice(i + 1);
  if (!above.length) return;
  upward.push({
    name: `no-upward-from-${from}`,
    comment: `${from} may not import ${above.map(([n]) => n).join(', ')}`,
    severity: 'error',
    from: { path: fromPath },
    to: { path: above.map(([, p]) => `(${p})`).join('|') },
  });
});

module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'no import cycles', severity: 'error', from: {}, to: { circular: true } },
    ...upward,
    {
      name: 'src-not-into-tests',
      comment: 'shipped code never imports tests or scripts',
      severity: 'error',
      from: { path: '^(src|probes|signatures)/' },
      to: { path: '^(test|scripts)/' },
    },
    {
      name: 'scripts-only-test-servers',
      comment: 'the demo and the bench start the test servers (test/support/servers), never import tests or their helpers',
      severity: 'error',
      from: { path: '^scripts/' },
      to: { path: '^test/', pathNot: '^test/support/servers/' },
    },
    {
      name: 'test-servers-stand-alone',
      comment: 'test/support/servers is compiled into dist/ for the demo and the bench: it imports nothing else of test/',
      severity: 'error',
      from: { path: '^test/support/servers/' },
      to: { path: '^test/', pathNot: '^test/support/servers/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|test-output)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};

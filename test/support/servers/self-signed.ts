/**
 * `openssl req` arguments for a throwaway self-signed certificate: EC P-256, CN and SAN 127.0.0.1, one day, key
 * unencrypted. One home for the test servers that need TLS (the ssl-only PostgreSQL recipe, test TLS peers).
 */
export function selfSignedCertArgs(keyFile: string, certFile: string): string[] {
  return [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-keyout',
    keyFile,
    '-out',
    certFile,
  ];
}

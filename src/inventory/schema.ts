import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { durationHint, parseDuration } from '../duration.js';
import { parseRetention } from '../risk/data-age.js';
import { suppressionListSchema } from './suppression-schema.js';
import { serviceNameSchema } from './service-name.js';

const hostnamePattern = /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*\.?$/;

export type HostKind = 'ip' | 'cidr' | 'name';

export function hostKind(host: string): HostKind | undefined {
  if (host.includes('/')) {
    try {
      ipaddr.parseCIDR(host);
      return 'cidr';
    } catch {
      return undefined;
    }
  }
  if (ipaddr.isValid(host) && (ipaddr.IPv4.isValidFourPartDecimal(host) || host.includes(':'))) return 'ip';
  // Dotted digits that are not a valid IPv4 address (999.1.1.1) are a typo, not a host name.
  if (/^[\d.]+$/.test(host)) return undefined;
  return hostnamePattern.test(host) ? 'name' : undefined;
}

const duration = z
  .union([z.string(), z.number()])
  .refine((v) => parseDuration(v) !== undefined, { message: durationHint })
  .transform((v) => parseDuration(v)!);

/**
 * `retention: {chat: 30d, logs: 90d}`: the longest a data class may be kept (days, weeks, months, years). Data older
 * than that in an exposed store becomes its own finding (check `retention-exceeded`). Keys are data-class ids or
 * their aliases (src/risk/data-classes.ts), or `all`.
 */
const retention = z
  .record(z.string(), z.union([z.string(), z.number()]))
  .superRefine((raw, ctx) => {
    for (const problem of parseRetention(raw).problems) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform((raw) => parseRetention(raw).days);

const port = z
  .number({ message: 'expected a port number' })
  .int('a port is a whole number')
  .min(1, 'ports run from 1 to 65535')
  .max(65535, 'ports run from 1 to 65535');

export const expectations = ['exposed', 'auth-required', 'closed'] as const;

export function inventorySchema(services: readonly string[]) {
  const serviceName = serviceNameSchema(services);
  const target = z.strictObject({
    host: z
      .string({ message: 'host is required: an IP address, a host name or a CIDR' })
      // No .min(1): the refine below already refuses "" with its own message (two lines for one problem otherwise).
      .refine((h) => hostKind(h) !== undefined, { error: (iss) => `"${String(iss.input)}" is not an IP address, host name or CIDR` }),
    name: z.string().min(1).optional(),
    services: z.record(serviceName, z.array(port).nullable()).optional(),
    labels: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).optional(),
    expect: z.enum(expectations).optional(),
    /** S3 bucket names to try listing anonymously on this target's `s3` endpoints (ListBuckets alone cannot find them on MinIO). */
    buckets: z
      .array(
        z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'not an S3 bucket name (3–63 lowercase letters, digits, dots, hyphens)'),
      )
      .max(50)
      .optional(),
    retention: retention.optional(),
  });
  const defaults = z.strictObject({
    timeout: duration.optional(),
    connectTimeout: duration.optional(),
    concurrency: z.number().int().min(1).max(4096).optional(),
    perHostConcurrency: z.number().int().min(1).max(256).optional(),
    maxBytes: z
      .number()
      .int()
      .min(1024)
      .max(64 * 1024 * 1024)
      .optional(),
    maxCidrAddresses: z.number().int().min(1).optional(),
    retention: retention.optional(),
  });
  return z.strictObject({
    targets: z.array(target, { message: 'targets must be a list' }).min(1, 'targets is empty: declare at least one host'),
    defaults: defaults.optional(),
    suppressions: suppressionListSchema(services, (h) => hostKind(h) !== undefined).optional(),
  });
}

export type Inventory = z.output<ReturnType<typeof inventorySchema>>;
export type InventoryTarget = Inventory['targets'][number];
export type InventoryDefaults = NonNullable<Inventory['defaults']>;

import { z } from 'zod';
import { serviceNameSchema } from './service-name.js';

/** `YYYY-MM-DD` that is a real calendar date. */
export function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const text = (what: string) =>
  z
    .string({ message: `${what} must be text` })
    .trim()
    .min(1, `${what} must not be empty`);

/**
 * One accepted risk, in the inventory (`suppressions:`) or a `--suppressions` file. It matches findings by
 * `host` (address, CIDR or the host as declared) and/or `asset`, optionally narrowed by service, port and check.
 * `reason`, `owner` and `expires` are required: an exception nobody owns or that never ends is not accepted.
 *
 * A function of the known services and of a host validator so the inventory schema can embed it without an
 * import cycle.
 */
export function suppressionSchema(services: readonly string[], validHost: (host: string) => boolean) {
  return z
    .strictObject({
      host: z
        .string()
        .min(1)
        .refine(validHost, { error: (iss) => `"${String(iss.input)}" is not an IP address, host name or CIDR` })
        .optional(),
      asset: text('asset').optional(),
      service: serviceNameSchema(services).optional(),
      port: z
        .number({ message: 'expected a port number' })
        .int('a port is a whole number')
        .min(1, 'ports run from 1 to 65535')
        .max(65535, 'ports run from 1 to 65535')
        .optional(),
      check: text('check').optional(),
      reason: text('reason'),
      owner: text('owner'),
      expires: z
        .string({ message: 'expected a date YYYY-MM-DD' })
        .refine(isCalendarDate, { error: (iss) => `"${String(iss.input)}" is not a date YYYY-MM-DD` }),
    })
    .refine((s) => s.host !== undefined || s.asset !== undefined, { message: 'a suppression needs `host` or `asset` (or both)' });
}

export type SuppressionDecl = z.output<ReturnType<typeof suppressionSchema>>;

export function suppressionListSchema(services: readonly string[], validHost: (host: string) => boolean) {
  return z.array(suppressionSchema(services, validHost), { message: 'suppressions must be a list' });
}

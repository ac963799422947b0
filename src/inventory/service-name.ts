import { z } from 'zod';
import { didYouMean } from '../text.js';

/**
 * A service name as the inventory and the suppressions list accept it: one of the registry's. An unknown one gets
 * the one closest name, else a pointer to `exposure-audit probes` — never the whole list (70 names, once per typo).
 */
export function serviceNameSchema(services: readonly string[]) {
  return z.string().refine((s) => services.includes(s), { error: (iss) => unknownServiceMessage(String(iss.input), services) });
}

export function unknownServiceMessage(name: string, services: readonly string[]): string {
  const hint = didYouMean(name, services);
  return `unknown service "${name}"${hint || ' (`exposure-audit probes` lists the services)'}`;
}

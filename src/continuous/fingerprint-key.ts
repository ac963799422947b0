import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { setFingerprintKey } from '../risk/redact.js';

/** The key file's name, beside the state file. */
export const keyFileName = '.exposure-audit-key';

/**
 * The per-installation fingerprint key (HMAC-SHA256, see src/risk/redact.ts): 32 random bytes in
 * `<state dir>/.exposure-audit-key`, mode 0600, created on first use (exclusive create, so two runs starting together
 * agree on one key), read on every later run, so fingerprints stay stable across runs yet cannot be matched offline
 * by anyone who holds a report but not this file. Without a state file the process keeps its random per-run key.
 * Returns the key file used, or undefined when it could not be read or created (the per-run key stays).
 */
export async function useInstallationKey(statePath: string): Promise<string | undefined> {
  const file = path.join(path.dirname(path.resolve(statePath)), keyFileName);
  try {
    setFingerprintKey(await readKey(file));
    return file;
  } catch {
    return undefined;
  }
}

async function readKey(file: string): Promise<Buffer> {
  try {
    return decode(await readFile(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(path.dirname(file), { recursive: true });
  const key = randomBytes(32);
  try {
    const fh = await open(file, 'wx', 0o600);
    try {
      await fh.writeFile(`${key.toString('hex')}\n`);
    } finally {
      await fh.close();
    }
    return key;
  } catch (err) {
    // Another run created it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return decode(await readFile(file, 'utf8'));
    throw err;
  }
}

function decode(text: string): Buffer {
  const hex = text.trim();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error('malformed fingerprint key file');
  return Buffer.from(hex, 'hex');
}

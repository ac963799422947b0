import { isEaError } from '../src/errors.js';
import { always, busyResult, defineProbe, type ProbeContext, type ProbeResult } from '../src/probe.js';

/**
 * ZooKeeper four-letter words (4lw), `srvr` and `mntr` only. The server answers each on a fresh connection and
 * closes it, so a reply is "everything until close". 4lw need no authentication by design (even with SASL
 * enforced), and they are all we send: reading znodes needs a client session, and creating one is itself a
 * transaction (createSession goes through the write pipeline), so this probe never opens one.
 *
 * Verdicts:
 * - `srvr` answers with `Zookeeper version:` → exposed: version, mode and znode count are readable by anyone, and
 *   nothing on the client port (default zoo.cfg) asks for credentials. The assessment says plainly that znode data
 *   access was not exercised.
 * - `srvr is not executed because it is not in the whitelist.` → ZooKeeper identified, stats hidden; access to the
 *   data API is not proven either way (status error, product set): we refuse to open the session that would tell.
 *   Since 3.5.3 srvr is always whitelisted unless 4lw.commands.whitelist is set to exclude it explicitly
 *   (apache/zookeeper FourLetterCommands.java, isEnabled).
 * - `mntr` (off by default since 3.5.3) adds zk_znode_count / zk_approximate_data_size when whitelisted.
 */
const notWhitelisted = /is not executed because it is not in the whitelist/;

/**
 * srvr's reply always ends with its `Node count: N` line (ZooKeeper StatCommand / srvr output), and a refused word
 * with the whitelist sentence: either completes the reply without waiting for the close. mntr has no fixed last
 * line, so it is "everything until the server closes". A close with nothing said, or a reset, is an error.
 */
export function frameFourLetterReply(word: 'srvr' | 'mntr'): (buf: Buffer) => number | undefined {
  return (buf) => {
    const text = buf.toString('latin1');
    const m =
      (word === 'srvr' ? /\nNode count: \d+\n/.exec(text) : null) ?? /is not executed because it is not in the whitelist\.\n/.exec(text);
    return m ? m.index + m[0].length : undefined;
  };
}

async function fourLetterWord(ctx: ProbeContext, word: 'srvr' | 'mntr'): Promise<string> {
  const session = await ctx.tcp();
  await session.write(word);
  try {
    return (await session.read(frameFourLetterReply(word))).toString('utf8');
  } catch (err) {
    // The server closes after the reply: for mntr (and foreign servers) that close is the end of the reply.
    const partial = isEaError(err, 'EA_CLOSED') ? err.details.partial : undefined;
    if (partial?.length && !(word === 'srvr' && partial.includes('Zookeeper version:'))) return partial.toString('utf8');
    // Nothing said, a srvr cut short before its last line, a reset, a timeout: no verdict from that.
    throw err;
  }
}

/** `key: value` lines of srvr, `key\tvalue` lines of mntr; server-chosen keys, so a null-prototype record. */
function parseLines(text: string, sep: RegExp): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const line of text.split('\n').slice(0, 500)) {
    const m = sep.exec(line);
    if (m) out[m[1]!.trim().slice(0, 64)] = m[2]!.trim().slice(0, 256);
  }
  return out;
}

function num(v: string | undefined): number | undefined {
  const n = Number(v);
  return v !== undefined && v !== '' && Number.isFinite(n) ? n : undefined;
}

export default defineProbe({
  meta: {
    id: 'zookeeper',
    service: 'zookeeper',
    title: 'ZooKeeper readable without authentication',
    description:
      'Four-letter words srvr and mntr (no client session: opening one writes a transaction): version, mode, znode count and data size.',
    defaultPorts: [2181],
    transport: 'tcp',
    tls: 'never',
    sends: always('srvr', 'mntr'),
    exposure:
      'anyone who can reach the port sees the ensemble state, and with the default world:anyone ACLs can open a session and read or change every znode (configuration, secrets, leader election)',
    remediation:
      'Require SASL or client certificates (enforce.auth.enabled / sessionRequireClientSASLAuth), set znode ACLs, restrict 4lw.commands.whitelist, bind clientPortAddress to a private interface and firewall 2181.',
    references: [
      'https://zookeeper.apache.org/doc/current/zookeeperAdmin.html#sc_4lw',
      'https://zookeeper.apache.org/doc/current/zookeeperProgrammers.html#sc_ZooKeeperAccessControl',
    ],
  },
  async run(_target, ctx): Promise<ProbeResult> {
    const srvr = await fourLetterWord(ctx, 'srvr');
    const reply = srvr.slice(0, 200).trim();
    if (notWhitelisted.test(srvr))
      return {
        status: 'error',
        evidence: {
          product: 'ZooKeeper',
          proof: 'srvr',
          reply,
          notes: [
            'ZooKeeper hides its four-letter words; whether znodes are readable needs a client session, which writes a transaction, so it was not tested',
          ],
        },
        facts: { fourLetterWords: 'not whitelisted' },
        error: { code: 'EA_PROTOCOL', message: 'ZooKeeper identified; access not decided (four-letter words disabled, no session opened)' },
      };
    const s = parseLines(srvr, /^([^:]+):\s*(.*)$/);
    // `3.8.0-${mvngit.commit.id}, built on …` (Debian's build leaves the git placeholder in): keep the release.
    const raw = (s['Zookeeper version'] ?? '')
      .split(',')[0]!
      .replace(/-\$\{[^}]*\}$/, '')
      .trim();
    const version = /^\d+\.\d+[\w.-]*$/.test(raw) ? raw.slice(0, 64) : undefined;
    // A member without quorum (or still starting) answers every word with this sentence (apache/zookeeper
    // FourLetterCommands.ZK_NOT_SERVING): ZooKeeper, not serving now.
    if (!version && /^This ZooKeeper instance is not currently serving requests/.test(srvr)) return busyResult('ZooKeeper', 'srvr', reply);
    if (!version) return { status: 'not-detected', evidence: { proof: 'srvr', reply }, facts: {} };

    const facts: Record<string, unknown> = {
      version,
      mode: s.Mode,
      zxid: s.Zxid,
      connections: num(s.Connections),
      fourLetterWords: ['srvr'],
    };
    let znodes = num(s['Node count']);
    let bytes: number | undefined;
    const notes = ['four-letter words need no authentication; znode data was not read: a client session would write a transaction'];
    const mntrText = await fourLetterWord(ctx, 'mntr').catch((err: unknown) => {
      if (isEaError(err, 'EA_ABORTED')) throw err;
      return '';
    });
    if (notWhitelisted.test(mntrText)) notes.push('mntr is not whitelisted');
    else {
      const m = parseLines(mntrText, /^(zk_[\w]+)\s+(.*)$/);
      if (m.zk_version) {
        (facts.fourLetterWords as string[]).push('mntr');
        znodes = num(m.zk_znode_count) ?? znodes;
        bytes = num(m.zk_approximate_data_size);
        Object.assign(facts, {
          serverState: m.zk_server_state,
          ephemerals: num(m.zk_ephemerals_count),
          watches: num(m.zk_watch_count),
          aliveConnections: num(m.zk_num_alive_connections),
          ...(m.zk_followers !== undefined ? { followers: num(m.zk_followers) } : {}),
        });
      }
    }
    // Counts the server reports about itself, kept as facts: no znode was read, so they are not "readable data".
    if (znodes !== undefined) facts.znodes = znodes;
    if (bytes !== undefined) facts.approximateDataBytes = bytes;
    return {
      status: 'exposed',
      assessment: {
        severity: 'medium',
        reason:
          'ZooKeeper answers its stats (version, mode, znode count) to anyone; znode data access was not exercised (opening a session writes a transaction)',
      },
      evidence: { product: 'ZooKeeper', version, proof: 'srvr', reply, notes },
      facts,
      data: { items: [], totals: {} },
    };
  },
});

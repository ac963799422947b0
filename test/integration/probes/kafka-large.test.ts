// A Kafka cluster whose Metadata reply is larger than the byte cap (issue 22 part 6): the first bytes (response
// header, broker list) prove the unauthenticated answer, so it is exposed, and the topic count is a lower bound.
import { afterAll, describe, expect, it } from 'vitest';
import kafka from '../../../probes/kafka.js';
import replies from '../../../probes/kafka.replies.js';
import { createHarness } from '../../support/probe-harness.js';
import { runCase } from '../../support/probe-tester.js';

afterAll(() => createHarness().close());

describe('kafka: a Metadata reply past the 1 MiB cap', () => {
  it('is exposed, with at least N topics (N < 3000) and the cut said', async () => {
    const { observation: o } = await runCase(kafka, replies, replies.cases['large-cluster'], '127.0.9.2');
    expect(o.status, JSON.stringify(o.error ?? o.evidence)).toBe('exposed');
    const topics = o.facts?.topics as number;
    expect(topics).toBeGreaterThan(100);
    expect(topics).toBeLessThan(3000);
    expect(o.facts?.topicsAtLeast).toBe(true);
    expect(o.facts?.topicsAnnounced).toBe(3000);
    expect(o.evidence.truncated).toBe(true);
    expect(o.evidence.reply).toContain(`at least ${topics} topic(s)`);
    expect(o.evidence.notes?.join(' ')).toMatch(new RegExp(`at least ${topics} topics \\(reply cut at the byte cap`));
  });

  it('the three-topic cluster is counted exactly, with no lower-bound note', async () => {
    const { observation: o } = await runCase(kafka, replies, replies.cases.plaintext, '127.0.9.2');
    expect(o.status).toBe('exposed');
    expect(o.facts?.topics).toBe(3);
    expect(o.facts?.topicsAtLeast).toBeUndefined();
    expect(o.evidence.truncated).toBeUndefined();
  });
});

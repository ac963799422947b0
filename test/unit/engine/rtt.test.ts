import { describe, expect, it } from 'vitest';
import { ConnectTimeouts, RttEstimator, defaultFloorMs, networkOf } from '../../../src/engine/rtt.js';

describe('RttEstimator (RFC 6298 smoothing)', () => {
  it('first sample: srtt = r, rttvar = r / 2; timeout = srtt + 4 × rttvar', () => {
    const e = new RttEstimator();
    e.add(10);
    expect([e.srtt, e.rttvar, e.timeout()]).toEqual([10, 5, 30]);
  });

  it('later samples: rttvar = 3/4 rttvar + 1/4 |srtt - r|, then srtt = 7/8 srtt + 1/8 r', () => {
    const e = new RttEstimator();
    e.add(10);
    e.add(20);
    // rttvar = 0.75 × 5 + 0.25 × |10 - 20| = 6.25; srtt = 0.875 × 10 + 0.125 × 20 = 11.25
    expect(e.rttvar).toBeCloseTo(6.25, 10);
    expect(e.srtt).toBeCloseTo(11.25, 10);
    expect(e.timeout()).toBeCloseTo(36.25, 10);
    expect(e.samples).toBe(2);
  });

  it('steady samples converge: the variation decays towards zero', () => {
    const e = new RttEstimator();
    for (let i = 0; i < 100; i++) e.add(4);
    expect(e.srtt).toBeCloseTo(4, 5);
    expect(e.rttvar).toBeLessThan(0.001);
  });
});

describe('networkOf', () => {
  it('IPv4: the /24; IPv6: the /64, with :: expanded', () => {
    expect(networkOf('127.0.4.25')).toBe('127.0.4');
    expect(networkOf('127.0.5.1')).toBe('127.0.5');
    expect(networkOf('fd00:1:2:3::9')).toBe('fd00:1:2:3');
    expect(networkOf('fd00::1')).toBe('fd00:0:0:0');
    expect(networkOf('::1')).toBe('0:0:0:0');
  });
});

describe('ConnectTimeouts', () => {
  it('uses the cap until a scope has enough samples', () => {
    const t = new ConnectTimeouts({ capMs: 2000, minSamples: 3 });
    expect(t.timeoutFor('127.0.4', 'fleet')).toBe(2000);
    t.sample('127.0.4', 'fleet', 1);
    t.sample('127.0.4', 'fleet', 1);
    expect(t.timeoutFor('127.0.4', 'fleet')).toBe(2000);
    t.sample('127.0.4', 'fleet', 1);
    // 1 ms answers: srtt + 4 rttvar is far below the floor, so the floor decides.
    expect(t.timeoutFor('127.0.4', 'fleet')).toBe(defaultFloorMs);
  });

  it('falls back from the network to the declared target, then to the cap', () => {
    const t = new ConnectTimeouts({ capMs: 2000, floorMs: 50, minSamples: 1 });
    t.sample('127.0.1', 'dc-a', 100);
    // The same network: its own estimate (100 + 4 × 50 = 300).
    expect(t.timeoutFor('127.0.1', 'dc-a')).toBe(300);
    // Another /24 of the same declared target (a firewalled CIDR whose few live hosts answered): the target's.
    expect(t.timeoutFor('127.0.2', 'dc-a')).toBe(300);
    // Nothing measured near it, but the run has answers: the run's estimate, at least the 500 ms floor for that case.
    expect(t.timeoutFor('127.9.9', 'dc-b')).toBe(500);
    // Nothing measured at all: the cap.
    expect(new ConnectTimeouts({ capMs: 2000, minSamples: 1 }).timeoutFor('127.9.9', 'dc-b')).toBe(2000);
  });

  it('never exceeds the cap, never goes below the floor, and the floor never exceeds the cap', () => {
    const t = new ConnectTimeouts({ capMs: 500, floorMs: 100, minSamples: 1 });
    t.sample('n', 't', 400);
    expect(t.timeoutFor('n', 't')).toBe(500);
    const low = new ConnectTimeouts({ capMs: 40, floorMs: 100, minSamples: 1 });
    low.sample('n', 't', 1);
    expect(low.timeoutFor('n', 't')).toBe(40);
  });
});

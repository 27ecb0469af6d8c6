import {
  addressKey,
  afterFailure,
  afterSuccess,
  GUARD_POLICY,
  isLocked,
  isOverCeiling,
  lockDurationMs,
  matriculeHint,
  NO_FAILURES,
  purgeBounds,
  utcDay,
  type MatriculeRecord,
} from './authentication.rules';

const T0 = new Date('2026-03-10T08:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const MIN = 60_000;

/** `n` failures a minute apart from `record`, starting at `start` minutes. */
function fail(record: MatriculeRecord, n: number, start: number) {
  let r = record;
  const locks = [];
  for (let i = 0; i < n; i += 1) {
    const d = afterFailure(r, at(start + i));
    r = d.record;
    if (d.lock) locks.push(d.lock);
  }
  return { record: r, locks };
}

describe('brute-force rules: per matricule', () => {
  it('locks on the 5th failure, not the 4th, for 15 minutes', () => {
    const four = fail(NO_FAILURES, 4, 0);
    expect(four.locks).toEqual([]);
    expect(isLocked(four.record, at(4))).toBe(false);
    const five = fail(four.record, 1, 4);
    expect(five.locks).toEqual([{ lockout: 1, failures: 5, until: at(4 + 15) }]);
    expect(isLocked(five.record, at(18))).toBe(true);
    expect(isLocked(five.record, at(19))).toBe(false);
    expect(five.record.failures).toBe(0);
  });

  it('doubles the lock for each lock in a row, up to 24 hours', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => lockDurationMs(n) / MIN)).toEqual([
      15, 30, 60, 120, 240, 480, 960, 1440, 1440,
    ]);
    const first = fail(NO_FAILURES, 5, 0); // locked until 19
    const second = fail(first.record, 5, 20); // locked at 24 until 54
    expect(second.locks).toEqual([{ lockout: 2, failures: 5, until: at(24 + 30) }]);
    const third = fail(second.record, 5, 60);
    expect(third.locks[0]).toMatchObject({ lockout: 3, until: at(64 + 60) });
  });

  it('starts over at 15 minutes a day after the last lock ended', () => {
    const first = fail(fail(NO_FAILURES, 5, 0).record, 5, 20); // 2nd lock until 54
    const later = fail(first.record, 5, 54 + 24 * 60);
    expect(later.locks[0]).toMatchObject({ lockout: 1, until: at(58 + 24 * 60 + 15) });
  });

  it('forgets failures a day after the last one, and all of them on the right code', () => {
    const four = fail(NO_FAILURES, 4, 0);
    expect(fail(four.record, 1, 3 + 24 * 60).locks).toEqual([]);
    expect(fail(four.record, 1, 3 + 24 * 60 - 1).locks).toHaveLength(1);
    expect(afterSuccess()).toEqual(NO_FAILURES);
    expect(fail(afterSuccess(), 4, 10).locks).toEqual([]);
  });
});

describe('brute-force rules: per address', () => {
  it('stops at the daily ceiling: the 20th failure is the last one tried', () => {
    expect(GUARD_POLICY.addressDailyCeiling).toBe(20);
    expect(isOverCeiling(19)).toBe(false);
    expect(isOverCeiling(20)).toBe(true);
  });

  it('counts per UTC day', () => {
    expect(utcDay(new Date('2026-03-10T23:59:59.999Z'))).toBe('2026-03-10');
    expect(utcDay(new Date('2026-03-11T00:00:00.000Z'))).toBe('2026-03-11');
  });

  it.each([
    ['203.0.113.7', '203.0.113.7'],
    [' 203.0.113.7 ', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::ffff:cb00:7107', '203.0.113.7'],
    ['2001:db8:85a3:8d3:1319:8a2e:370:7348', '2001:db8:85a3:8d3::/64'],
    ['2001:DB8:85A3:08D3::1', '2001:db8:85a3:8d3::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['not-an-ip', 'not-an-ip'],
  ])('counts %p as %p', (ip, key) => {
    expect(addressKey(ip)).toBe(key);
  });

  it('gives one key to every address of an IPv6 /64', () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe(addressKey('2001:db8:1:2:ffff:ffff:ffff:ffff'));
    expect(addressKey('2001:db8:1:2::1')).not.toBe(addressKey('2001:db8:1:3::1'));
  });
});

describe('brute-force rules: alerts and purge', () => {
  it('shows only the end of the matricule', () => {
    expect(matriculeHint('AB123CD')).toBe('••-•••-CD');
  });

  it('purges failures and locks a day old, alerts a week old, and the past days of addresses', () => {
    expect(purgeBounds(T0)).toEqual({
      failuresBefore: new Date('2026-03-09T08:00:00.000Z'),
      locksBefore: new Date('2026-03-09T08:00:00.000Z'),
      alertsBefore: new Date('2026-03-03T08:00:00.000Z'),
      day: '2026-03-10',
    });
  });
});

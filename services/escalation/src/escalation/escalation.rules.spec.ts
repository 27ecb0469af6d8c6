import fc from 'fast-check';
import {
  checkHolderOrSupervisor,
  checkResolvable,
  decideAssignment,
  decideStart,
  DEFAULT_WAIT_SECONDS,
  escalationPriority,
  estimateWaitSeconds,
  hasInjuries,
  median,
  MIN_WAIT_SECONDS,
  normalizeReasons,
  pickAdvisor,
  pickEntry,
  queueOrder,
  reasonsForSpecialty,
  specialtyKey,
  specialtyMatches,
  type AdvisorLoad,
  WAIT_MIN_SAMPLES,
  waitPerRound,
  WAITED_AT_LEAST_SECONDS,
} from './escalation.rules';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
};
const advisor = (over: Partial<AdvisorLoad> = {}): AdvisorLoad => ({
  id: 'a1',
  status: 'AVAILABLE',
  activeClaims: 0,
  capacity: 5,
  ...over,
});

describe('escalationPriority: injuries first, then CCI', () => {
  it('puts any injury claim above any claim without injuries', () => {
    expect(escalationPriority({ reasons: ['INJURIES'], cciScore: 0 })).toBe(51);
    expect(escalationPriority({ reasons: ['CCI_ABOVE_THRESHOLD'], cciScore: 100 })).toBe(50);
    expect(escalationPriority({ reasons: ['blessures'] })).toBe(51);
    expect(escalationPriority({ reasons: ['INJURIES', 'CCI_ABOVE_THRESHOLD'], cciScore: 100 })).toBe(100);
  });

  it('orders by CCI within a band', () => {
    expect(escalationPriority({ reasons: ['THIRD_PARTY_RESPONSIBLE'], cciScore: 35 })).toBe(17);
    expect(escalationPriority({ reasons: ['THIRD_PARTY_RESPONSIBLE'], cciScore: 70 })).toBe(35);
    expect(escalationPriority({ reasons: ['INJURIES'], cciScore: 60 })).toBe(80);
  });

  it('reads CCI_ABOVE_THRESHOLD without a score as just above the seed threshold', () => {
    expect(escalationPriority({ reasons: ['CCI_ABOVE_THRESHOLD'] })).toBe(30);
    expect(escalationPriority({ reasons: ['THIRD_PARTY_RESPONSIBLE'] })).toBe(0);
    // a score, when sent, wins over the implied one
    expect(escalationPriority({ reasons: ['CCI_ABOVE_THRESHOLD'], cciScore: 90 })).toBe(45);
  });

  it('property: stays in 0-100, never lowers with a higher CCI, injuries always outrank', () => {
    const cci = fc.integer({ min: 0, max: 100 });
    fc.assert(
      fc.property(cci, cci, fc.boolean(), (a, b, injured) => {
        const reasons = injured ? ['INJURIES'] : ['CCI_ABOVE_THRESHOLD'];
        const pa = escalationPriority({ reasons, cciScore: a });
        const pb = escalationPriority({ reasons, cciScore: b });
        const withInjury = escalationPriority({ reasons: ['INJURIES'], cciScore: a });
        const without = escalationPriority({ reasons: ['OTHER'], cciScore: b });
        return pa >= 0 && pa <= 100 && (a <= b ? pa <= pb : pa >= pb) && withInjury > without;
      }),
    );
  });
});

describe('queueOrder', () => {
  it('serves priority first, then the longest wait, then by id', () => {
    const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
    const entries = [
      { id: 'c', priority: 10, queuedAt: t(1) },
      { id: 'b', priority: 60, queuedAt: t(5) },
      { id: 'a', priority: 10, queuedAt: t(0) },
      { id: 'e', priority: 10, queuedAt: t(1) },
      { id: 'd', priority: 60, queuedAt: t(2) },
    ];
    expect([...entries].sort(queueOrder).map((e) => e.id)).toEqual(['d', 'b', 'a', 'c', 'e']);
  });
});

describe('normalizeReasons', () => {
  it('trims and removes duplicates, keeping the first spelling and the order', () => {
    expect(normalizeReasons([' INJURIES', 'injuries', 'CCI_ABOVE_THRESHOLD', ' '])).toEqual([
      'INJURIES',
      'CCI_ABOVE_THRESHOLD',
    ]);
    expect(hasInjuries(['Blessure'])).toBe(true);
    expect(hasInjuries(['THIRD_PARTY_RESPONSIBLE'])).toBe(false);
  });
});

describe('decideAssignment', () => {
  it('assigns a waiting entry by hand', () => {
    expect(decideAssignment({ status: 'WAITING', advisorId: null }, advisor())).toEqual({
      kind: 'assign',
      mode: 'MANUAL',
      previousAdvisorId: null,
    });
    expect(decideAssignment({ status: 'WAITING', advisorId: null }, advisor(), 'AUTO')).toMatchObject({
      mode: 'AUTO',
    });
  });

  it('reassigns a held entry, naming the previous advisor', () => {
    expect(decideAssignment({ status: 'IN_PROGRESS', advisorId: 'a0' }, advisor())).toEqual({
      kind: 'assign',
      mode: 'REASSIGNMENT',
      previousAdvisorId: 'a0',
    });
  });

  it('leaves an entry with the advisor who already holds it', () => {
    expect(decideAssignment({ status: 'ASSIGNED', advisorId: 'a1' }, advisor({ activeClaims: 5 }))).toEqual({
      kind: 'unchanged',
    });
  });

  it('refuses a resolved entry, an advisor at capacity or on a break', () => {
    expect(codeOf(() => decideAssignment({ status: 'RESOLVED', advisorId: 'a0' }, advisor()))).toBe(
      'ESCALATION.ALREADY_RESOLVED',
    );
    expect(
      codeOf(() => decideAssignment({ status: 'WAITING', advisorId: null }, advisor({ activeClaims: 5 }))),
    ).toBe('ESCALATION.ADVISOR_AT_CAPACITY');
    expect(
      codeOf(() => decideAssignment({ status: 'WAITING', advisorId: null }, advisor({ status: 'ON_BREAK' }))),
    ).toBe('ESCALATION.ADVISOR_UNAVAILABLE');
    // busy (on a call) is not a refusal for a manual assignment
    expect(decideAssignment({ status: 'WAITING', advisorId: null }, advisor({ status: 'BUSY' })).kind).toBe(
      'assign',
    );
  });
});

describe('decideStart', () => {
  it('moves an assigned entry to IN_PROGRESS once', () => {
    expect(decideStart({ status: 'ASSIGNED', advisorId: 'a1' })).toBe(true);
    expect(decideStart({ status: 'IN_PROGRESS', advisorId: 'a1' })).toBe(false);
    expect(codeOf(() => decideStart({ status: 'WAITING', advisorId: null }))).toBe('ESCALATION.NOT_ASSIGNED');
    expect(codeOf(() => decideStart({ status: 'RESOLVED', advisorId: 'a1' }))).toBe(
      'ESCALATION.ALREADY_RESOLVED',
    );
  });
});

describe('checkResolvable', () => {
  it('resolves held entries only', () => {
    expect(() => checkResolvable({ status: 'ASSIGNED', advisorId: 'a1' })).not.toThrow();
    expect(() => checkResolvable({ status: 'IN_PROGRESS', advisorId: 'a1' })).not.toThrow();
    expect(codeOf(() => checkResolvable({ status: 'WAITING', advisorId: null }))).toBe(
      'ESCALATION.NOT_ASSIGNED',
    );
    expect(codeOf(() => checkResolvable({ status: 'RESOLVED', advisorId: 'a1' }))).toBe(
      'ESCALATION.ALREADY_RESOLVED',
    );
  });
});

describe('checkHolderOrSupervisor', () => {
  const held = { status: 'ASSIGNED' as const, advisorId: 'a1' };
  it('lets the holder, a supervisor or a service take up and close an entry', () => {
    expect(() => checkHolderOrSupervisor(held, { sub: 'a1', roles: ['advisor'] })).not.toThrow();
    expect(() => checkHolderOrSupervisor(held, { sub: 'sup', roles: ['supervisor'] })).not.toThrow();
    expect(() => checkHolderOrSupervisor(held, { sub: 'claims', roles: ['system'] })).not.toThrow();
  });
  it('refuses another advisor, and a client whose id happens to match (AUTH.FORBIDDEN)', () => {
    expect(codeOf(() => checkHolderOrSupervisor(held, { sub: 'a2', roles: ['advisor'] }))).toBe(
      'AUTH.FORBIDDEN',
    );
    expect(
      codeOf(() => checkHolderOrSupervisor({ ...held, advisorId: null }, { sub: 'a2', roles: ['advisor'] })),
    ).toBe('AUTH.FORBIDDEN');
    expect(codeOf(() => checkHolderOrSupervisor(held, { sub: 'a1', roles: ['client'] }))).toBe(
      'AUTH.FORBIDDEN',
    );
  });
});

describe('pickAdvisor', () => {
  it('picks the least loaded available advisor with room, oldest first on a tie', () => {
    const at = (d: number) => new Date(Date.UTC(2026, 0, d));
    const pool = [
      { ...advisor({ id: 'full', activeClaims: 5 }), createdAt: at(1) },
      { ...advisor({ id: 'break', status: 'ON_BREAK' }), createdAt: at(1) },
      { ...advisor({ id: 'half', activeClaims: 2, capacity: 4 }), createdAt: at(1) },
      { ...advisor({ id: 'light-new', activeClaims: 1 }), createdAt: at(3) },
      { ...advisor({ id: 'light-old', activeClaims: 1 }), createdAt: at(2) },
    ];
    expect(pickAdvisor(pool)?.id).toBe('light-old');
    expect(pickAdvisor(pool.slice(0, 2))).toBeUndefined();
  });
});

describe('specialty matching', () => {
  it('normalizes spellings of one specialty', () => {
    expect(specialtyKey(' Réclamation ')).toBe('reclamation');
    expect(specialtyKey('Sinistre complexe')).toBe('sinistre_complexe');
    expect(reasonsForSpecialty('Réclamation')).toEqual(reasonsForSpecialty('reclamation'));
  });

  it('sends injuries, high CCI, third parties and delays to sinistre_complexe; complaints to réclamation', () => {
    for (const reason of ['INJURIES', 'CCI_ABOVE_THRESHOLD', 'THIRD_PARTY_RESPONSIBLE', 'DELAY_EXCEEDED']) {
      expect(specialtyMatches('sinistre_complexe', [reason])).toBe(true);
      expect(specialtyMatches('réclamation', [reason])).toBe(false);
    }
    expect(specialtyMatches('réclamation', ['complaint'])).toBe(true);
    expect(specialtyMatches('info_contrat', ['CONTRACT_QUESTION'])).toBe(true);
    // any one reason is enough; no specialty, or an unknown one, matches nothing
    expect(specialtyMatches('sinistre_complexe', ['COMPLAINT', 'INJURIES'])).toBe(true);
    expect(specialtyMatches(null, ['INJURIES'])).toBe(false);
    expect(specialtyMatches('bricolage', ['INJURIES'])).toBe(false);
  });
});

describe('pickAdvisor with reasons: specialty, then load, then seniority', () => {
  const at = (d: number) => new Date(Date.UTC(2026, 0, d));
  const pool = [
    { ...advisor({ id: 'generalist', activeClaims: 0 }), specialty: null, createdAt: at(1) },
    { ...advisor({ id: 'expert-busy', activeClaims: 3 }), specialty: 'sinistre_complexe', createdAt: at(1) },
    { ...advisor({ id: 'expert-light', activeClaims: 2 }), specialty: 'sinistre_complexe', createdAt: at(2) },
    { ...advisor({ id: 'expert-full', activeClaims: 5 }), specialty: 'sinistre_complexe', createdAt: at(1) },
    { ...advisor({ id: 'complaints', activeClaims: 1 }), specialty: 'réclamation', createdAt: at(1) },
  ];

  it('prefers a matching advisor over a less loaded one, and the least loaded among matches', () => {
    expect(pickAdvisor(pool, ['INJURIES'])?.id).toBe('expert-light');
    expect(pickAdvisor(pool, ['COMPLAINT'])?.id).toBe('complaints');
  });

  it('falls back to the least loaded advisor when nobody matches or nobody matching has room', () => {
    expect(pickAdvisor(pool, ['SOMETHING_ELSE'])?.id).toBe('generalist');
    expect(
      pickAdvisor(
        pool.filter((a) => a.id !== 'expert-light' && a.id !== 'expert-busy'),
        ['INJURIES'],
      )?.id,
    ).toBe('generalist');
  });

  it('property: the pick is available with room, and matches whenever a matching advisor has room', () => {
    const specialties = [null, 'sinistre_complexe', 'réclamation', 'info_contrat'];
    const reasonsPool = ['INJURIES', 'COMPLAINT', 'CONTRACT_INFO', 'OTHER'];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            status: fc.constantFrom('AVAILABLE' as const, 'BUSY' as const, 'ON_BREAK' as const),
            activeClaims: fc.integer({ min: 0, max: 5 }),
            capacity: fc.integer({ min: 1, max: 5 }),
            specialty: fc.constantFrom(...specialties),
            day: fc.integer({ min: 1, max: 28 }),
          }),
          { maxLength: 8 },
        ),
        fc.subarray(reasonsPool, { minLength: 1 }),
        (raw, reasons) => {
          const advisors = raw.map((r, i) => ({
            id: `a${i}`,
            status: r.status,
            activeClaims: Math.min(r.activeClaims, r.capacity),
            capacity: r.capacity,
            specialty: r.specialty,
            createdAt: at(r.day),
          }));
          const open = advisors.filter((a) => a.status === 'AVAILABLE' && a.activeClaims < a.capacity);
          const picked = pickAdvisor(advisors, reasons);
          if (!open.length) return picked === undefined;
          if (!picked || !open.includes(picked)) return false;
          const anyMatch = open.some((a) => specialtyMatches(a.specialty, reasons));
          if (anyMatch !== specialtyMatches(picked.specialty, reasons)) return false;
          // nobody in the same match class is less loaded
          return open
            .filter((a) => specialtyMatches(a.specialty, reasons) === anyMatch)
            .every((a) => a.activeClaims / a.capacity >= picked.activeClaims / picked.capacity);
        },
      ),
    );
  });
});

describe('pickEntry: what an advisor with room takes', () => {
  const at = (h: number) => new Date(Date.UTC(2026, 0, 1, h));
  const entries = [
    { id: 'complaint-oldest', priority: 0, queuedAt: at(1), reasons: ['COMPLAINT'] },
    { id: 'injury-old', priority: 70, queuedAt: at(2), reasons: ['INJURIES'] },
    { id: 'injury-new', priority: 70, queuedAt: at(3), reasons: ['INJURIES'] },
    { id: 'high-cci', priority: 45, queuedAt: at(0), reasons: ['CCI_ABOVE_THRESHOLD'] },
  ];

  it('takes the matching entry first, then the queue order (priority, then the longest wait)', () => {
    expect(pickEntry('sinistre_complexe', entries)?.id).toBe('injury-old');
    expect(pickEntry('réclamation', entries)?.id).toBe('complaint-oldest');
    // no specialty: the plain queue order
    expect(pickEntry(null, entries)?.id).toBe('injury-old');
    expect(pickEntry('sinistre_complexe', [])).toBeUndefined();
  });
});

describe('estimated wait: rounds of the queue, each as long as a recent wait', () => {
  // seconds between queuing and the first assignment, of entries assigned in the last hour
  const waits = [120, 300, 240, 600, 180];

  it('takes the median of the last hour as one round (mean of the middle two for an even count)', () => {
    expect(median(waits)).toBe(240);
    expect(median([400, 100, 200, 300])).toBe(250);
    expect(median([])).toBeNull();
    expect(waitPerRound({ waits })).toBe(240);
  });

  it(`uses the default (${DEFAULT_WAIT_SECONDS} s) below ${WAIT_MIN_SAMPLES} waits, and leaves out entries offered at once`, () => {
    expect(waitPerRound({ waits: waits.slice(0, WAIT_MIN_SAMPLES - 1) })).toBe(DEFAULT_WAIT_SECONDS);
    expect(waitPerRound({ waits: [] })).toBe(DEFAULT_WAIT_SECONDS);
    // five entries offered at once (someone had room) say nothing about waiting: the default again
    const instant = [0, 0.2, 1, 2, WAITED_AT_LEAST_SECONDS - 0.01];
    expect(waitPerRound({ waits: [...instant, 900] })).toBe(DEFAULT_WAIT_SECONDS);
    // with five real waits the instant ones do not drag the median down
    expect(waitPerRound({ waits: [...instant, ...waits] })).toBe(240);
  });

  it(`never says less than ${MIN_WAIT_SECONDS} s a round`, () => {
    expect(waitPerRound({ waits: [6, 7, 8, 9, 10] })).toBe(MIN_WAIT_SECONDS);
  });

  it('grows one round per group of available advisors ahead: position 1..k wait one round', () => {
    const history = { waits, availableAdvisors: 2 };
    expect([1, 2, 3, 4, 5].map((p) => estimateWaitSeconds(p, history))).toEqual([240, 240, 480, 480, 720]);
    expect(estimateWaitSeconds(3, { waits, availableAdvisors: 3 })).toBe(240);
    expect(estimateWaitSeconds(4, { waits, availableAdvisors: 1 })).toBe(960);
  });

  it('assumes one advisor when none is available, and rounds up to whole seconds', () => {
    expect(estimateWaitSeconds(2, { waits, availableAdvisors: 0 })).toBe(480);
    expect(estimateWaitSeconds(1, { waits: [100.2, 100.4, 100.4, 200, 300], availableAdvisors: 1 })).toBe(
      101,
    );
  });

  it('property: a positive whole number of seconds, never lower further back or with fewer advisors', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 7200, noNaN: true }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 30 }),
        (sample, position, advisors) => {
          const history = { waits: sample, availableAdvisors: advisors };
          const estimate = estimateWaitSeconds(position, history);
          expect(Number.isInteger(estimate)).toBe(true);
          expect(estimate).toBeGreaterThanOrEqual(MIN_WAIT_SECONDS);
          expect(estimateWaitSeconds(position + 1, history)).toBeGreaterThanOrEqual(estimate);
          if (advisors > 1) {
            expect(
              estimateWaitSeconds(position, { ...history, availableAdvisors: advisors - 1 }),
            ).toBeGreaterThanOrEqual(estimate);
          }
        },
      ),
    );
  });
});

import { parseInput, ValidationError } from '@crm/subgraph';
import { generateContractNumber, newContract } from './contract.rules';
import { canonicalAmount, issueContractSchema, normalizeContractNumber } from './contract.inputs';

const now = new Date('2026-11-21T23:30:00.000Z');
const CLIENT = '3f2b8c1e-9a4d-4e2b-8f6a-1c2d3e4f5a6b';

describe('contract numbers', () => {
  it('normalizes typed numbers to upper case without spaces', () => {
    expect(normalizeContractNumber(' auto 2026-0001 ')).toBe('AUTO2026-0001');
    expect(normalizeContractNumber('hab/75.001')).toBe('HAB/75.001');
  });
  it.each(['', 'ab', '-ABC', 'ABC#1', 'A'.repeat(51)])('refuses %j', (raw) => {
    expect(normalizeContractNumber(raw)).toBeNull();
  });
  it('generates CT-<year>-<8 unambiguous characters> from the entropy given', () => {
    const number = generateContractNumber(now, Uint8Array.from([0, 1, 2, 3, 28, 29, 30, 31]));
    expect(number).toBe('CT-2026-ABCD6789');
    expect(generateContractNumber(now, Uint8Array.from([32, 33, 34, 35, 36, 37, 38, 255]))).toBe(
      'CT-2026-ABCDEFG9',
    );
    expect(() => generateContractNumber(now, new Uint8Array(4))).toThrow(/8 bytes/);
  });
});

describe('canonicalAmount', () => {
  it.each([
    ['300.5', '300.50'],
    ['150', '150.00'],
    ['007.10', '7.10'],
    ['0', '0.00'],
  ])('%s -> %s', (raw, expected) => {
    expect(canonicalAmount(raw)).toBe(expected);
  });
});

describe('issueContractSchema and newContract', () => {
  it('defaults: active, subscribed today (UTC), no coverage', () => {
    const input = parseInput(issueContractSchema(now), { clientId: CLIENT.toUpperCase(), type: 'AUTO' });
    const contract = newContract(input, { id: 'c1', contractNumber: 'CT-2026-AAAAAAAA' }, now);
    expect(contract).toEqual({
      id: 'c1',
      clientId: CLIENT,
      contractNumber: 'CT-2026-AAAAAAAA',
      type: 'AUTO',
      subscribedOn: '2026-11-21',
      expiresOn: null,
      status: 'ACTIVE',
      coverages: [],
      thirdPartyDeductible: null,
      collisionDeductible: null,
      propertyDamageCover: null,
      thirdPartyCover: null,
      civilLiabilityCover: null,
      createdAt: now,
    });
  });

  it('trims and de-duplicates coverages and makes amounts canonical', () => {
    const input = parseInput(issueContractSchema(now), {
      clientId: CLIENT,
      type: 'HOME',
      coverages: [' incendie ', 'vol', 'incendie'],
      thirdPartyDeductible: '150',
      collisionDeductible: null,
    });
    expect(input.coverages).toEqual(['incendie', 'vol']);
    expect(input.thirdPartyDeductible).toBe('150.00');
    expect(input.collisionDeductible).toBeNull();
  });

  it('reports every problem at once, including an expiry before the subscription', () => {
    const result = (() => {
      try {
        parseInput(issueContractSchema(now), {
          clientId: 'x',
          type: 'MOTO',
          subscribedOn: '2026-06-01',
          expiresOn: '2026-05-31',
          thirdPartyDeductible: '123456789',
          coverages: ['ok', ''],
        });
      } catch (err) {
        return (err as ValidationError).problems.map((p) => p.field).sort();
      }
      return [];
    })();
    expect(result).toEqual(['clientId', 'coverages.1', 'expiresOn', 'thirdPartyDeductible', 'type']);
  });

  it('compares an expiry with today when no subscription date is given', () => {
    expect(() =>
      parseInput(issueContractSchema(now), { clientId: CLIENT, type: 'AUTO', expiresOn: '2026-11-20' }),
    ).toThrow(ValidationError);
    expect(
      parseInput(issueContractSchema(now), { clientId: CLIENT, type: 'AUTO', expiresOn: '2026-11-21' })
        .expiresOn,
    ).toBe('2026-11-21');
  });
});

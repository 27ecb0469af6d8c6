// The reimbursement policies on their own (reimbursement.ownership.int.spec.ts proves them over
// HTTP): whose a reimbursement or a Claim is comes from the object the field is read on.
import { type Principal } from '@crm/auth';
import { policies } from './policies';

const owner = '6f1c3b8e-4a0e-4c55-9a38-0f4b4d2f3a11';
const client = (sub: string): Principal => ({ sub, roles: ['client'] });
const advisor: Principal = { sub: 'adv-1', roles: ['advisor'] };
const partner: Principal = { sub: 'partner-1', roles: ['partner'] };
const allows = (key: string, who: Principal, parent: unknown = {}, args: Record<string, unknown> = {}) =>
  policies[key]!.allows(who, parent, args);

describe('reimbursement policies', () => {
  it.each(['Reimbursement.*', 'Claim.*'])(
    '%s: staff, or the policyholder whose claim it is (known here)',
    (key) => {
      const known = { id: 'x', clientId: owner };
      expect(allows(key, client(owner), known)).toBe(true);
      expect(allows(key, client(owner.toUpperCase()), known)).toBe(true);
      expect(allows(key, client('7a1c3b8e-4a0e-4c55-9a38-0f4b4d2f3a11'), known)).toBe(false);
      // a claim unknown to the projection has no owner: staff only
      const unknown = { id: 'x', clientId: null };
      expect(allows(key, client(owner), unknown)).toBe(false);
      expect(allows(key, advisor, unknown)).toBe(true);
      expect(allows(key, partner, known)).toBe(false);
      // the owner is read from the object, never from the arguments
      expect(allows(key, client(owner), unknown, { clientId: owner })).toBe(false);
    },
  );

  it('lets policyholders ask by id or by claim (each field is checked), and keeps changes staff', () => {
    for (const key of ['Query.reimbursement', 'Query.reimbursementsByClaim']) {
      expect(allows(key, client(owner))).toBe(true);
      expect(allows(key, advisor)).toBe(true);
      expect(allows(key, partner)).toBe(false);
    }
    for (const key of ['Mutation.createReimbursement', 'Mutation.updateReimbursement']) {
      expect(allows(key, client(owner))).toBe(false);
      expect(allows(key, advisor)).toBe(true);
    }
  });
});

import type { EntityManager } from 'typeorm';
import { devMasterKeyRing, LocalKeyWrapper, MemoryKeyStore, PersonalDataVault } from '@crm/privacy';
import { audited, AuditNotes, auditFieldName, sealChangedFields } from './audit-notes';

describe('AuditNotes (what a request tells its audit records)', () => {
  it('keeps the sealed changes by entity, merging later changes of a field into the first old value', () => {
    const notes = new AuditNotes();
    expect(notes.changesOf('c1')).toBeNull();
    notes.changed('c1', { city: { old: 'pd1:a', new: 'pd1:b' } });
    notes.changed('c2', { phone: { old: null, new: 'pd1:p' } });
    // the field had no value before the first change: that stays its old value
    notes.changed('c2', { phone: { old: 'pd1:p', new: 'pd1:q' } });
    notes.changed('c1', { city: { old: 'pd1:b', new: 'pd1:c' }, email: { old: null, new: 'pd1:e' } });
    expect(notes.changesOf('c1')).toEqual({
      city: { old: 'pd1:a', new: 'pd1:c' },
      email: { old: null, new: 'pd1:e' },
    });
    expect(notes.changesOf('c2')).toEqual({ phone: { old: null, new: 'pd1:q' } });
    expect(notes.changesOf(null)).toBeNull();
    expect(notes.changesOf(undefined)).toBeNull();
  });

  it('finds a UUID in any case: the record names it as the caller spelled it', () => {
    const notes = new AuditNotes();
    notes.changed('5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b', { status: { old: 'pd1:a', new: 'pd1:b' } });
    expect(notes.changesOf('5F0C1A2B-3C4D-4E5F-8A9B-0C1D2E3F4A5B')).toEqual({
      status: { old: 'pd1:a', new: 'pd1:b' },
    });
    // another id is compared as it is
    notes.changed('Case-A', { note: { old: null, new: 'pd1:n' } });
    expect(notes.changesOf('case-a')).toBeNull();
  });
});

describe('audited (one command: sealed in its transaction, noted once committed)', () => {
  // a transaction as the services' data sources run one: commits when the work resolves
  const committing = () => {
    const log: string[] = [];
    const tx = { name: 'tx-1' } as unknown as EntityManager;
    const transaction = async <R>(work: (tx: EntityManager) => Promise<R>): Promise<R> => {
      log.push('begin');
      try {
        const result = await work(tx);
        log.push('commit');
        return result;
      } catch (err) {
        log.push('rollback');
        throw err;
      }
    };
    return { log, runner: { transaction } };
  };
  const CHANGE = { status: { old: 'pd1:a', new: 'pd1:b' } };

  it('seals the change on the transaction, notes it under the entity after the commit, answers the result', async () => {
    const notes = new AuditNotes();
    const { log, runner } = committing();
    const noted = jest.spyOn(notes, 'changed').mockImplementation(function (this: AuditNotes, ...args) {
      log.push('noted');
      return AuditNotes.prototype.changed.apply(this, args);
    });
    const answer = await audited(notes, runner, (tx) =>
      Promise.resolve({
        result: { id: 'e1', saved: true },
        entityId: 'e1',
        seal: () => {
          log.push(`sealed on ${(tx as unknown as { name: string }).name}`);
          return Promise.resolve(CHANGE);
        },
      }),
    );
    expect(answer).toEqual({ id: 'e1', saved: true });
    expect(log).toEqual(['begin', 'sealed on tx-1', 'commit', 'noted']);
    expect(noted).toHaveBeenCalledTimes(1);
    expect(notes.changesOf('e1')).toEqual(CHANGE);
  });

  it('seals nothing when the request is not audited, or when the command changed nothing', async () => {
    const seal = jest.fn(() => Promise.resolve(CHANGE));
    const { runner } = committing();
    await expect(
      audited(undefined, runner, () => Promise.resolve({ result: 1, entityId: 'e1', seal })),
    ).resolves.toBe(1);
    expect(seal).not.toHaveBeenCalled();
    const notes = new AuditNotes();
    await expect(audited(notes, runner, () => Promise.resolve({ result: 2, entityId: 'e1' }))).resolves.toBe(
      2,
    );
    expect(notes.soleEntity()).toBeNull();
    // a change the vault could not seal (the person was erased) notes nothing either
    await audited(notes, runner, () =>
      Promise.resolve({ result: 3, entityId: 'e1', seal: () => Promise.resolve(null) }),
    );
    expect(notes.soleEntity()).toBeNull();
  });

  it('notes nothing when the transaction rolls back', async () => {
    const notes = new AuditNotes();
    const { log, runner } = committing();
    await expect(
      audited(notes, runner, async () => {
        await Promise.resolve();
        throw new Error('CLAIM.INVALID_TRANSITION');
      }),
    ).rejects.toThrow('CLAIM.INVALID_TRANSITION');
    expect(log).toEqual(['begin', 'rollback']);
    expect(notes.soleEntity()).toBeNull();
  });
});

describe('sealChangedFields (what a mutation notes of one entity)', () => {
  const vault = new PersonalDataVault({
    store: new MemoryKeyStore(),
    wrapper: new LocalKeyWrapper(devMasterKeyRing()),
    cacheSize: 0,
  });
  const SUBJECT = '0b6c7a1e-5d2f-4c3b-9a8e-7f6d5c4b3a21';
  const fields = ['status', 'note', 'amount'] as const;

  it('seals only the fields that changed, old and new, under the subject key; null when none did', async () => {
    const before = { status: 'OPEN', note: 'appel M. Canari', amount: 120 };
    expect(await sealChangedFields(vault, SUBJECT, 'thing', before, { ...before }, fields)).toBeNull();
    const sealed = await sealChangedFields(
      vault,
      SUBJECT,
      'thing',
      before,
      { ...before, amount: 150 },
      fields,
    );
    expect(Object.keys(sealed!)).toEqual(['amount']);
    expect(JSON.stringify(sealed)).not.toContain('150');
    const reader = await vault.reader([SUBJECT]);
    expect(reader.open(SUBJECT, auditFieldName('thing', 'amount'), sealed!.amount!.old)).toBe('120');
    expect(reader.open(SUBJECT, auditFieldName('thing', 'amount'), sealed!.amount!.new)).toBe('150');
  });

  it('notes nothing once the subject is erased', async () => {
    await vault.shred(SUBJECT);
    expect(await sealChangedFields(vault, SUBJECT, 'thing', {}, { status: 'CLOSED' }, ['status'])).toBeNull();
  });
});

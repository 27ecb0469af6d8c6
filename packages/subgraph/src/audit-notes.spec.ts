import { devMasterKeyRing, LocalKeyWrapper, MemoryKeyStore, PersonalDataVault } from '@crm/privacy';
import { AuditNotes, auditFieldName, sealChangedFields } from './audit-notes';

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

import { AuditNotes } from './audit-notes';

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

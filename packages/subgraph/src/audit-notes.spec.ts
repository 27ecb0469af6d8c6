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
});

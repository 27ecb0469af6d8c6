import { assignmentMode, escalationStatus } from './escalation.mapping';

describe('escalation mapping', () => {
  it('maps every value both ways onto the seed / migration values', () => {
    expect(escalationStatus.dbValues).toEqual(['en_attente', 'assignee', 'en_cours', 'resolue']);
    expect(assignmentMode.dbValues).toEqual(['auto', 'manuel', 'reaffectation']);
    for (const m of [escalationStatus, assignmentMode] as const) {
      for (const v of m.values as string[]) expect(m.fromDb((m.toDb as (x: string) => string)(v))).toBe(v);
    }
    expect(escalationStatus.toDb('IN_PROGRESS')).toBe('en_cours');
  });

  it('refuses an unknown database value with a stable code', () => {
    let code: string | undefined;
    try {
      escalationStatus.fromDb('fermee');
    } catch (err) {
      code = (err as { code: string }).code;
    }
    expect(code).toBe('ESCALATION.CORRUPT_ROW');
  });
});

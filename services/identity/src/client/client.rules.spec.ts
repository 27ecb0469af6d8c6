import { DomainError, parseInput, ValidationError } from '@crm/subgraph';
import { applyClientPatch, eraseClient, erasedMatricule, newClient, type ClientState } from './client.rules';
import { normalizeMatricule, registerClientSchema, updateClientSchema } from './client.inputs';

const now = new Date('2026-11-21T09:00:00.000Z');
const later = new Date('2026-11-22T10:00:00.000Z');
const ID = '3f2b8c1e-9a4d-4e2b-8f6a-1c2d3e4f5a6b';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.problems.map((p) => p.field).sort();
    throw err;
  }
  throw new Error('expected a ValidationError');
}

describe('normalizeMatricule', () => {
  it.each(['AB-123-CD', 'ab123cd', ' ab 123 cd ', 'Ab-123-cD', 'AB.123.CD', 'ab_123/cd'])(
    'reads %j as AB-123-CD',
    (raw) => {
      expect(normalizeMatricule(raw)).toBe('AB-123-CD');
    },
  );
  it.each(['', 'AB-12-CD', 'AB-1234-CD', 'A1-123-CD', '12-ABC-34', 'ABC-123-D', 'AB-123-CDE', 'ÉB-123-CD'])(
    'refuses %j',
    (raw) => {
      expect(normalizeMatricule(raw)).toBeNull();
    },
  );
});

describe('registerClientSchema', () => {
  it('normalizes every field and turns blank optional fields into null', () => {
    const input = parseInput(registerClientSchema(now), {
      matricule: 'xk481qz',
      lastName: '  Le   Gall ',
      firstName: 'Yann',
      email: ' Yann@Example.FR',
      phone: '06 00 00 00 01',
      city: '   ',
      postalCode: '29200',
      birthDate: '1990-12-31',
    });
    expect(input).toEqual({
      matricule: 'XK-481-QZ',
      lastName: 'Le Gall',
      firstName: 'Yann',
      email: 'yann@example.fr',
      phone: '+33600000001',
      city: null,
      postalCode: '29200',
      birthDate: '1990-12-31',
    });
    expect(newClient(input, ID, now)).toMatchObject({
      id: ID,
      status: 'ACTIVE',
      civility: null,
      address: null,
      createdAt: now,
      updatedAt: now,
    });
  });

  it('reports every problem at once', () => {
    expect(
      problemsOf(() =>
        parseInput(registerClientSchema(now), {
          matricule: 'nope',
          lastName: '',
          firstName: 'x'.repeat(101),
          email: 'x@',
          phone: '123',
          birthDate: '2026-11-22',
          postalCode: '75 001 !',
          civility: 'Monsieur le',
          unknownField: 1,
        }),
      ),
    ).toEqual([
      '(input)',
      'birthDate',
      'civility',
      'email',
      'firstName',
      'lastName',
      'matricule',
      'phone',
      'postalCode',
    ]);
  });

  it('accepts a birth date of today, refuses tomorrow and before 1900', () => {
    const base = { matricule: 'AB-123-CD', lastName: 'A', firstName: 'B' };
    expect(parseInput(registerClientSchema(now), { ...base, birthDate: '2026-11-21' }).birthDate).toBe(
      '2026-11-21',
    );
    expect(
      problemsOf(() => parseInput(registerClientSchema(now), { ...base, birthDate: '1899-12-31' })),
    ).toEqual(['birthDate']);
  });
});

const client: ClientState = {
  id: ID,
  matricule: 'AB-123-CD',
  civility: 'Mme',
  lastName: 'Durand',
  firstName: 'Sophie',
  birthDate: '1984-03-09',
  email: 'sophie@example.fr',
  phone: '+33612345678',
  address: '12 rue des Lilas',
  postalCode: '69003',
  city: 'Lyon',
  createdAt: now,
  updatedAt: now,
  status: 'ACTIVE',
};

describe('applyClientPatch', () => {
  const patch = (input: Record<string, unknown>) => {
    const { id: _id, ...rest } = parseInput(updateClientSchema(later), { id: ID, ...input });
    return rest;
  };

  it('changes given fields, clears nulls, keeps absent ones, and names what changed', () => {
    const { next, changedFields } = applyClientPatch(
      client,
      patch({ city: null, email: 'NEW@example.fr', status: 'INACTIVE' }),
      later,
    );
    expect(changedFields).toEqual(['email', 'city', 'status']);
    expect(next).toEqual({
      ...client,
      email: 'new@example.fr',
      city: null,
      status: 'INACTIVE',
      updatedAt: later,
    });
  });

  it('reports no change (and keeps updatedAt) when values are equal after normalization', () => {
    const { next, changedFields } = applyClientPatch(
      client,
      patch({ city: ' Lyon ', phone: '06 12 34 56 78' }),
      later,
    );
    expect(changedFields).toEqual([]);
    expect(next).toEqual(client);
  });

  it('refuses null for a required name and ERASED as a status', () => {
    expect(problemsOf(() => patch({ firstName: null, status: 'ERASED' }))).toEqual(['firstName', 'status']);
  });

  it('refuses to change an erased client (CLIENT.ERASED)', () => {
    const erased = eraseClient(client, later);
    expect(() => applyClientPatch(erased, patch({ city: 'Paris' }), later)).toThrow(DomainError);
    expect(() => applyClientPatch(erased, patch({ city: 'Paris' }), later)).toThrow(/was erased/);
    try {
      applyClientPatch(erased, patch({ city: 'Paris' }), later);
    } catch (err) {
      expect((err as DomainError).code).toBe('CLIENT.ERASED');
    }
  });
});

describe('eraseClient', () => {
  it('keeps the id and creation date, wipes every personal field, pseudonymizes the matricule', () => {
    const erased = eraseClient(client, later);
    expect(erased).toEqual({
      id: ID,
      matricule: 'ERASED-3F2B8C1E9A4D4',
      civility: null,
      lastName: '[effacé]',
      firstName: '[effacé]',
      birthDate: null,
      email: null,
      phone: null,
      address: null,
      postalCode: null,
      city: null,
      createdAt: now,
      updatedAt: later,
      status: 'ERASED',
    });
    const text = JSON.stringify(erased);
    for (const personal of [
      'AB-123-CD',
      'Durand',
      'Sophie',
      '1984',
      'sophie@',
      '612345678',
      'Lilas',
      '69003',
      'Lyon',
    ])
      expect(text).not.toContain(personal);
  });

  it('makes pseudonyms that fit VARCHAR(20) and differ between clients', () => {
    expect(erasedMatricule(ID)).toHaveLength(20);
    expect(erasedMatricule('00000000-0000-4000-8000-000000000001')).not.toBe(erasedMatricule(ID));
  });
});

import { Writable } from 'node:stream';
import { createLogger, maskText } from './index';

// canaries: each value is valid for its pattern (IBAN mod-97, card Luhn)
const CANARIES = {
  phoneSpaced: '06 12 34 56 78',
  phoneDotted: '06.12.34.56.78',
  phoneIntl: '+33 6 12 34 56 78',
  phoneZeros: '0033612345678',
  phoneCompact: '0612345678',
  phoneOther: '+44 20 7946 0958',
  email: 'jeanne.martin@example.fr',
  ibanCompact: 'FR7630006000011234567890189',
  ibanSpaced: 'FR76 3000 6000 0112 3456 7890 189',
  card: '4111 1111 1111 1111',
  cardDashed: '5555-5555-5555-4444',
  matricule: 'AB-123-CD',
  matriculeCompact: 'ab123cd',
  matriculeSpaced: 'AB 123 CD',
};

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { lines, stream };
}

describe('maskText', () => {
  it.each(Object.entries(CANARIES))('masks %s, keeping the last 2 characters', (_name, value) => {
    const out = maskText(`before ${value} after`);
    expect(out).not.toContain(value);
    expect(out).toMatch(new RegExp(`^before \\*{3,}${value.slice(-2)} after$`));
  });

  it('leaves UUIDs, ISO dates, claim numbers, correlation ids, durations, ports and IPs alone', () => {
    const line = [
      'claim 3f2b8c1e-0612-3456-7890-061234567890',
      'at 2026-12-05T16:27:02.123Z',
      'number SIN-2026-000001',
      'correlation 01HZX3K4M5N6P7Q8R9S0T1V2W3',
      'took 1234 ms in 100 ms',
      'connect 127.0.0.1:5432 and localhost:9092',
      'offset 1733416022123 partition 12',
      'amount 1250.50 EUR',
    ].join(' | ');
    expect(maskText(line)).toBe(line);
  });

  it('leaves numbers that fail their checksum alone', () => {
    expect(maskText('ref 4111 1111 1111 1112')).toBe('ref 4111 1111 1111 1112'); // Luhn fails
    expect(maskText('ref FR7630006000011234567890188')).toBe('ref FR7630006000011234567890188'); // mod-97 fails
  });

  it('masks an IBAN followed by a currency', () => {
    expect(maskText(`${CANARIES.ibanSpaced} EUR`)).toMatch(/^\*+89 EUR$/);
  });

  it('returns the same string when it has no digit and no @ (fast path)', () => {
    const s = 'nothing personal here';
    expect(maskText(s)).toBe(s);
  });
});

describe('createLogger masks by value', () => {
  const all = Object.values(CANARIES).join(', ');

  function logged(write: (log: ReturnType<typeof createLogger>) => void): string {
    const { lines, stream } = capture();
    write(createLogger({ service: 'test', destination: stream }));
    expect(lines).toHaveLength(1);
    return lines[0]!;
  }

  function expectNoCanary(line: string) {
    for (const value of Object.values(CANARIES)) expect(line).not.toContain(value);
    expect(line).toContain('**78'); // a masked form is present
  }

  it('in the message and its format arguments', () => {
    expectNoCanary(logged((log) => log.info(`client ${all}`)));
    expectNoCanary(logged((log) => log.info('client %s', all)));
  });

  it("in an error's message and stack, passed as err or as the first argument", () => {
    const err = new Error(`duplicate ${all}`);
    const line = logged((log) => log.error({ err }, 'failed'));
    expectNoCanary(line);
    const parsed = JSON.parse(line) as { err: { message: string; stack: string } };
    expect(parsed.err.message).toContain('duplicate');
    expect(parsed.err.stack).toContain('mask.spec');
    expectNoCanary(logged((log) => log.error(err)));
  });

  it('in nested objects and arrays', () => {
    expectNoCanary(logged((log) => log.warn({ a: { b: [{ note: all }] } }, 'x')));
  });

  it('in a kafkajs-shaped entry', () => {
    expectNoCanary(
      logged((log) =>
        log.error(
          { kafkajs: { namespace: 'Consumer', error: `bad value ${all}`, stack: `Error: ${all}` } },
          `[Consumer] crash ${CANARIES.email}`,
        ),
      ),
    );
  });

  it("drops a database error's parameters and query, masks the driver's detail", () => {
    const err = Object.assign(
      new Error('duplicate key value violates unique constraint "client_email_key"'),
      {
        name: 'QueryFailedError',
        query: `insert into client (email) values ('${CANARIES.email}')`,
        parameters: ['canary-parameter-value', CANARIES.email],
        driverError: {
          code: '23505',
          constraint: 'client_email_key',
          detail: `Key (email)=(${CANARIES.email}) already exists.`,
          parameters: ['canary-parameter-value'],
        },
      },
    );
    const line = logged((log) => log.error({ err }, 'insert failed'));
    expect(line).not.toContain('canary-parameter-value');
    expect(line).not.toContain(CANARIES.email);
    const parsed = JSON.parse(line) as { err: Record<string, unknown> };
    expect(parsed.err).toMatchObject({
      type: 'QueryFailedError',
      code: '23505',
      constraint: 'client_email_key',
    });
    expect(parsed.err.detail).toMatch(/^Key \(email\)=\(\*+fr\) already exists\.$/);
    expect(parsed.err.parameters).toBeUndefined();
  });

  it('keeps key redaction and leaves identifiers alone', () => {
    const line = logged((log) =>
      log.info(
        { matricule: 'XY-999-ZZ', claimId: '3f2b8c1e-0612-3456-7890-061234567890' },
        'SIN-2026-000001 opened',
      ),
    );
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(parsed.matricule).toBe('[masked]');
    expect(parsed.claimId).toBe('3f2b8c1e-0612-3456-7890-061234567890');
    expect(parsed.message).toBe('SIN-2026-000001 opened');
  });
});

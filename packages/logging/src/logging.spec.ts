import { Writable } from 'node:stream';
import { createLogger, maskIdentifier } from './index';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      cb();
    },
  });
  return { lines, stream };
}

describe('createLogger', () => {
  it('writes one JSON object per line with service, level and message', () => {
    const { lines, stream } = capture();
    createLogger({ service: 'claims', destination: stream }).info({ claimId: 'c1' }, 'claim opened');
    expect(lines[0]).toMatchObject({
      service: 'claims',
      level: 'info',
      message: 'claim opened',
      claimId: 'c1',
    });
    expect(typeof lines[0]!.time).toBe('string');
  });

  it('masks personal data at any depth', () => {
    const { lines, stream } = capture();
    createLogger({ service: 'identity', destination: stream }).info(
      {
        matricule: 'AB-123-CD',
        client: { email: 'a@b.fr', telephone: '+33612345678' },
        cmd: { data: { iban: 'FR76' } },
      },
      'client registered',
    );
    const line = JSON.stringify(lines[0]);
    expect(line).not.toContain('AB-123-CD');
    expect(line).not.toContain('a@b.fr');
    expect(line).not.toContain('+33612345678');
    expect(line).not.toContain('FR76');
    expect(lines[0]!.matricule).toBe('[masked]');
  });

  it('honours the level', () => {
    const { lines, stream } = capture();
    const logger = createLogger({ service: 's', level: 'warn', destination: stream });
    logger.info('hidden');
    logger.warn('shown');
    expect(lines.map((l) => l.message)).toEqual(['shown']);
  });
});

describe('maskIdentifier', () => {
  it('keeps only the last characters', () => {
    expect(maskIdentifier('AB-123-CD')).toBe('*******CD');
    expect(maskIdentifier('ab')).toBe('**');
  });
});

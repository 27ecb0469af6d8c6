import { ValidationError } from '@crm/subgraph';
import { claimMessage, parseAddClaimMessage, roundConfidence } from './message.rules';

const claimId = '2f1d7a3e-8c4b-4f4e-9a57-0b6a5f1d2c3e';

function problemsOf(input: unknown): string[] {
  try {
    parseAddClaimMessage(input);
  } catch (err) {
    if (err instanceof ValidationError) return err.problems.map((p) => `${p.field}: ${p.message}`);
    throw err;
  }
  return [];
}

describe('addClaimMessage input', () => {
  it('keeps what was given and rounds the STT confidence to the column (DECIMAL(3,2))', () => {
    expect(
      parseAddClaimMessage({
        claimId,
        role: 'USER',
        text: ' Oui ',
        sttTranscript: 'oui',
        sttConfidence: 0.876,
      }),
    ).toEqual({
      claimId,
      role: 'USER',
      text: 'Oui',
      sttTranscript: 'oui',
      sttConfidence: 0.88,
      audioUrl: null,
      metadata: null,
    });
  });

  it('needs text or a transcript', () => {
    expect(problemsOf({ claimId, role: 'BOT' })).toEqual(['text: text or sttTranscript is required']);
    expect(problemsOf({ claimId, role: 'BOT', text: '   ' })).toContain(
      'text: text or sttTranscript is required',
    );
    expect(problemsOf({ claimId, role: 'BOT', sttTranscript: 'bonjour' })).toEqual([]);
  });

  it('reports every problem at once', () => {
    const problems = problemsOf({
      claimId: 'x',
      role: 'ADMIN',
      text: 'ok',
      sttConfidence: -0.1,
      audioUrl: 'nope',
    });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['claimId', 'role', 'sttConfidence', 'audioUrl']);
    expect(problems).toContain('sttConfidence: must be between 0 and 1');
    expect(problemsOf({ claimId, role: 'USER', sttConfidence: 1.01, text: 'a' })).toEqual([
      'sttConfidence: must be between 0 and 1',
    ]);
    expect(problemsOf({ claimId, role: 'USER', sttTranscript: 'x'.repeat(501) })).toHaveLength(1);
  });

  it('rounds confidences half up to two decimals', () => {
    expect(roundConfidence(0)).toBe(0);
    expect(roundConfidence(1)).toBe(1);
    expect(roundConfidence(0.125)).toBe(0.13);
    expect(roundConfidence(0.994)).toBe(0.99);
  });

  it('makes a claim message row at the given instant, outside any conversation', () => {
    const now = new Date('2026-02-02T14:30:00Z');
    const cmd = parseAddClaimMessage({ claimId, role: 'SYSTEM', text: 'Dossier transmis' });
    expect(claimMessage('m1', cmd, now)).toEqual({
      id: 'm1',
      claimId,
      conversationId: null,
      role: 'system',
      text: 'Dossier transmis',
      sttTranscript: null,
      sttConfidence: null,
      audioUrl: null,
      timestamp: now,
      metadata: null,
      // a claim's message has no place in a conversation's sequence, and no advisor wrote it
      sequence: null,
      advisorId: null,
    });
  });
});

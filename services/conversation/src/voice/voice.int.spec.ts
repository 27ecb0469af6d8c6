// Issue 22, item 3: a voice turn. The real conversation service on PostgreSQL, its speech to text
// pointed at a local server of ElevenLabs' API (which checks it receives real, non-silent audio),
// the bot answering with the offline French voice. The transcript and its confidence fill
// texte_stt and confiance_stt; the bot's low-confidence policy decides what a doubtful one gets.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startElevenLabsStub, startServiceForTest, waitFor, type ElevenLabsStub } from '@crm/testing';
import { ConversationRepository } from '../conversation/conversation.repository';
import { type LiveEvent } from '../live/live.rules';
import { ADVISOR, openStoredMessages, storedMessages, type Harness } from '../../test/harness';
import { envSchema } from '../env';
import { definitionFromEnv } from '../service';
import { OfflineSynthesizer } from './offline-synthesizer';

const KEY = 'stt-key-0123456789';

interface TurnMessage {
  role: string;
  text: string | null;
  sttTranscript: string | null;
  sttConfidence: number | null;
  audioUrl: string | null;
}
interface Turn {
  sendVoiceMessage: { replies: string[]; phase: string; messages: TurnMessage[] };
}

const VOICE_TURN = `mutation($input: SendVoiceMessageInput!) {
  sendVoiceMessage(input: $input) { replies phase messages { role text sttTranscript sttConfidence audioUrl } }
}`;

describe('a voice turn (speech to text through the ElevenLabs adapter, local server)', () => {
  let h: Harness;
  let stub: ElevenLabsStub;
  let recording: string;
  const audioDir = mkdtempSync(join(tmpdir(), 'crm-voice-turn-'));
  const offline = new OfflineSynthesizer();

  beforeAll(async () => {
    const mp3 = await offline.synthesize(
      'Je voudrais déclarer un accident de voiture.',
      AbortSignal.timeout(60_000),
    );
    recording = mp3.toString('base64');
    stub = await startElevenLabsStub({ apiKey: KEY });
    h = await startServiceForTest(definitionFromEnv, {
      envSchema,
      principal: ADVISOR,
      label: 'voiceturn',
      env: {
        STT_PROVIDER: 'elevenlabs',
        TTS_PROVIDER: 'offline',
        ELEVENLABS_API_KEY: KEY,
        ELEVENLABS_BASE_URL: stub.baseUrl,
        AUDIO_DIR: audioDir,
        VOICE_WAIT_MS: '30000',
        VOICE_TIMEOUT_MS: '30000',
        VOICE_BREAKER_FAILURES: '50',
      },
    });
  }, 120_000);

  afterAll(async () => {
    await h?.stop();
    await stub?.close();
    await offline.close();
    rmSync(audioDir, { recursive: true, force: true });
  });

  afterEach(() => stub.failWith(null));

  async function newConversation(): Promise<string> {
    const started = await h.gql<{ startConversation: { conversation: { id: string } } }>(
      `mutation { startConversation(input: { channel: CHAT }) { conversation { id } } }`,
    );
    return started.data!.startConversation.conversation.id;
  }

  const speak = (conversationId: string, audio = recording, mimeType = 'audio/mpeg') =>
    h.gql<Turn>(VOICE_TURN, { input: { conversationId, audio, mimeType } });

  it('transcribes the recording, keeps texte_stt and confiance_stt, and answers aloud', async () => {
    stub.setTranscript('AB 123 CD', -0.05);
    const id = await newConversation();
    const result = await speak(id);
    expect(result.errors).toBeUndefined();
    const turn = result.data!.sendVoiceMessage;
    const [client, ...bot] = turn.messages;
    expect(client).toMatchObject({
      role: 'USER',
      text: 'AB 123 CD',
      sttTranscript: 'AB 123 CD',
      sttConfidence: 0.95,
    });
    expect(bot.length).toBeGreaterThan(0);
    // a CHAT conversation, but the client spoke: the bot answers aloud
    for (const m of bot) expect(m.audioUrl).toMatch(/^\/audio\/[a-f0-9]{64}\.mp3$/);
    // the provider got the real recording, as ElevenLabs documents it
    const req = stub.requests[stub.requests.length - 1]!;
    expect(req).toMatchObject({ path: '/v1/speech-to-text', apiKey: KEY, problems: [], status: 200 });
    expect(req.fields).toMatchObject({ model_id: 'scribe_v1', language_code: 'fr' });
    expect(req.file!.audio!.voicedSeconds).toBeGreaterThan(1);
    const stored = await storedMessages(h, `conversation_id = $1 AND role = 'user'`, [id]);
    // sealed at rest (issue 18), the transcript and its raw form both
    expect(stored.map((m) => [m.texte?.slice(0, 4), m.texte_stt?.slice(0, 4)])).toEqual([['pd1:', 'pd1:']]);
    const rows = await openStoredMessages(h, stored);
    expect(rows.map(({ texte, texte_stt, confiance_stt }) => ({ texte, texte_stt, confiance_stt }))).toEqual([
      { texte: 'AB 123 CD', texte_stt: 'AB 123 CD', confiance_stt: '0.95' },
    ]);
  }, 60_000);

  it("tells the conversation's live subscribers each bot message's audio once made (AUDIO, after its MESSAGE)", async () => {
    stub.setTranscript('Je voudrais déclarer un accident de voiture', -0.05);
    const id = await newConversation();
    const events: LiveEvent[] = [];
    const feed = h.service.parts.feed.subscribe(id, null);
    const collecting = (async () => {
      for await (const e of feed) events.push(e);
    })();
    await waitFor('the state', () => events.length >= 1);
    const result = await h.gql<{
      sendVoiceMessage: {
        messages: { id: string; role: string; sequence: number; audioUrl: string | null }[];
      };
    }>(
      `mutation($input: SendVoiceMessageInput!) {
        sendVoiceMessage(input: $input) { messages { id role sequence audioUrl } }
      }`,
      { input: { conversationId: id, audio: recording, mimeType: 'audio/mpeg' } },
    );
    expect(result.errors).toBeUndefined();
    const bot = result.data!.sendVoiceMessage.messages.filter((m) => m.role === 'BOT');
    expect(bot.length).toBeGreaterThan(0);
    const audioOf = () => events.filter((e) => e.kind === 'AUDIO');
    await waitFor("every bot message's audio on the feed", () => audioOf().length >= bot.length);
    expect(audioOf().map((e) => e.audio)).toEqual(
      expect.arrayContaining(bot.map((m) => ({ messageId: m.id, sequence: m.sequence, url: m.audioUrl }))),
    );
    expect(audioOf()).toHaveLength(bot.length);
    // each after the MESSAGE that carried its text
    for (const m of bot) {
      const text = events.findIndex((e) => e.kind === 'MESSAGE' && e.message?.id === m.id);
      const audio = events.findIndex((e) => e.kind === 'AUDIO' && e.audio?.messageId === m.id);
      expect(text).toBeGreaterThan(0);
      expect(audio).toBeGreaterThan(text);
    }
    await feed.return?.();
    await collecting;
  }, 60_000);

  it('does not attach audio made after an erasure emptied the message, nor announce it', async () => {
    const id = await newConversation();
    const [greeting] = await h.sql<{ id: string; sequence: number }>(
      `SELECT id, sequence FROM historique_conversation WHERE conversation_id = $1 AND role = 'bot'`,
      [id],
    );
    const repo = new ConversationRepository(h.service.runtime.dataSource.manager, h.service.parts.vault);
    const { manager } = h.service.runtime.dataSource;
    // a message with its words: the URL is recorded, with the conversation and number to announce
    expect(await repo.setAudioUrl(manager, greeting!.id, '/audio/late.mp3')).toEqual({
      conversationId: id,
      sequence: greeting!.sequence,
    });
    // the client's erasure empties it (conversation's ClientErased handling); late audio arrives
    await h.sql(`UPDATE historique_conversation SET texte = NULL, audio_url = NULL WHERE id = $1`, [
      greeting!.id,
    ]);
    expect(await repo.setAudioUrl(manager, greeting!.id, '/audio/later.mp3')).toBeNull();
    expect(
      await h.sql(`SELECT audio_url FROM historique_conversation WHERE id = $1`, [greeting!.id]),
    ).toEqual([{ audio_url: null }]);
  });

  it('a doubtful transcript is not interpreted: the low-confidence policy answers', async () => {
    stub.setTranscript('AB 123 CD', Math.log(0.3));
    const id = await newConversation();
    const turn = (await speak(id)).data!.sendVoiceMessage;
    expect(turn.messages[0]).toMatchObject({ sttTranscript: 'AB 123 CD', sttConfidence: 0.3 });
    expect(turn.replies.join(' ')).toContain("Je ne suis pas sûr d'avoir bien entendu");
    expect(turn.phase).toBe('AUTHENTICATION');
  }, 60_000);

  it('nothing heard is a message not understood (confidence 0), not an error', async () => {
    stub.setTranscript('');
    const id = await newConversation();
    const turn = (await speak(id)).data!.sendVoiceMessage;
    expect(turn.messages[0]).toMatchObject({ text: '(inaudible)', sttTranscript: '', sttConfidence: 0 });
    expect(turn.replies.join(' ')).toContain("Je ne suis pas sûr d'avoir bien entendu");
  }, 60_000);

  it('the provider down: VOICE.TRANSCRIPTION_UNAVAILABLE and nothing written', async () => {
    const id = await newConversation();
    stub.failWith(503);
    const result = await speak(id);
    expect(result.errors?.[0]?.extensions?.code).toBe('VOICE.TRANSCRIPTION_UNAVAILABLE');
    const [row] = await h.sql<{ count: string }>(
      `SELECT count(*) FROM historique_conversation WHERE conversation_id = $1 AND role = 'user'`,
      [id],
    );
    expect(row?.count).toBe('0');
  }, 60_000);

  it('refuses what is not a recording, naming the fields', async () => {
    const id = await newConversation();
    const result = await speak(id, 'not base64 at all!'.repeat(10), 'text/plain');
    expect(result.errors?.[0]?.extensions?.code).toBe('VALIDATION.FAILED');
    const fields = (
      result.errors?.[0]?.extensions?.details as { problems?: { field: string }[] }
    )?.problems?.map((p) => p.field);
    expect(fields).toEqual(expect.arrayContaining(['audio', 'mimeType']));
  });
});

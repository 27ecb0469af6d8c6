// One conversation: the live feed (the transcript, who answers, the place in the queue, the
// advisor typing), the composer, and the bot's reply to each message as a fallback when the
// live feed is down. The token is this conversation's only (POST /chat/sessions).
import { useCallback, useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState } from 'react';
import { createGraphQLClients, type GraphQLClients } from '../shared/graphql';
import { codeWords, type ErrorInWords, inWords } from '../shared/errors';
import { ChatHeader, FOLLOW_UP_REQUEST } from './Header';
import {
  CHAT_EVENTS,
  CHAT_HISTORY,
  CHAT_QUEUE_PLACE,
  CHAT_SEND_MESSAGE,
  CHAT_SEND_VOICE,
  CHAT_SET_TYPING,
} from './documents';
import { queueInWords, timeOf } from './format';
import { initialLive, liveReducer, type LiveState, transcriptOf, type TranscriptMessage } from './live';
import { type ChatSession, msLeft } from './session';
import { type ActiveRecording, base64Of, canRecord, startRecording } from './recorder';
import { LateAudio } from './late-audio';
import { VoicePlayer } from './voice-player';

/** a press shorter than this is a slip, not a message */
const MIN_RECORDING_MS = 400;
/** 0.3 s of 16 kHz 16-bit mono, with its header */
const MIN_WAV_BYTES = 44 + 16_000 * 2 * 0.3;

const AUTH_CODES = new Set(['UNAUTHENTICATED', 'AUTH.INVALID_TOKEN', 'AUTH.TOKEN_EXPIRED']);
/** how long the live feed has to bring a turn before its reply is shown from the mutation */
const LIVE_GRACE_MS = 2_500;
/** an advisor's "typing" without news for this long is over */
const TYPING_STALE_MS = 12_000;
/** the client's own "typing": stopped after this long without a keystroke */
const CLIENT_TYPING_IDLE_MS = 4_000;
const QUEUE_POLL_MS = 30_000;
/** the live feed not there after this long: the transcript is read over HTTP meanwhile */
const LIVE_LATE_MS = 5_000;
const HISTORY_POLL_MS = 10_000;

interface Fallback extends TranscriptMessage {
  /** the live sequence when it was sent: a live message after it with the same text replaces it */
  after: number;
}

export interface ChatProps {
  session: ChatSession;
  /** the bot's greeting from POST /chat/sessions (a fallback: the live feed replays it) */
  greeting: string[];
  /** sent once the conversation is open (the follow-up request from an expired page) */
  firstMessage: string | null;
  initiallyExpired: boolean;
  onSequence: (lastSequence: number) => void;
  onNewConversation: () => void;
  onFollowUpElsewhere: () => void;
}

export function Chat({
  session,
  greeting,
  firstMessage,
  initiallyExpired,
  onSequence,
  onNewConversation,
  onFollowUpElsewhere,
}: ChatProps) {
  const { conversationId, token } = session;
  const [expired, setExpired] = useState(initiallyExpired);
  const [live, dispatch] = useReducer(liveReducer, initialLive);
  const liveRef = useRef<LiveState>(live);
  const [connected, setConnected] = useState(false);
  const [everConnected, setEverConnected] = useState(false);
  const [feedError, setFeedError] = useState<ErrorInWords | null>(null);
  const [liveLate, setLiveLate] = useState(false);
  const [resubscribe, setResubscribe] = useState(0);
  const [fallbacks, setFallbacks] = useState<Fallback[]>([]);
  const [draft, setDraft] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<ErrorInWords | null>(null);
  const logRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const sendingRef = useRef(false);
  // push-to-talk: the microphone while the button is held, the bot's voice after
  const [recording, setRecording] = useState(false);
  const recordingRef = useRef<{ active: Promise<ActiveRecording | null>; since: number } | null>(null);
  const voiceRef = useRef<HTMLAudioElement>(null);
  const [speaking, setSpeaking] = useState(false);
  const [player] = useState(() => new VoicePlayer(setSpeaking));
  const [lateAudio] = useState(() => new LateAudio());

  const expire = useCallback(() => {
    setExpired(true);
    setSending(false);
    sendingRef.current = false;
  }, []);

  // the token expires one hour after it was issued: the page says so at that moment
  useEffect(() => {
    if (expired) return;
    const timer = window.setTimeout(expire, Math.max(0, msLeft(session)));
    return () => window.clearTimeout(timer);
  }, [expired, expire, session]);

  // the clients of this conversation's token (lazy: the socket opens with the subscription),
  // gone once it expired
  const clients = useMemo<GraphQLClients | null>(
    () => (expired ? null : createGraphQLClients(token)),
    [expired, token],
  );
  useEffect(() => {
    if (!clients) return;
    const offConnected = clients.ws.on('connected', () => {
      setConnected(true);
      setEverConnected(true);
    });
    const offClosed = clients.ws.on('closed', () => setConnected(false));
    return () => {
      offConnected();
      offClosed();
      clients.dispose();
      setConnected(false);
    };
  }, [clients]);

  // the live feed, from the first message: the whole transcript, then what happens
  useEffect(() => {
    if (!clients) return;
    const subscription = clients.client
      .subscription(CHAT_EVENTS, { conversationId, afterSequence: 0 })
      .subscribe((result) => {
        if (result.error) {
          const words = inWords(result.error);
          if (AUTH_CODES.has(words.code)) return expire();
          setFeedError(words);
          return;
        }
        const event = result.data?.conversationEvents;
        if (event) {
          setFeedError(null);
          // the bot's audio made after its answer went out
          if (event.kind === 'AUDIO' && event.audio)
            player.play(lateAudio.arrived(event.audio.messageId, event.audio.url));
          dispatch({ type: 'event', event });
        }
      });
    return () => subscription.unsubscribe();
  }, [clients, conversationId, expire, lateAudio, player, resubscribe]);

  // a feed refused by the server (not a dropped socket: graphql-ws retries that itself)
  useEffect(() => {
    if (!feedError || expired) return;
    const timer = window.setTimeout(() => setResubscribe((n) => n + 1), 5_000);
    return () => window.clearTimeout(timer);
  }, [feedError, expired]);

  useEffect(() => {
    if (live.lastSequence > 0) onSequence(live.lastSequence);
  }, [live.lastSequence, onSequence]);

  // the advisor's "typing" fades if nothing more comes
  useEffect(() => {
    if (!live.advisorTyping) return;
    const timer = window.setTimeout(() => dispatch({ type: 'typing-timeout' }), TYPING_STALE_MS);
    return () => window.clearTimeout(timer);
  }, [live.advisorTyping]);

  // while he waits: his place in the queue (QUEUE events move it; this reads it if none came)
  const waiting = live.owner === 'WAITING_FOR_ADVISOR';
  useEffect(() => {
    if (!clients || !waiting) return;
    let stopped = false;
    const read = async () => {
      const result = await clients.client
        .query(CHAT_QUEUE_PLACE, { id: conversationId }, { requestPolicy: 'network-only' })
        .toPromise();
      const escalation = result.data?.conversation?.escalation;
      if (!stopped && escalation) {
        dispatch({
          type: 'queue',
          queue: { position: escalation.position, estimatedWaitSeconds: escalation.estimatedWaitSeconds },
        });
      }
    };
    if (!liveRef.current.queue) void read();
    const timer = window.setInterval(() => void read(), QUEUE_POLL_MS);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, [clients, conversationId, waiting]);

  const liveUp = connected && live.ready && !feedError;
  const feedDown = !liveUp && (liveLate || everConnected || feedError !== null);

  // the live feed slow to come: say so, and read the transcript over HTTP meanwhile
  useEffect(() => {
    if (!clients) return;
    const timer = window.setTimeout(() => setLiveLate(true), LIVE_LATE_MS);
    return () => window.clearTimeout(timer);
  }, [clients]);
  const readHistory = useCallback(async () => {
    if (!clients) return;
    const result = await clients.client
      .query(CHAT_HISTORY, { id: conversationId }, { requestPolicy: 'network-only' })
      .toPromise();
    const conversation = result.data?.conversation;
    if (conversation) dispatch({ type: 'history', conversation });
    else if (result.error && AUTH_CODES.has(inWords(result.error).code)) expire();
  }, [clients, conversationId, expire]);
  useEffect(() => {
    if (!feedDown) return;
    const first = window.setTimeout(() => void readHistory(), 0);
    const timer = window.setInterval(() => void readHistory(), HISTORY_POLL_MS);
    return () => {
      window.clearTimeout(first);
      window.clearInterval(timer);
    };
  }, [feedDown, readHistory]);
  const liveUpRef = useRef(liveUp);
  // what the callbacks read later (a send's fallback, a timer): the latest render's
  useLayoutEffect(() => {
    liveRef.current = live;
    liveUpRef.current = liveUp;
  });

  /** shows what the live feed did not bring (a message already there is never added again) */
  const addFallbacks = useCallback((items: Omit<Fallback, 'key' | 'sequence' | 'at' | 'advisorId'>[]) => {
    const current = transcriptOf(liveRef.current);
    const missing = items.filter(
      (item) =>
        !current.some(
          (m) => m.author === item.author && m.text === item.text && (m.sequence ?? 0) > item.after,
        ),
    );
    if (!missing.length) return;
    const now = new Date().toISOString();
    setFallbacks((list) => [
      ...list,
      ...missing.map((item, i) => ({
        ...item,
        key: `local-${Date.now()}-${list.length + i}`,
        sequence: null,
        at: now,
        advisorId: null,
      })),
    ]);
  }, []);

  // the greeting, if the live feed has not brought it a moment after opening
  useEffect(() => {
    if (!greeting.length) return;
    const timer = window.setTimeout(
      () => addFallbacks(greeting.map((text) => ({ author: 'bot', text, after: 0 }))),
      LIVE_GRACE_MS * 2,
    );
    return () => window.clearTimeout(timer);
  }, [greeting, addFallbacks]);

  // the client's own typing, told to the advisor holding the conversation
  const typingSent = useRef<{ on: boolean; at: number }>({ on: false, at: 0 });
  const typingIdle = useRef<number | undefined>(undefined);
  const tellTyping = useCallback(
    (typing: boolean) => {
      if (!clients) return;
      typingSent.current = { on: typing, at: Date.now() };
      void clients.client.mutation(CHAT_SET_TYPING, { input: { conversationId, typing } }).toPromise();
    },
    [clients, conversationId],
  );
  const stopTyping = useCallback(() => {
    window.clearTimeout(typingIdle.current);
    if (typingSent.current.on) tellTyping(false);
  }, [tellTyping]);
  useEffect(() => () => window.clearTimeout(typingIdle.current), []);

  const onDraft = (text: string) => {
    setDraft(text);
    if (live.owner !== 'ADVISOR' || !text.trim()) {
      if (!text.trim()) stopTyping();
      return;
    }
    if (!typingSent.current.on || Date.now() - typingSent.current.at > CLIENT_TYPING_IDLE_MS)
      tellTyping(true);
    window.clearTimeout(typingIdle.current);
    typingIdle.current = window.setTimeout(stopTyping, CLIENT_TYPING_IDLE_MS);
  };

  const send = useCallback(
    async (text: string, fromComposer: boolean): Promise<void> => {
      const said = text.trim();
      if (!clients || !said || sendingRef.current) return;
      sendingRef.current = true;
      setSending(true);
      setError(null);
      stopTyping();
      const after = liveRef.current.lastSequence;
      const result = await clients.client
        .mutation(CHAT_SEND_MESSAGE, { input: { conversationId, text: said } })
        .toPromise();
      sendingRef.current = false;
      setSending(false);
      if (result.error || !result.data) {
        const words = result.error
          ? inWords(result.error)
          : { code: 'INTERNAL', words: 'Une erreur inattendue est survenue.' };
        if (AUTH_CODES.has(words.code)) return expire();
        setError(words);
        if (fromComposer) inputRef.current?.focus();
        return;
      }
      if (fromComposer) setDraft('');
      const turn = result.data.sendMessage;
      const replies = turn.replies.length ? turn.replies : turn.reply ? turn.reply.split('\n') : [];
      const items = [
        { author: 'client' as const, text: said, after },
        ...replies.filter(Boolean).map((reply) => ({ author: 'bot' as const, text: reply, after })),
      ];
      // the live feed is the transcript; the reply fills in only what it did not bring
      window.setTimeout(() => addFallbacks(items), liveUpRef.current ? LIVE_GRACE_MS : 0);
      if (!liveUpRef.current) void readHistory();
    },
    [addFallbacks, clients, conversationId, expire, readHistory, stopTyping],
  );

  // the bot's audio, one message after the other
  useEffect(() => player.attach(voiceRef.current), [player]);

  /** The recording sent as a voice turn: the transcript and the bot's answer, in text and aloud. */
  const sendVoice = useCallback(
    async (wav: Blob): Promise<void> => {
      if (!clients || sendingRef.current) return;
      sendingRef.current = true;
      setSending(true);
      setError(null);
      const after = liveRef.current.lastSequence;
      let audio: string;
      try {
        audio = await base64Of(wav);
      } catch {
        sendingRef.current = false;
        setSending(false);
        setError(codeWords('VOICE.MICROPHONE', 'Le micro n’est pas accessible.'));
        return;
      }
      const result = await clients.client
        .mutation(CHAT_SEND_VOICE, { input: { conversationId, audio, mimeType: wav.type || 'audio/wav' } })
        .toPromise();
      sendingRef.current = false;
      setSending(false);
      if (result.error || !result.data) {
        const words = result.error
          ? inWords(result.error)
          : { code: 'INTERNAL', words: 'Une erreur inattendue est survenue.' };
        if (AUTH_CODES.has(words.code)) return expire();
        setError(words);
        return;
      }
      const turn = result.data.sendVoiceMessage;
      const [said, ...answer] = turn.messages;
      const items = [
        ...(said?.text ? [{ author: 'client' as const, text: said.text, after }] : []),
        ...turn.replies.filter(Boolean).map((reply) => ({ author: 'bot' as const, text: reply, after })),
      ];
      window.setTimeout(() => addFallbacks(items), liveUpRef.current ? LIVE_GRACE_MS : 0);
      if (!liveUpRef.current) void readHistory();
      // what is not ready yet follows on the live feed (AUDIO), in the answer's order
      player.play(lateAudio.answered(answer));
    },
    [addFallbacks, clients, conversationId, expire, lateAudio, player, readHistory],
  );

  const startTalking = useCallback(() => {
    if (recordingRef.current || sendingRef.current) return;
    setError(null);
    // the bot stops talking when the client does
    player.stop();
    lateAudio.clear();
    const active = startRecording().catch(() => {
      setError(codeWords('VOICE.MICROPHONE', 'Le micro n’est pas accessible.'));
      return null;
    });
    recordingRef.current = { active, since: Date.now() };
    setRecording(true);
  }, [lateAudio, player]);
  const stopTalking = useCallback(async () => {
    const current = recordingRef.current;
    if (!current) return;
    recordingRef.current = null;
    setRecording(false);
    const active = await current.active;
    if (!active) return;
    if (Date.now() - current.since < MIN_RECORDING_MS) {
      active.cancel();
      setError(codeWords('VOICE.TOO_SHORT', 'Maintenez le bouton pendant que vous parlez.'));
      return;
    }
    const wav = await active.stop();
    // the microphone took its time to open: nothing (or almost) was recorded
    if (wav.size < MIN_WAV_BYTES) {
      setError(codeWords('VOICE.TOO_SHORT', 'Maintenez le bouton pendant que vous parlez.'));
      return;
    }
    await sendVoice(wav);
  }, [sendVoice]);
  // leaving the page while recording frees the microphone
  useEffect(
    () => () => {
      void recordingRef.current?.active.then((active) => active?.cancel());
    },
    [],
  );

  // the follow-up request asked from an expired page, once this conversation is open
  const firstSent = useRef(false);
  useEffect(() => {
    if (!firstMessage || firstSent.current || !clients) return;
    firstSent.current = true;
    void send(firstMessage, false);
  }, [clients, firstMessage, send]);

  const transcript = useMemo(() => {
    const fromLive = transcriptOf(live);
    const shown = fallbacks.filter(
      (f) => !fromLive.some((m) => m.author === f.author && m.text === f.text && (m.sequence ?? 0) > f.after),
    );
    return [...fromLive, ...shown];
  }, [live, fallbacks]);

  // the newest message in view
  useEffect(() => {
    const log = logRef.current;
    if (log) log.scrollTop = log.scrollHeight;
  }, [transcript.length, live.advisorTyping, sending]);

  const advisorNameOf = (message: TranscriptMessage): string | null =>
    (message.advisorId ? live.advisorNames[message.advisorId] : undefined) ?? live.advisorName;

  const onKeyDown = (event: React.KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send(draft, true);
    }
  };

  const canFollowUp = expired || live.owner === null || live.owner === 'BOT';
  const followUp = () => (expired ? onFollowUpElsewhere() : void send(FOLLOW_UP_REQUEST, false));
  const closed = live.owner === 'CLOSED';

  return (
    <>
      <ChatHeader
        busy={sending}
        canFollowUp={canFollowUp}
        onFollowUp={followUp}
        onNewConversation={onNewConversation}
      />
      <p
        className={`chat-status${waiting ? ' chat-status--waiting' : ''}${live.owner === 'ADVISOR' ? ' chat-status--advisor' : ''}`}
        data-testid="chat-status"
        role="status"
      >
        {statusInWords(live, expired)}
      </p>
      {!expired && feedDown && (
        <p className="chat-connection">
          Connexion momentanément interrompue, reconnexion en cours… Vous pouvez continuer à écrire.
        </p>
      )}
      <div className="chat-log" role="log" aria-label="Conversation" ref={logRef} tabIndex={0}>
        {transcript.length === 0 && !expired && <p className="chat-empty muted">Connexion à l’assistant…</p>}
        {transcript.map((message) => (
          <Message key={message.key} message={message} advisorName={advisorNameOf(message)} />
        ))}
        {sending && (
          <p className="chat-pending muted" aria-hidden="true">
            Envoi…
          </p>
        )}
      </div>
      <p
        className="chat-typing"
        data-testid="typing"
        aria-live="polite"
        hidden={!live.advisorTyping || expired}
      >
        {live.advisorTyping ? `${live.advisorName ?? 'Le conseiller'} écrit…` : ''}
      </p>
      {expired ? (
        <section className="chat-banner chat-expired" aria-labelledby="chat-expired-title">
          <h2 id="chat-expired-title">Votre conversation a expiré</h2>
          <p>
            Pour protéger vos informations, une conversation reste ouverte une heure. Commencez-en une
            nouvelle : l’assistant vous demandera à nouveau votre matricule.
          </p>
          <button type="button" onClick={onNewConversation}>
            Commencer une nouvelle conversation
          </button>
        </section>
      ) : (
        <form
          className="chat-composer"
          onSubmit={(event) => {
            event.preventDefault();
            void send(draft, true);
          }}
        >
          {error && (
            <p role="alert" className="error chat-error">
              {error.words} ({error.code})
            </p>
          )}
          <div className="chat-composer-row">
            <textarea
              ref={inputRef}
              aria-label="Votre message"
              placeholder={closed ? 'Cette conversation est terminée.' : 'Écrivez votre message…'}
              value={draft}
              rows={2}
              maxLength={2000}
              readOnly={sending}
              disabled={closed}
              onChange={(event) => onDraft(event.target.value)}
              onKeyDown={onKeyDown}
              autoFocus
            />
            <button type="submit" disabled={sending || closed || !clients || !draft.trim()}>
              Envoyer
            </button>
            {canRecord() && (
              <button
                type="button"
                className={`chat-talk${recording ? ' chat-talk--on' : ''}`}
                data-testid="push-to-talk"
                aria-pressed={recording}
                disabled={sending || closed || !clients}
                onPointerDown={(event) => {
                  event.preventDefault();
                  // the button keeps the pointer until it is released, wherever it goes
                  event.currentTarget.setPointerCapture(event.pointerId);
                  startTalking();
                }}
                onPointerUp={() => void stopTalking()}
                onPointerCancel={() => void stopTalking()}
                onLostPointerCapture={() => void stopTalking()}
                onKeyDown={(event) => {
                  if ((event.key === ' ' || event.key === 'Enter') && !event.repeat) {
                    event.preventDefault();
                    startTalking();
                  }
                }}
                onKeyUp={(event) => {
                  if (event.key === ' ' || event.key === 'Enter') void stopTalking();
                }}
              >
                {recording ? 'Je vous écoute…' : 'Maintenir pour parler'}
              </button>
            )}
          </div>
          <audio ref={voiceRef} data-testid="bot-voice" preload="auto" hidden />
          <p className="chat-voice muted" aria-live="polite" data-testid="voice-status">
            {recording
              ? 'Parlez, puis relâchez le bouton.'
              : speaking
                ? 'L’assistant vous répond à voix haute.'
                : ''}
          </p>
          <p className="chat-hint muted">Entrée pour envoyer, Maj+Entrée pour aller à la ligne.</p>
        </form>
      )}
    </>
  );
}

function statusInWords(live: LiveState, expired: boolean): string {
  if (expired) return 'Conversation expirée.';
  switch (live.owner) {
    case 'WAITING_FOR_ADVISOR':
      return queueInWords(live.queue?.position ?? null, live.queue?.estimatedWaitSeconds ?? null);
    case 'ADVISOR':
      return live.advisorName
        ? `${live.advisorName}, de notre équipe de conseillers, prend le relais`
        : 'Un conseiller prend le relais';
    case 'CLOSED':
      return 'Cette conversation est terminée. Vous pouvez en commencer une nouvelle.';
    case 'BOT':
      return 'Vous échangez avec l’assistant virtuel.';
    case null:
      return live.ready ? '' : 'Connexion à l’assistant…';
  }
}

const LABELS: Record<TranscriptMessage['author'], string> = {
  bot: 'Assistant',
  client: 'Vous',
  advisor: 'Conseiller',
  system: 'Information',
};

function Message({ message, advisorName }: { message: TranscriptMessage; advisorName: string | null }) {
  const who = message.author === 'advisor' && advisorName ? advisorName : LABELS[message.author];
  const time = timeOf(message.at);
  return (
    <div
      className={`chat-message chat-message--${message.author}`}
      data-testid="message"
      data-author={message.author}
    >
      <p className="chat-meta">
        <span className={message.author === 'client' ? 'visually-hidden' : 'chat-who'}>{who}</span>
        {time && <time dateTime={message.at ?? undefined}>{time}</time>}
      </p>
      <p className="chat-text">{message.text}</p>
    </div>
  );
}

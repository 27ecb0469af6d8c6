// The live conversation with the client: transcript, his messages as they arrive, typing both
// ways, send; hand back to the bot or close it with a resolution.
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import type { ConsoleConversationQuery, MessageRole } from '../generated/graphql';
import { codeWords } from '../shared/errors';
import { formatTime } from '../shared/format';
import { FILE_FACT, OWNER, OWNERSHIP_CAUSE, reasonWords } from './labels';
import { CLOSE_CONVERSATION, CONVERSATION, HAND_BACK, SEND_ADVISOR_MESSAGE, SET_TYPING } from './operations';
import { ErrorAlert, useAction } from './ui';
import { useConversationFeed, type FeedItem } from './useConversationFeed';
import { useNow } from './useNow';

const AUTHOR: Record<MessageRole, 'bot' | 'client' | 'advisor' | 'system'> = {
  BOT: 'bot',
  USER: 'client',
  ADVISOR: 'advisor',
  SYSTEM: 'system',
};
const AUTHOR_WORDS = { bot: 'Assistant', client: 'Client', advisor: 'Conseiller', system: 'Système' };
/** the client's typing shows this long after his last signal, unless he stops or sends first */
const TYPING_SHOWN_MS = 8000;
/** our "typing" stops this long after the last key */
const TYPING_IDLE_MS = 3000;

export function ConversationPanel({ conversationId, me }: { conversationId: string; me: string | null }) {
  const { feed, error: feedError } = useConversationFeed(conversationId);
  const [{ data }, refetch] = useQuery({ query: CONVERSATION, variables: { id: conversationId } });
  const [, send] = useMutation(SEND_ADVISOR_MESSAGE);
  const [, setTyping] = useMutation(SET_TYPING);
  const [, handBack] = useMutation(HAND_BACK);
  const [, close] = useMutation(CLOSE_CONVERSATION);
  const action = useAction();
  const [text, setText] = useState('');
  const [resolution, setResolution] = useState('');
  const typingSent = useRef(false);
  const idleTimer = useRef<number | undefined>(undefined);
  const logRef = useRef<HTMLDivElement>(null);
  const now = useNow();
  const id = useId();

  const conversation = data?.conversation;
  const owner = feed.owner ?? conversation?.owner ?? null;
  const heldByMe = owner === 'ADVISOR' && me != null && feed.holderId === me;
  const clientTyping = feed.clientTypingAt != null && now - feed.clientTypingAt < TYPING_SHOWN_MS;

  // each message may have filled the claim file (the bot recomputes it after every answer)
  const messageCount = feed.items.length;
  useEffect(() => {
    if (messageCount > 0) refetch({ requestPolicy: 'network-only' });
  }, [messageCount, refetch]);

  // the newest message in view
  useEffect(() => {
    const log = logRef.current;
    if (log) log.scrollTop = log.scrollHeight;
  }, [feed.items.length, clientTyping]);

  const stopTyping = () => {
    window.clearTimeout(idleTimer.current);
    if (typingSent.current) {
      typingSent.current = false;
      void setTyping({ input: { conversationId, typing: false } });
    }
  };
  // stop our typing when the panel goes away
  useEffect(
    () => () => {
      window.clearTimeout(idleTimer.current);
      if (typingSent.current) void setTyping({ input: { conversationId, typing: false } });
    },
    [conversationId, setTyping],
  );

  const onType = (value: string) => {
    setText(value);
    if (owner !== 'ADVISOR') return;
    if (!typingSent.current && value.trim()) {
      typingSent.current = true;
      void setTyping({ input: { conversationId, typing: true } });
    }
    window.clearTimeout(idleTimer.current);
    idleTimer.current = window.setTimeout(stopTyping, TYPING_IDLE_MS);
  };

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    const message = text.trim();
    if (!message) return;
    stopTyping();
    void action.run(() => send({ input: { conversationId, text: message } })).then((ok) => ok && setText(''));
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };
  const closeIt = () => {
    if (!resolution.trim()) {
      action.setError(
        codeWords('VALIDATION.FAILED', 'Indiquez la résolution avant de clore la conversation.'),
      );
      return;
    }
    stopTyping();
    void action
      .run(() => close({ input: { conversationId, resolution: resolution.trim() } }))
      .then((ok) => ok && setResolution(''));
  };

  const clientName = conversation?.client
    ? `${conversation.client.firstName} ${conversation.client.lastName}`
    : 'Client non identifié';
  return (
    <section role="region" aria-label="Conversation avec le client" className="conversation">
      <div className="conversation-head">
        <h2>Conversation · {clientName}</h2>
        <p className="muted small">
          {owner ? OWNER[owner] : 'Connexion…'}
          {heldByMe ? ' (vous)' : ''}
        </p>
      </div>
      <ErrorAlert error={feedError} />
      {conversation?.intake && <IntakeProgress intake={conversation.intake} />}
      <div
        className="transcript"
        role="log"
        aria-label="Fil de la conversation"
        aria-live="polite"
        ref={logRef}
        tabIndex={0}
      >
        {feed.items.map((item) => (
          <TranscriptItem key={item.sequence} item={item} />
        ))}
        {feed.items.length === 0 && <p className="muted">Aucun message pour l’instant.</p>}
      </div>
      <p className="typing" aria-live="polite">
        {clientTyping && <span data-testid="typing">Le client écrit…</span>}
      </p>
      <form className="compose" onSubmit={submit}>
        <label htmlFor={`${id}-text`}>Message au client</label>
        <textarea
          id={`${id}-text`}
          rows={3}
          maxLength={2000}
          value={text}
          onChange={(e) => onType(e.target.value)}
          onKeyDown={onKeyDown}
          onBlur={stopTyping}
          aria-describedby={`${id}-hint`}
        />
        <p id={`${id}-hint`} className="muted small">
          Entrée envoie, Maj+Entrée passe à la ligne.
          {owner !== 'ADVISOR' && ' Prenez le dossier pour répondre au client.'}
        </p>
        <div className="compose-actions">
          <button type="submit" disabled={action.busy || !text.trim()}>
            Envoyer
          </button>
          <button
            type="button"
            className="secondary"
            disabled={action.busy}
            onClick={() => {
              stopTyping();
              void action.run(() => handBack({ input: { conversationId } }));
            }}
          >
            Rendre au bot
          </button>
        </div>
      </form>
      <div className="close-form">
        <label htmlFor={`${id}-resolution`}>Résolution</label>
        <textarea
          id={`${id}-resolution`}
          rows={2}
          maxLength={500}
          value={resolution}
          onChange={(e) => setResolution(e.target.value)}
        />
        <button type="button" className="danger" disabled={action.busy} onClick={closeIt}>
          Clore la conversation
        </button>
      </div>
      <ErrorAlert error={action.error} />
    </section>
  );
}

type Intake = NonNullable<NonNullable<ConsoleConversationQuery['conversation']>['intake']>;

/** The claim file as the bot fills it: completeness, what is missing, the CCI so far, who is at fault and why. */
function IntakeProgress({ intake }: { intake: Intake }) {
  return (
    <details className="intake" data-testid="intake" open>
      <summary>
        Dossier en cours · complet à{' '}
        <strong data-testid="intake-completeness">{intake.completeness} %</strong> · CCI{' '}
        <strong data-testid="intake-cci">{intake.cciScore}</strong>/100
      </summary>
      <progress max={100} value={intake.completeness} aria-label="Complétude du dossier">
        {intake.completeness} %
      </progress>
      <p className="small">
        {intake.missingFacts.length === 0
          ? 'Tous les éléments attendus sont recueillis.'
          : `À recueillir : ${intake.missingFacts.map((f) => FILE_FACT[f] ?? f).join(', ')}.`}
      </p>
      {intake.liabilityReason && (
        <p className="small" data-testid="intake-liability">
          Responsabilité : {intake.liabilityReason}
        </p>
      )}
      {intake.cciFactors.length > 0 && (
        <ul className="plain small">
          {intake.cciFactors.map((f) => (
            <li key={f.code} data-testid="intake-factor">
              {f.label} <span className="muted">+{f.points}</span>
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}

function TranscriptItem({ item }: { item: FeedItem }) {
  if (item.type === 'ownership') {
    const o = item.ownership;
    return (
      <p className="ownership" data-testid="ownership">
        <time dateTime={o.at}>{formatTime(o.at)}</time> {OWNERSHIP_CAUSE[o.cause]}
        {o.advisor ? ` (${o.advisor.name})` : ''}
        {o.reason ? ` : ${o.cause === 'HANDOFF_REQUESTED' ? reasonWords(o.reason) : o.reason}` : ''}
      </p>
    );
  }
  const m = item.message;
  const author = AUTHOR[m.role];
  return (
    <div className={`message message-${author}`} data-testid="message" data-author={author}>
      <span className="message-meta">
        {author === 'advisor' && m.advisor ? m.advisor.name : AUTHOR_WORDS[author]} ·{' '}
        <time dateTime={m.timestamp}>{formatTime(m.timestamp)}</time>
      </span>
      <span className="message-text">{m.text ?? m.sttTranscript ?? ''}</span>
    </div>
  );
}

// The client chat (/chat): a policyholder talks with the claims bot, then with an advisor when
// the bot transfers him, in one conversation opened by POST /chat/sessions. The conversation
// token (one hour) is kept in sessionStorage: a reload follows the same conversation again.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorInWords } from '../shared/errors';
import { Chat } from './Chat';
import { ChatHeader, FOLLOW_UP_REQUEST } from './Header';
import {
  type ChatSession,
  forgetSession,
  isExpired,
  loadSession,
  openSession,
  saveSession,
  SessionError,
} from './session';
import './chat.css';

type Screen =
  | { kind: 'opening' }
  | { kind: 'failed'; error: ErrorInWords }
  | { kind: 'chat'; session: ChatSession; greeting: string[]; firstMessage: string | null };

export function App() {
  const [screen, setScreen] = useState<Screen>(() => {
    const kept = loadSession();
    return kept ? { kind: 'chat', session: kept, greeting: [], firstMessage: null } : { kind: 'opening' };
  });
  const opening = useRef(false);

  const start = useCallback(async (firstMessage: string | null) => {
    if (opening.current) return;
    opening.current = true;
    forgetSession();
    setScreen({ kind: 'opening' });
    try {
      const opened = await openSession();
      saveSession(opened.session);
      setScreen({ kind: 'chat', session: opened.session, greeting: opened.replies, firstMessage });
    } catch (error) {
      const words =
        error instanceof SessionError
          ? error.inWords
          : { code: 'INTERNAL', words: 'Une erreur inattendue est survenue.' };
      setScreen({ kind: 'failed', error: words });
    } finally {
      opening.current = false;
    }
  }, []);

  // the first visit (nothing kept): the bot greets at once
  useEffect(() => {
    if (screen.kind === 'opening' && !opening.current) void start(null);
    // only on the first render: later openings are started by the buttons
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const onSequence = useCallback((lastSequence: number) => {
    setScreen((current) => {
      if (current.kind !== 'chat' || current.session.lastSequence >= lastSequence) return current;
      const session = { ...current.session, lastSequence };
      saveSession(session);
      return { ...current, session };
    });
  }, []);

  const newConversation = useCallback(() => void start(null), [start]);
  const followUp = useCallback(() => void start(FOLLOW_UP_REQUEST), [start]);

  return (
    <main aria-label="Assistance sinistres" className="chat-page">
      {screen.kind === 'chat' ? (
        <Chat
          key={screen.session.conversationId}
          session={screen.session}
          greeting={screen.greeting}
          firstMessage={screen.firstMessage}
          initiallyExpired={isExpired(screen.session)}
          onSequence={onSequence}
          onNewConversation={newConversation}
          onFollowUpElsewhere={followUp}
        />
      ) : (
        <Waiting screen={screen} onRetry={newConversation} onFollowUp={followUp} />
      )}
    </main>
  );
}

function Waiting({
  screen,
  onRetry,
  onFollowUp,
}: {
  screen: Exclude<Screen, { kind: 'chat' }>;
  onRetry: () => void;
  onFollowUp: () => void;
}) {
  const busy = screen.kind === 'opening';
  return (
    <>
      <ChatHeader
        busy={busy}
        opening={busy}
        canFollowUp={!busy}
        onFollowUp={onFollowUp}
        onNewConversation={onRetry}
      />
      <p className="chat-status" data-testid="chat-status" role="status">
        {busy ? 'Connexion à l’assistant…' : 'L’assistant n’est pas joignable pour le moment.'}
      </p>
      <div className="chat-log" role="log" aria-label="Conversation" aria-busy={busy} />
      {screen.kind === 'failed' && (
        <div className="chat-banner">
          <p role="alert" className="error">
            {screen.error.words} ({screen.error.code})
          </p>
          <button type="button" onClick={onRetry}>
            Réessayer
          </button>
        </div>
      )}
    </>
  );
}

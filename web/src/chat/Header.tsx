// The page's header: its title and the two actions always at hand.

/** What the client sends when he asks to follow an existing claim. */
export const FOLLOW_UP_REQUEST = 'Je voudrais suivre mon dossier';

export function ChatHeader({
  busy,
  opening = false,
  canFollowUp,
  onFollowUp,
  onNewConversation,
}: {
  /** a send in flight: no follow-up request meanwhile */
  busy: boolean;
  /** a conversation being opened: nothing else meanwhile */
  opening?: boolean;
  canFollowUp: boolean;
  onFollowUp: () => void;
  onNewConversation: () => void;
}) {
  return (
    <header className="chat-header">
      <div className="chat-title">
        <h1>Assistance sinistres</h1>
        <p className="muted">Déclarez un sinistre ou suivez votre dossier, à toute heure.</p>
      </div>
      <div className="chat-actions">
        <button type="button" className="secondary" disabled={busy || !canFollowUp} onClick={onFollowUp}>
          Suivre un dossier existant
        </button>
        <button type="button" className="secondary" disabled={opening} onClick={onNewConversation}>
          Nouvelle conversation
        </button>
      </div>
    </header>
  );
}

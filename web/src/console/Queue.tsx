// The live queue (and "Mes dossiers"): who waits, since when, why, who holds what.
import { useMutation } from 'urql';
import { formatDateTime, formatDuration, secondsSince } from '../shared/format';
import { ESCALATION_STATUS, ORIGIN, reasonWords } from './labels';
import { ASSIGN, START } from './operations';
import { ErrorAlert, useAction } from './ui';
import { useNow } from './useNow';
import { queueOrder, type Entry, type QueueFeed } from './useQueueFeed';

export function entryName(entry: Entry): string {
  if (entry.client) return `${entry.client.firstName} ${entry.client.lastName}`;
  return entry.lead?.name ?? entry.callRequest?.name ?? entry.lead?.email ?? 'Client non identifié';
}

/** The call-back deadline of a call request or of a transfer nobody took in time. */
export function callBackBy(entry: Entry): string | null {
  return entry.callRequest?.callBackBy ?? entry.callBack?.by ?? null;
}

/** Assign the entry to me (unless I already hold it), then start it. */
export function useTake(me: string | null) {
  const [, assign] = useMutation(ASSIGN);
  const [, start] = useMutation(START);
  const action = useAction();
  const take = (entry: Entry) => {
    if (!me) {
      action.setError({ code: 'ADVISOR.NOT_FOUND', words: 'Seul un conseiller peut prendre un dossier.' });
      return Promise.resolve(false);
    }
    const steps = [];
    if (entry.advisor?.id !== me || entry.status === 'WAITING')
      steps.push(() => assign({ input: { escalationId: entry.id, advisorId: me } }));
    if (entry.status !== 'IN_PROGRESS' || entry.advisor?.id !== me)
      steps.push(() => start({ input: { escalationId: entry.id } }));
    return action.run(...steps);
  };
  return { take, error: action.error, busy: action.busy };
}

export function QueueList({
  label,
  feed,
  error,
  me,
  openId,
  onOpen,
  empty,
}: {
  label: string;
  feed: QueueFeed;
  error: Parameters<typeof ErrorAlert>[0]['error'];
  me: string | null;
  openId: string | null;
  onOpen: (id: string) => void;
  empty: string;
}) {
  const now = useNow();
  const entries = queueOrder(feed.entries.values());
  const waiting = entries.filter((e) => e.status === 'WAITING').length;
  return (
    <section role="region" aria-label={label} className="queue">
      <h2 className="panel-title">
        {label}{' '}
        <span className="muted count">
          {entries.length} dossier{entries.length > 1 ? 's' : ''}
          {waiting > 0 ? `, ${waiting} en attente` : ''}
        </span>
      </h2>
      <ErrorAlert error={error} />
      {!feed.ready && <p className="muted">Chargement de la file…</p>}
      {feed.ready && entries.length === 0 && <p className="muted">{empty}</p>}
      <ul className="entries">
        {entries.map((entry) => (
          <QueueEntry
            key={entry.id}
            entry={entry}
            now={now}
            me={me}
            open={entry.id === openId}
            onOpen={onOpen}
          />
        ))}
      </ul>
    </section>
  );
}

function QueueEntry({
  entry,
  now,
  me,
  open,
  onOpen,
}: {
  entry: Entry;
  now: number;
  me: string | null;
  open: boolean;
  onOpen: (id: string) => void;
}) {
  const { take, error, busy } = useTake(me);
  const deadline = callBackBy(entry);
  const late = deadline ? new Date(deadline).getTime() < now : false;
  const mineInProgress = entry.status === 'IN_PROGRESS' && entry.advisor?.id === me;
  const name = entryName(entry);
  const claim = entry.claim;
  return (
    <li
      className={`entry${open ? ' entry-open' : ''}${entry.priority > 50 ? ' entry-urgent' : ''}`}
      data-testid="queue-entry"
      data-entry-id={entry.id}
    >
      <div className="entry-head">
        <strong className="entry-name">{name}</strong>
        <span className="badge" title="Priorité (0-100)">
          Priorité {entry.priority}
        </span>
      </div>
      <div className="entry-meta">
        <span>{ORIGIN[entry.origin]}</span>
        {claim && <span>{claim.claimNumber}</span>}
        <span className={`status status-${entry.status.toLowerCase()}`}>
          {ESCALATION_STATUS[entry.status]}
        </span>
      </div>
      <ul className="reasons" aria-label="Motifs">
        {entry.reasons.map((code) => (
          <li key={code}>{reasonWords(code)}</li>
        ))}
      </ul>
      {claim?.cciScore != null && (
        <p className="entry-cci">
          CCI {claim.cciScore}/100
          {claim.cciFactors.length > 0 && (
            <span className="muted">
              {' '}
              : {claim.cciFactors.map((f) => `${f.label} (+${f.points})`).join(', ')}
            </span>
          )}
        </p>
      )}
      <p className="entry-times">
        Attente{' '}
        <span data-testid="waiting-time" className="waiting">
          {formatDuration(secondsSince(entry.queuedAt, now))}
        </span>
        {deadline && (
          <span className={late ? 'deadline late' : 'deadline'}>
            {' '}
            · Rappeler avant {formatDateTime(deadline)}
            {late ? ' (dépassé)' : ''}
          </span>
        )}
      </p>
      <p className="entry-holder">
        {entry.advisor ? (
          <>
            Tenu par <strong>{entry.advisor.name}</strong>
            {entry.advisor.id === me ? ' (moi)' : ''}
          </>
        ) : (
          <span className="muted">Personne ne le tient</span>
        )}
      </p>
      <ErrorAlert error={error} />
      <div className="entry-actions">
        <button type="button" className="secondary" onClick={() => onOpen(entry.id)}>
          Ouvrir
        </button>
        {!mineInProgress && (
          <button
            type="button"
            disabled={busy}
            onClick={() => {
              void take(entry).then((ok) => ok && onOpen(entry.id));
            }}
          >
            Prendre
          </button>
        )}
      </div>
    </li>
  );
}

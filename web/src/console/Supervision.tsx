// The supervisor's view: advisors (status, load, capacity), the queue's age, reassignment.
import { useEffect, useId, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { formatDuration, secondsSince } from '../shared/format';
import { ADVISOR_STATUS, ESCALATION_STATUS, reasonWords } from './labels';
import { ADVISORS, ASSIGN } from './operations';
import { entryName } from './Queue';
import { ErrorAlert, useAction } from './ui';
import { useNow } from './useNow';
import { queueOrder, type Entry, type QueueFeed } from './useQueueFeed';

type Advisor = {
  id: string;
  name: string;
  status: keyof typeof ADVISOR_STATUS;
  activeClaims: number;
  capacity: number;
};

export function Supervision({ feed, onOpen }: { feed: QueueFeed; onOpen: (id: string) => void }) {
  const [{ data, error }, reexecute] = useQuery({ query: ADVISORS });
  const now = useNow();
  // loads move with the queue: read the advisors again after each change
  useEffect(() => {
    if (feed.version > 0) reexecute({ requestPolicy: 'network-only' });
  }, [feed.version, reexecute]);
  const advisors = data?.advisors ?? [];
  // every open entry: one an advisor is working on is reassigned when he must leave it
  const entries = queueOrder(feed.entries.values()).filter((e) => e.status !== 'RESOLVED');
  const waiting = entries.filter((e) => e.status === 'WAITING');
  const oldest = waiting.reduce<string | null>(
    (min, e) => (min == null || new Date(e.queuedAt) < new Date(min) ? e.queuedAt : min),
    null,
  );
  return (
    <section role="region" aria-label="Supervision" className="supervision">
      <h2 className="panel-title">Supervision</h2>
      <ErrorAlert error={error} />
      <p className="queue-age">
        Plus longue attente :{' '}
        <strong data-testid="queue-age">{formatDuration(oldest ? secondsSince(oldest, now) : 0)}</strong>
        {!oldest && <span className="muted"> (personne n’attend)</span>}
        <span className="muted">
          {' '}
          · {waiting.length} en attente, {feed.entries.size} ouverts
        </span>
      </p>
      <h3>Conseillers</h3>
      <table className="advisors">
        <thead>
          <tr>
            <th scope="col">Conseiller</th>
            <th scope="col">Statut</th>
            <th scope="col">Charge</th>
          </tr>
        </thead>
        <tbody>
          {advisors.map((a) => (
            <tr key={a.id} data-testid="advisor-row" data-advisor-id={a.id}>
              <th scope="row">{a.name}</th>
              <td>
                <span className={`status advisor-${a.status.toLowerCase()}`}>{ADVISOR_STATUS[a.status]}</span>
              </td>
              <td>
                <meter min={0} max={a.capacity} value={a.activeClaims} aria-label={`Charge de ${a.name}`} />{' '}
                {a.activeClaims} / {a.capacity}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Dossiers ouverts</h3>
      {entries.length === 0 && <p className="muted">Aucun dossier ouvert.</p>}
      <ul className="rows">
        {entries.map((entry) => (
          <Reassign key={entry.id} entry={entry} advisors={advisors} now={now} onOpen={onOpen} />
        ))}
      </ul>
    </section>
  );
}

function Reassign({
  entry,
  advisors,
  now,
  onOpen,
}: {
  entry: Entry;
  advisors: Advisor[];
  now: number;
  onOpen: (id: string) => void;
}) {
  const [, assign] = useMutation(ASSIGN);
  const { run, error, busy } = useAction();
  const choices = advisors.filter((a) => a.id !== entry.advisor?.id);
  const [to, setTo] = useState('');
  const chosen = choices.some((a) => a.id === to) ? to : (choices[0]?.id ?? '');
  const id = useId();
  return (
    <li className="row" data-testid="supervision-entry" data-entry-id={entry.id}>
      <div className="row-main">
        <strong>{entryName(entry)}</strong> · Priorité {entry.priority} · {ESCALATION_STATUS[entry.status]}
        <div className="muted small">
          {entry.reasons.map(reasonWords).join(', ')} · attente{' '}
          {formatDuration(secondsSince(entry.queuedAt, now))} ·{' '}
          {entry.advisor ? `tenu par ${entry.advisor.name}` : 'personne ne le tient'}
        </div>
      </div>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (chosen) void run(() => assign({ input: { escalationId: entry.id, advisorId: chosen } }));
        }}
      >
        <select
          id={`${id}-to`}
          aria-label="Réaffecter à"
          value={chosen}
          onChange={(e) => setTo(e.target.value)}
        >
          {choices.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
        <button type="submit" disabled={busy || !chosen}>
          Réaffecter
        </button>
        <button type="button" className="secondary" onClick={() => onOpen(entry.id)}>
          Voir
        </button>
      </form>
      <ErrorAlert error={error} />
    </li>
  );
}

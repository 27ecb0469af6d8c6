// One opened queue entry: what it is, who holds it, take or resolve it; its claim file (or the
// call request and its partner journal) and its live conversation side by side.
import { useEffect, useId, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { formatDateTime, formatDuration, secondsSince } from '../shared/format';
import { ClaimFile } from './ClaimFile';
import { CaseJournal } from './CaseJournal';
import { ConversationPanel } from './ConversationPanel';
import { ESCALATION_STATUS, ORIGIN, reasonWords } from './labels';
import { ESCALATION, RESOLVE } from './operations';
import { callBackBy, entryName } from './Queue';
import { ErrorAlert, Facts, Section, useAction } from './ui';
import { useNow } from './useNow';
import type { Entry } from './useQueueFeed';

export function Workspace({
  entryId,
  live,
  me,
  onClose,
}: {
  entryId: string;
  /** the entry as the live queue last saw it (fresher than the query) */
  live: Entry | undefined;
  me: string | null;
  onClose: () => void;
}) {
  const [{ data, error, fetching }, reexecute] = useQuery({ query: ESCALATION, variables: { id: entryId } });
  const entry: Entry | null | undefined = live ?? data?.escalation;
  // the live queue let the entry go (resolved, or reassigned away from "Mes dossiers"): read it again
  const inQueue = live != null;
  useEffect(() => {
    if (!inQueue) reexecute({ requestPolicy: 'network-only' });
  }, [inQueue, reexecute]);
  if (!entry) {
    return (
      <div className="workspace">
        <section role="region" aria-label="Dossier" className="file">
          <ErrorAlert error={error} />
          {fetching ? (
            <p className="muted">Chargement…</p>
          ) : (
            !error && <p>Ce dossier n’est plus dans la file.</p>
          )}
          <button type="button" className="secondary" onClick={onClose}>
            Fermer
          </button>
        </section>
      </div>
    );
  }
  const conversationId = entry.conversation?.id ?? entry.claim?.conversation?.id ?? null;
  const claimId = entry.claim?.id ?? entry.conversation?.claim?.id ?? null;
  const header = (
    <EntryBar
      entry={entry}
      onClose={onClose}
      onChange={() => reexecute({ requestPolicy: 'network-only' })}
      hasConversation={conversationId != null}
    />
  );
  return (
    <div className={conversationId ? 'workspace with-conversation' : 'workspace'}>
      {claimId ? (
        <ClaimFile key={claimId} claimId={claimId} header={header} />
      ) : (
        <section role="region" aria-label="Dossier" className="file">
          <div className="file-head">
            <h2>
              {ORIGIN[entry.origin]} · {entryName(entry)}
            </h2>
          </div>
          {header}
          <Section title={entry.client ? 'Client' : 'Prospect'} id={`entry-${entry.id}-who`}>
            <Facts
              rows={[
                ['Nom', entryName(entry)],
                ['E-mail', entry.lead?.email],
                ['Téléphone', entry.callRequest?.phone ?? entry.lead?.phone ?? entry.callBack?.phone],
              ]}
            />
          </Section>
          {entry.callRequest && (
            <Section title="Demande de rappel" id={`entry-${entry.id}-call`}>
              <Facts
                rows={[
                  ['Motif', reasonWords(entry.callRequest.reason)],
                  ['Demandé le', formatDateTime(entry.callRequest.requestedAt)],
                  ['Rappeler avant', formatDateTime(entry.callRequest.callBackBy)],
                  ['Notes', entry.callRequest.notes],
                ]}
              />
            </Section>
          )}
          <Section title="Journal partenaire" id={`entry-${entry.id}-journal`}>
            <CaseJournal caseId={entry.case?.id} />
          </Section>
        </section>
      )}
      {conversationId && <ConversationPanel key={conversationId} conversationId={conversationId} me={me} />}
    </div>
  );
}

function EntryBar({
  entry,
  onClose,
  onChange,
  hasConversation,
}: {
  entry: Entry;
  onClose: () => void;
  onChange: () => void;
  hasConversation: boolean;
}) {
  const now = useNow();
  const [, resolve] = useMutation(RESOLVE);
  const action = useAction();
  const [resolution, setResolution] = useState('');
  const id = useId();
  const deadline = callBackBy(entry);
  const open = entry.status !== 'RESOLVED';
  return (
    <div className="entry-bar">
      <p>
        <span className={`status status-${entry.status.toLowerCase()}`}>
          {ESCALATION_STATUS[entry.status]}
        </span>{' '}
        · Priorité {entry.priority} · {entry.reasons.map(reasonWords).join(', ')} · attente{' '}
        {formatDuration(
          secondsSince(entry.queuedAt, entry.resolvedAt ? new Date(entry.resolvedAt).getTime() : now),
        )}
        {deadline && ` · rappeler avant ${formatDateTime(deadline)}`} ·{' '}
        {entry.advisor ? `tenu par ${entry.advisor.name}` : 'personne ne le tient'}
        {entry.resolution && ` · résolu : ${entry.resolution}`}
      </p>
      <div className="entry-bar-actions">
        {open && !hasConversation && (
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (!resolution.trim()) return;
              void action
                .run(() => resolve({ input: { escalationId: entry.id, resolution: resolution.trim() } }))
                .then((ok) => {
                  if (ok) {
                    setResolution('');
                    onChange();
                  }
                });
            }}
          >
            <div className="field grow">
              <label htmlFor={`${id}-resolution`}>Résolution</label>
              <input
                id={`${id}-resolution`}
                maxLength={500}
                value={resolution}
                onChange={(e) => setResolution(e.target.value)}
              />
            </div>
            <button type="submit" disabled={action.busy || !resolution.trim()}>
              Résoudre le dossier
            </button>
          </form>
        )}
        <button type="button" className="secondary" onClick={onClose}>
          Fermer le dossier
        </button>
      </div>
      <ErrorAlert error={action.error} />
    </div>
  );
}

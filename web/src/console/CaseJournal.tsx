// A partner case's journal (seed 2): the events the partner sent, oldest first.
import { useQuery } from 'urql';
import { formatDateTime } from '../shared/format';
import { CASE_JOURNAL } from './operations';
import { ErrorAlert } from './ui';

function summaryText(summary: unknown, payload: unknown): string {
  const value = summary ?? payload;
  if (value == null) return '';
  if (typeof value === 'string') return value;
  if (typeof value !== 'object') return JSON.stringify(value);
  return Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v != null && typeof v !== 'object')
    .slice(0, 6)
    .map(([k, v]) => `${k} : ${String(v as string | number | boolean)}`)
    .join(' · ');
}

export function CaseJournal({ caseId }: { caseId: string | null | undefined }) {
  const [{ data, error, fetching }] = useQuery({
    query: CASE_JOURNAL,
    variables: { id: caseId ?? '' },
    pause: !caseId,
  });
  if (!caseId) return <p className="muted">Aucun dossier partenaire.</p>;
  const kase = data?.case;
  return (
    <>
      <ErrorAlert error={error} />
      {fetching && !kase && <p className="muted">Chargement du journal…</p>}
      {kase && (
        <>
          <p className="muted">
            Intention {kase.intent} · statut {kase.status} · {kase.leadEmail ?? 'personne effacée'}
            {kase.nextActionAt ? ` · prochaine action ${formatDateTime(kase.nextActionAt)}` : ''}
          </p>
          {kase.events.edges.length === 0 ? (
            <p className="muted">Aucun événement.</p>
          ) : (
            <ol className="timeline">
              {kase.events.edges.map(({ node }) => (
                <li key={node.id}>
                  <time dateTime={node.timestamp}>{formatDateTime(node.timestamp)}</time>{' '}
                  <strong>{node.type}</strong> <span className="muted">({node.source})</span>
                  <div className="detail">{summaryText(node.summary, node.payload)}</div>
                </li>
              ))}
            </ol>
          )}
          {kase.events.totalCount > kase.events.edges.length && (
            <p className="muted">
              {kase.events.edges.length} événements affichés sur {kase.events.totalCount}.
            </p>
          )}
        </>
      )}
    </>
  );
}

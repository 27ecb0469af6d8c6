// The claim's next steps: mark each done or ignored.
import { useMutation } from 'urql';
import type { ActionStatus, ConsoleClaimFileQuery } from '../generated/graphql';
import { formatDateTime } from '../shared/format';
import { ACTION_PRIORITY, ACTION_STATUS, ACTION_TYPE } from './labels';
import { SET_ACTION_STATUS } from './operations';
import { ErrorAlert, useAction } from './ui';

type Action = NonNullable<ConsoleClaimFileQuery['claim']>['recommendedActions'][number];

export function RecommendedActions({ actions, onChange }: { actions: Action[]; onChange: () => void }) {
  const [, setStatus] = useMutation(SET_ACTION_STATUS);
  const { run, error, busy } = useAction();
  const mark = (id: string, status: ActionStatus) =>
    void run(() => setStatus({ input: { actionId: id, status } })).then((ok) => ok && onChange());
  if (actions.length === 0) return <p className="muted">Aucune action recommandée.</p>;
  return (
    <>
      <ErrorAlert error={error} />
      <ul className="rows">
        {actions.map((action) => {
          const open = action.status === 'PENDING' || action.status === 'IN_PROGRESS';
          const title = ACTION_TYPE[action.type] ?? action.type;
          return (
            <li key={action.id} className="row" data-testid="recommended-action" data-action-id={action.id}>
              <div className="row-main">
                <strong>{title}</strong>
                {action.description && <div>{action.description}</div>}
                <div className="muted small">
                  {ACTION_PRIORITY[action.priority]} · {ACTION_STATUS[action.status]}
                  {action.executedAt ? ` le ${formatDateTime(action.executedAt)}` : ''}
                </div>
              </div>
              {open && (
                <div className="row-actions" role="group" aria-label={title}>
                  <button type="button" disabled={busy} onClick={() => mark(action.id, 'DONE')}>
                    Fait
                  </button>
                  <button
                    type="button"
                    className="secondary"
                    disabled={busy}
                    onClick={() => mark(action.id, 'IGNORED')}
                  >
                    Ignorer
                  </button>
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}

// The console's header: who is signed in, his own status (an advisor only), sign out.
import { useMutation } from 'urql';
import type { AdvisorStatus, ConsoleMeQuery } from '../generated/graphql';
import { ADVISOR_STATUS } from './labels';
import { SET_ADVISOR_STATUS } from './operations';
import type { Identity } from './session';
import { ErrorAlert, useAction } from './ui';

export function Header({
  identity,
  advisor,
  error,
  onSignOut,
}: {
  identity: Identity;
  advisor: ConsoleMeQuery['advisor'];
  error: Parameters<typeof ErrorAlert>[0]['error'];
  onSignOut: () => void;
}) {
  const [, setStatus] = useMutation(SET_ADVISOR_STATUS);
  const action = useAction();
  const roles = identity.roles.includes('supervisor') ? 'Superviseur' : 'Conseiller';
  return (
    <header className="header">
      <h1>Console conseiller</h1>
      <div className="who">
        <span className="name">{advisor?.name ?? identity.name}</span>{' '}
        <span className="muted">· {roles}</span>
        {advisor && (
          <span className="muted">
            {' '}
            · {advisor.activeClaims}/{advisor.capacity} dossiers
          </span>
        )}
      </div>
      {advisor && (
        <select
          aria-label="Mon statut"
          className={`my-status advisor-${advisor.status.toLowerCase()}`}
          value={advisor.status}
          disabled={action.busy}
          onChange={(e) =>
            void action.run(() =>
              setStatus({ input: { advisorId: advisor.id, status: e.target.value as AdvisorStatus } }),
            )
          }
        >
          {(Object.keys(ADVISOR_STATUS) as AdvisorStatus[]).map((s) => (
            <option key={s} value={s}>
              {ADVISOR_STATUS[s]}
            </option>
          ))}
        </select>
      )}
      <button type="button" className="secondary" onClick={onSignOut}>
        Se déconnecter
      </button>
      <div className="header-alerts">
        <ErrorAlert error={action.error ?? error} />
      </div>
    </header>
  );
}

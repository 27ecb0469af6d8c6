// The advisor console: sign-in (or the token of the link), then the live queue, "Mes dossiers",
// the supervisor's view, and the opened entry's claim file and conversation.
import { useEffect, useMemo, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Provider as GraphQLProvider, useQuery } from 'urql';
import { createGraphQLClients } from '../shared/graphql';
import { codeWords } from '../shared/errors';
import { Header } from './Header';
import { ME } from './operations';
import { QueueList } from './Queue';
import {
  decodeIdentity,
  forgetToken,
  storedToken,
  storeToken,
  takeTokenFromUrl,
  type Identity,
} from './session';
import { Supervision } from './Supervision';
import { ErrorAlert } from './ui';
import { useMyAssignmentsFeed, useQueueFeed } from './useQueueFeed';
import { Workspace } from './Workspace';

export function App() {
  const [token, setToken] = useState<string | null>(() => takeTokenFromUrl() ?? storedToken());
  const identity = useMemo(() => (token ? decodeIdentity(token) : null), [token]);
  const clients = useMemo(() => (token && identity ? createGraphQLClients(token) : null), [token, identity]);
  useEffect(() => () => clients?.dispose(), [clients]);

  const signOut = () => {
    forgetToken();
    setToken(null);
  };
  if (!token || !identity || !clients) {
    return (
      <SignIn
        invalid={token != null && identity == null}
        onToken={(t) => {
          storeToken(t);
          setToken(t);
        }}
      />
    );
  }
  return (
    <GraphQLProvider value={clients.client}>
      <Console identity={identity} onSignOut={signOut} />
    </GraphQLProvider>
  );
}

function SignIn({ onToken, invalid }: { onToken: (token: string) => void; invalid: boolean }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState(invalid);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const token = value.trim();
    if (!decodeIdentity(token)) {
      setError(true);
      return;
    }
    onToken(token);
  };
  return (
    <main className="signin">
      <h1>Console conseiller</h1>
      <form onSubmit={submit}>
        <label htmlFor="signin-token">Jeton d'accès</label>
        <input
          id="signin-token"
          type="text"
          autoComplete="off"
          spellCheck={false}
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
        <button type="submit">Se connecter</button>
      </form>
      {error && <ErrorAlert error={codeWords('AUTH.INVALID_TOKEN', 'Ce jeton n’est pas valide.')} />}
    </main>
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Tab = 'queue' | 'mine' | 'supervision';

function Console({ identity, onSignOut }: { identity: Identity; onSignOut: () => void }) {
  const isSupervisor = identity.roles.includes('supervisor');
  // only an advisor's id (a UUID) names an Advisor; a supervisor may be someone else
  const [{ data: meData, error: meError }] = useQuery({
    query: ME,
    variables: { id: identity.sub },
    pause: !UUID.test(identity.sub),
  });
  const me = meData?.advisor ?? null;
  const queue = useQueueFeed();
  const mine = useMyAssignmentsFeed(identity.sub, !me);
  const [tab, setTab] = useState<Tab>('queue');
  const [openId, setOpenId] = useState<string | null>(null);

  const tabs: { id: Tab; label: string }[] = [
    { id: 'queue', label: "File d'attente" },
    { id: 'mine', label: 'Mes dossiers' },
    ...(isSupervisor ? [{ id: 'supervision' as Tab, label: 'Supervision' }] : []),
  ];
  const onTabKey = (event: KeyboardEvent, index: number) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = tabs[(index + step + tabs.length) % tabs.length]!;
    setTab(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  };
  const live = openId ? (queue.feed.entries.get(openId) ?? mine.feed.entries.get(openId)) : undefined;

  return (
    <div className="console">
      <Header identity={identity} advisor={me} error={meError} onSignOut={onSignOut} />
      <div className={tab === 'supervision' ? 'layout layout-wide' : 'layout'}>
        <div className="side">
          <div role="tablist" aria-label="Vues" className="tabs">
            {tabs.map((t, i) => (
              <button
                key={t.id}
                id={`tab-${t.id}`}
                type="button"
                role="tab"
                aria-selected={tab === t.id}
                aria-controls={`panel-${t.id}`}
                tabIndex={tab === t.id ? 0 : -1}
                onClick={() => setTab(t.id)}
                onKeyDown={(e) => onTabKey(e, i)}
              >
                {t.label}
                {t.id === 'mine' && me && <span aria-hidden="true"> ({mine.feed.entries.size})</span>}
              </button>
            ))}
          </div>
          <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tabpanel">
            {tab === 'queue' && (
              <QueueList
                label="File d'attente"
                feed={queue.feed}
                error={queue.error}
                me={me?.id ?? null}
                openId={openId}
                onOpen={setOpenId}
                empty="Personne n’attend."
              />
            )}
            {tab === 'mine' &&
              (me ? (
                <QueueList
                  label="Mes affectations"
                  feed={mine.feed}
                  error={mine.error}
                  me={me.id}
                  openId={openId}
                  onOpen={setOpenId}
                  empty="Vous ne tenez aucun dossier."
                />
              ) : (
                <p className="muted">
                  Vous n’êtes pas enregistré comme conseiller : aucun dossier ne vous est affecté.
                </p>
              ))}
            {tab === 'supervision' && isSupervisor && <Supervision feed={queue.feed} onOpen={setOpenId} />}
          </div>
        </div>
        <main className="main">
          {openId ? (
            <Workspace
              key={openId}
              entryId={openId}
              live={live}
              me={me?.id ?? null}
              onClose={() => setOpenId(null)}
            />
          ) : (
            <p className="muted placeholder">
              Ouvrez un dossier de la file pour voir le sinistre et la conversation.
            </p>
          )}
        </main>
      </div>
    </div>
  );
}

// Small shared pieces of the console: errors in words, sections, definition rows.
import { useCallback, useState, type ReactNode } from 'react';
import type { CombinedError } from 'urql';
import { inWords, type ErrorInWords } from '../shared/errors';

export function ErrorAlert({ error }: { error: CombinedError | ErrorInWords | Error | null | undefined }) {
  if (!error) return null;
  const { code, words } = inWords(error);
  return (
    <p role="alert" className="alert">
      {words} ({code})
    </p>
  );
}

export function Section({ title, children, id }: { title: string; children: ReactNode; id: string }) {
  return (
    <section className="file-section">
      <h3 id={id}>{title}</h3>
      {children}
    </section>
  );
}

export function Facts({ rows }: { rows: [string, ReactNode][] }) {
  const shown = rows.filter(([, value]) => value !== null && value !== undefined && value !== '');
  if (shown.length === 0) return <p className="muted">Rien à afficher.</p>;
  return (
    <dl className="facts">
      {shown.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * Runs one or more mutations in a row; the first error stops and stays shown (in words) until
 * the next run. Resolves to whether everything went through.
 */
export function useAction() {
  const [error, setError] = useState<CombinedError | ErrorInWords | null>(null);
  const [busy, setBusy] = useState(false);
  const run = useCallback(async (...steps: (() => Promise<{ error?: CombinedError }>)[]) => {
    setBusy(true);
    setError(null);
    try {
      for (const step of steps) {
        const result = await step();
        if (result.error) {
          setError(result.error);
          return false;
        }
      }
      return true;
    } finally {
      setBusy(false);
    }
  }, []);
  return { run, error, setError, busy };
}

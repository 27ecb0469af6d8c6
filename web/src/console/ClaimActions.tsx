// What an advisor does to a claim all day: move its status (only where its lifecycle allows)
// and record an activity nothing else records.
import { useId, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import type { ClaimStatus, RecordableClaimActivityKind } from '../generated/graphql';
import { CLAIM_STATUS, RECORDABLE_ACTIVITY } from './labels';
import { CHANGE_STATUS, RECORD_ACTIVITY } from './operations';
import { ErrorAlert, useAction } from './ui';

export function StatusChange({
  claimId,
  allowed,
  onChange,
}: {
  claimId: string;
  allowed: ClaimStatus[];
  onChange: () => void;
}) {
  const [, change] = useMutation(CHANGE_STATUS);
  const { run, error, busy } = useAction();
  const [status, setStatus] = useState<ClaimStatus | ''>('');
  const [reason, setReason] = useState('');
  const id = useId();
  const chosen = status && allowed.includes(status) ? status : (allowed[0] ?? '');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!chosen) return;
    void run(() =>
      change({ input: { id: claimId, status: chosen, reason: reason.trim() || undefined } }),
    ).then((ok) => {
      if (ok) {
        setReason('');
        setStatus('');
        onChange();
      }
    });
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label="Changer le statut du sinistre">
      <div className="field">
        <label htmlFor={`${id}-status`}>Nouveau statut</label>
        <select
          id={`${id}-status`}
          value={chosen}
          disabled={allowed.length === 0}
          onChange={(e) => setStatus(e.target.value as ClaimStatus)}
        >
          {allowed.length === 0 && <option value="">Aucun changement possible</option>}
          {allowed.map((s) => (
            <option key={s} value={s}>
              {CLAIM_STATUS[s]}
            </option>
          ))}
        </select>
      </div>
      <div className="field grow">
        <label htmlFor={`${id}-reason`}>Motif</label>
        <input
          id={`${id}-reason`}
          maxLength={500}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </div>
      <button type="submit" disabled={busy || allowed.length === 0}>
        Changer le statut
      </button>
      <ErrorAlert error={error} />
    </form>
  );
}

export function RecordActivity({ claimId, onChange }: { claimId: string; onChange: () => void }) {
  const [, record] = useMutation(RECORD_ACTIVITY);
  const { run, error, busy } = useAction();
  const [kind, setKind] = useState<RecordableClaimActivityKind>('DOCUMENTS_RECEIVED');
  const [detail, setDetail] = useState('');
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(() => record({ input: { claimId, kind, detail: detail.trim() || undefined } })).then((ok) => {
      if (ok) {
        setDetail('');
        onChange();
      }
    });
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label="Enregistrer une activité">
      <div className="field">
        <label htmlFor={`${id}-kind`}>Type d'activité</label>
        <select
          id={`${id}-kind`}
          value={kind}
          onChange={(e) => setKind(e.target.value as RecordableClaimActivityKind)}
        >
          {(Object.keys(RECORDABLE_ACTIVITY) as RecordableClaimActivityKind[]).map((k) => (
            <option key={k} value={k}>
              {RECORDABLE_ACTIVITY[k]}
            </option>
          ))}
        </select>
      </div>
      <div className="field grow">
        <label htmlFor={`${id}-detail`}>Détail</label>
        <input
          id={`${id}-detail`}
          maxLength={500}
          value={detail}
          onChange={(e) => setDetail(e.target.value)}
        />
      </div>
      <button type="submit" disabled={busy}>
        Enregistrer l'activité
      </button>
      <ErrorAlert error={error} />
    </form>
  );
}

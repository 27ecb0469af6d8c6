// A claim's reimbursements: create one, accept it (amount, deductible), reject it (reason),
// mark it paid. Amounts are typed the French way ("1 250,50") and sent as Decimal strings.
import { useId, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import type { ConsoleClaimFileQuery, PaymentMethod } from '../generated/graphql';
import { codeWords } from '../shared/errors';
import { formatDateTime, formatEuros, parseEuroAmount } from '../shared/format';
import { PAYMENT_METHOD, REIMBURSEMENT_STATUS } from './labels';
import { CREATE_REIMBURSEMENT, UPDATE_REIMBURSEMENT } from './operations';
import { ErrorAlert, useAction } from './ui';

type Reimbursement = NonNullable<ConsoleClaimFileQuery['claim']>['reimbursements'][number];

const invalidAmount = (what: string) =>
  codeWords('REIMBURSEMENT.INVALID_AMOUNT', `${what} : saisissez un montant en euros, par exemple 1 250,50.`);

export function ReimbursementPanel({
  claimId,
  reimbursements,
  onChange,
}: {
  claimId: string;
  reimbursements: Reimbursement[];
  onChange: () => void;
}) {
  const [, create] = useMutation(CREATE_REIMBURSEMENT);
  const { run, error, setError, busy } = useAction();
  const [amount, setAmount] = useState('');
  const [method, setMethod] = useState<PaymentMethod>('BANK_TRANSFER');
  const id = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const amountClaimed = parseEuroAmount(amount);
    if (!amountClaimed || Number(amountClaimed) <= 0) {
      setError(invalidAmount('Montant demandé'));
      return;
    }
    void run(() => create({ input: { claimId, amountClaimed, paymentMethod: method } })).then((ok) => {
      if (ok) {
        setAmount('');
        onChange();
      }
    });
  };

  return (
    <>
      {reimbursements.length === 0 ? (
        <p className="muted">Aucun remboursement.</p>
      ) : (
        <ul className="rows">
          {reimbursements.map((r) => (
            <ReimbursementRow key={r.id} reimbursement={r} onChange={onChange} />
          ))}
        </ul>
      )}
      <form className="inline-form" onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${id}-amount`}>Montant demandé</label>
          <input
            id={`${id}-amount`}
            inputMode="decimal"
            autoComplete="off"
            placeholder="1 250,50"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-method`}>Mode de paiement</label>
          <select
            id={`${id}-method`}
            value={method}
            onChange={(e) => setMethod(e.target.value as PaymentMethod)}
          >
            <option value="BANK_TRANSFER">{PAYMENT_METHOD.BANK_TRANSFER}</option>
            <option value="CHEQUE">{PAYMENT_METHOD.CHEQUE}</option>
          </select>
        </div>
        <button type="submit" disabled={busy}>
          Créer le remboursement
        </button>
      </form>
      <ErrorAlert error={error} />
    </>
  );
}

function ReimbursementRow({
  reimbursement: r,
  onChange,
}: {
  reimbursement: Reimbursement;
  onChange: () => void;
}) {
  const [, update] = useMutation(UPDATE_REIMBURSEMENT);
  const { run, error, setError, busy } = useAction();
  const [accepted, setAccepted] = useState('');
  const [deductible, setDeductible] = useState('');
  const [reason, setReason] = useState('');
  const [payWith, setPayWith] = useState<PaymentMethod>(r.paymentMethod ?? 'BANK_TRANSFER');
  const id = useId();
  const done = (ok: boolean) => ok && onChange();

  const accept = () => {
    const amountAccepted = parseEuroAmount(accepted || (r.amountClaimed ?? ''));
    if (!amountAccepted) return setError(invalidAmount('Montant accepté'));
    let deductibleApplied: string | undefined;
    if (deductible.trim()) {
      const parsed = parseEuroAmount(deductible);
      if (!parsed) return setError(invalidAmount('Franchise appliquée'));
      deductibleApplied = parsed;
    }
    void run(() =>
      update({ input: { id: r.id, status: 'ACCEPTED', amountAccepted, deductibleApplied } }),
    ).then(done);
  };
  const reject = () => {
    if (!reason.trim())
      return setError(codeWords('REIMBURSEMENT.REJECTION_REASON_REQUIRED', 'Indiquez le motif du refus.'));
    void run(() => update({ input: { id: r.id, status: 'REJECTED', rejectionReason: reason.trim() } })).then(
      done,
    );
  };
  const pay = () =>
    void run(() =>
      update({ input: { id: r.id, status: 'PAID', paymentMethod: r.paymentMethod ?? payWith } }),
    ).then(done);

  const net = r.amountAccepted != null ? Number(r.amountAccepted) - Number(r.deductibleApplied ?? 0) : null;
  return (
    <li className="row reimbursement" data-testid="reimbursement" data-reimbursement-id={r.id}>
      <div className="row-main">
        <strong className="amount">{formatEuros(r.amountClaimed)}</strong>{' '}
        <span className={`status status-${r.status.toLowerCase()}`}>{REIMBURSEMENT_STATUS[r.status]}</span>
        <div className="muted small">
          Demandé le {formatDateTime(r.createdAt)}
          {r.paymentMethod ? ` · ${PAYMENT_METHOD[r.paymentMethod]}` : ''}
          {r.amountAccepted != null && ` · accepté ${formatEuros(r.amountAccepted)}`}
          {r.deductibleApplied != null && ` · franchise ${formatEuros(r.deductibleApplied)}`}
          {net != null && ` · versé au client ${formatEuros(net)}`}
          {r.paidAt && ` · payé le ${formatDateTime(r.paidAt)}`}
          {r.rejectionReason && ` · motif du refus : ${r.rejectionReason}`}
        </div>
      </div>
      {(r.status === 'PENDING' || r.status === 'ACCEPTED') && (
        <div className="row-forms">
          {r.status === 'PENDING' && (
            <div className="inline-form">
              <div className="field">
                <label htmlFor={`${id}-accepted`}>Montant accepté</label>
                <input
                  id={`${id}-accepted`}
                  inputMode="decimal"
                  autoComplete="off"
                  placeholder={r.amountClaimed ? formatEuros(r.amountClaimed) : ''}
                  value={accepted}
                  onChange={(e) => setAccepted(e.target.value)}
                />
              </div>
              <div className="field">
                <label htmlFor={`${id}-deductible`}>Franchise appliquée</label>
                <input
                  id={`${id}-deductible`}
                  inputMode="decimal"
                  autoComplete="off"
                  value={deductible}
                  onChange={(e) => setDeductible(e.target.value)}
                />
              </div>
              <button type="button" disabled={busy} onClick={accept}>
                Accepter
              </button>
            </div>
          )}
          <div className="inline-form">
            <div className="field">
              <label htmlFor={`${id}-reason`}>Motif du refus</label>
              <input id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} />
            </div>
            <button type="button" className="danger" disabled={busy} onClick={reject}>
              Refuser
            </button>
          </div>
          {r.status === 'ACCEPTED' && (
            <div className="inline-form">
              {!r.paymentMethod && (
                <div className="field">
                  <label htmlFor={`${id}-pay`}>Payer par</label>
                  <select
                    id={`${id}-pay`}
                    value={payWith}
                    onChange={(e) => setPayWith(e.target.value as PaymentMethod)}
                  >
                    <option value="BANK_TRANSFER">{PAYMENT_METHOD.BANK_TRANSFER}</option>
                    <option value="CHEQUE">{PAYMENT_METHOD.CHEQUE}</option>
                  </select>
                </div>
              )}
              <button type="button" disabled={busy} onClick={pay}>
                Marquer payé
              </button>
            </div>
          )}
        </div>
      )}
      <ErrorAlert error={error} />
    </li>
  );
}

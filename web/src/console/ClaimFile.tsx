// The claim file in one screen: client, contract, facts, CCI, recommended actions, timeline,
// reimbursements, documents and the partner journal, with the day's actions on top.
import { useCallback, type ReactNode } from 'react';
import { useQuery } from 'urql';
import { formatDate, formatDateTime, formatEuros, formatOccurredAt } from '../shared/format';
import { CaseJournal } from './CaseJournal';
import { RecordActivity, StatusChange } from './ClaimActions';
import {
  ACTOR_KIND,
  CLAIM_STATUS,
  CLAIM_TYPE,
  CONTRACT_STATUS,
  CONTRACT_TYPE,
  coverageWords,
  yesNo,
} from './labels';
import { CLAIM_FILE } from './operations';
import { RecommendedActions } from './RecommendedActions';
import { ReimbursementPanel } from './ReimbursementPanel';
import { ErrorAlert, Facts, Section } from './ui';

function coverageList(coverages: unknown): string[] {
  if (Array.isArray(coverages)) return coverages.map((c) => String(c as string));
  if (typeof coverages === 'string') return [coverages];
  return [];
}

function withNumber(flag: boolean | null, number: string | null): ReactNode {
  if (!flag) return yesNo(flag);
  return number ? `Oui (n° ${number})` : 'Oui';
}

function safeUrl(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

export function ClaimFile({ claimId, header }: { claimId: string; header?: ReactNode }) {
  const [{ data, error, fetching }, reexecute] = useQuery({ query: CLAIM_FILE, variables: { id: claimId } });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  const claim = data?.claim;

  if (!claim) {
    return (
      <section role="region" aria-label="Dossier" className="file">
        {header}
        <ErrorAlert error={error} />
        {fetching ? (
          <p className="muted">Chargement du dossier…</p>
        ) : (
          !error && <p>Ce sinistre est introuvable.</p>
        )}
      </section>
    );
  }
  const { client, contract } = claim;
  const cciTotal = claim.cciFactors.reduce((sum, f) => sum + f.points, 0);
  const documents = claim.activity.filter((a) => a.kind === 'DOCUMENTS_RECEIVED');
  const p = `claim-${claim.id}`;
  return (
    <section role="region" aria-label="Dossier" className="file">
      <div className="file-head">
        <h2>Sinistre {claim.claimNumber}</h2>
        <span className={`status status-claim-${claim.status.toLowerCase()}`}>
          {CLAIM_STATUS[claim.status]}
        </span>
        {claim.archived && <span className="badge">Archivé</span>}
        {claim.assignedAdvisor && <span className="muted">Conseiller : {claim.assignedAdvisor.name}</span>}
      </div>
      {header}
      <ErrorAlert error={error} />
      <div className="file-actions">
        <StatusChange claimId={claim.id} allowed={claim.allowedTransitions} onChange={refresh} />
        <RecordActivity claimId={claim.id} onChange={refresh} />
      </div>

      <div className="file-grid">
        <Section title="Client" id={`${p}-client`}>
          <Facts
            rows={[
              ['Nom', [client.civility, client.firstName, client.lastName].filter(Boolean).join(' ')],
              ['Matricule', client.matricule],
              ['Téléphone', client.phone],
              ['E-mail', client.email],
              ['Adresse', [client.address, client.postalCode, client.city].filter(Boolean).join(', ')],
            ]}
          />
        </Section>
        <Section title="Contrat" id={`${p}-contract`}>
          {contract ? (
            <>
              <Facts
                rows={[
                  ['Numéro', contract.contractNumber],
                  ['Type', contract.type ? CONTRACT_TYPE[contract.type] : null],
                  ['Statut', contract.status ? CONTRACT_STATUS[contract.status] : null],
                  [
                    'Validité',
                    [
                      contract.subscribedOn && `du ${formatDate(contract.subscribedOn)}`,
                      contract.expiresOn && `au ${formatDate(contract.expiresOn)}`,
                    ]
                      .filter(Boolean)
                      .join(' '),
                  ],
                  ['Franchise tiers', formatEuros(contract.thirdPartyDeductible)],
                  ['Franchise collision', formatEuros(contract.collisionDeductible)],
                  ['Dommages aux biens', yesNo(contract.propertyDamageCover)],
                  ['Garantie tiers', yesNo(contract.thirdPartyCover)],
                  ['Responsabilité civile', yesNo(contract.civilLiabilityCover)],
                ]}
              />
              <h4>Garanties</h4>
              {coverageList(contract.coverages).length > 0 ? (
                <ul className="chips">
                  {coverageList(contract.coverages).map((c) => (
                    <li key={c}>{coverageWords(c)}</li>
                  ))}
                </ul>
              ) : (
                <p className="muted">Aucune garantie listée.</p>
              )}
            </>
          ) : (
            <p className="muted">Aucun contrat rattaché.</p>
          )}
        </Section>
      </div>

      <Section title="Faits" id={`${p}-facts`}>
        <Facts
          rows={[
            ['Type', claim.type ? CLAIM_TYPE[claim.type] : null],
            ['Survenu le', formatOccurredAt(claim.occurredAt, claim.occurredTimeKnown)],
            ['Lieu', claim.location],
            ['Description', claim.description],
            ['Tiers impliqué', yesNo(claim.thirdPartyInvolved)],
            ['Tiers', [claim.thirdPartyName, claim.thirdPartyContact].filter(Boolean).join(' · ')],
            ['Tiers responsable', yesNo(claim.thirdPartyResponsible)],
            ['Constat amiable', withNumber(claim.amicableReport, claim.amicableReportNumber)],
            ['Procès-verbal', withNumber(claim.policeReport, claim.policeReportNumber)],
            [
              'Dommages estimés',
              claim.estimatedDamage != null
                ? `${formatEuros(claim.estimatedDamage)}${claim.estimatedOn ? ` (le ${formatDate(claim.estimatedOn)})` : ''}`
                : null,
            ],
            ['Déclaré le', formatDateTime(claim.createdAt)],
            ['Mis à jour le', formatDateTime(claim.updatedAt)],
            ['Clos le', formatDateTime(claim.closedAt)],
          ]}
        />
        {claim.triggers.length > 0 && (
          <>
            <h4>Déclencheurs</h4>
            <ul className="plain">
              {claim.triggers.map((t) => (
                <li key={`${t.code}-${t.at}`}>
                  {t.reason} <span className="muted">({formatDateTime(t.at)})</span>
                </li>
              ))}
            </ul>
          </>
        )}
      </Section>

      <Section title="Indice de complexité (CCI)" id={`${p}-cci`}>
        {claim.cciScore == null ? (
          <p className="muted">Pas encore calculé.</p>
        ) : (
          <>
            <p className="cci-score">
              <strong>{claim.cciScore}</strong>/100
              {claim.cciPolicyVersion && <span className="muted"> · barème {claim.cciPolicyVersion}</span>}
            </p>
            <table className="cci">
              <caption className="visually-hidden">Facteurs du CCI et leurs points</caption>
              <thead>
                <tr>
                  <th scope="col">Facteur</th>
                  <th scope="col">Points</th>
                </tr>
              </thead>
              <tbody>
                {claim.cciFactors.map((f) => (
                  <tr key={f.code} data-testid="cci-factor">
                    <td>{f.label}</td>
                    <td className="num">+{f.points}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">Total</th>
                  <td className="num">{cciTotal}</td>
                </tr>
              </tfoot>
            </table>
          </>
        )}
      </Section>

      <Section title="Actions recommandées" id={`${p}-actions`}>
        <RecommendedActions actions={claim.recommendedActions} onChange={refresh} />
      </Section>

      <Section title="Historique" id={`${p}-history`}>
        {claim.activity.length === 0 ? (
          <p className="muted">Aucune activité.</p>
        ) : (
          <ol className="timeline">
            {claim.activity.map((a, i) => (
              <li key={`${a.kind}-${a.at}-${i}`} className={a.kind === 'ALERT' ? 'alert-item' : undefined}>
                <time dateTime={a.at}>{formatDateTime(a.at)}</time> <strong>{a.label}</strong>
                {a.detail && <div className="detail">{a.detail}</div>}
              </li>
            ))}
          </ol>
        )}
        {claim.statusHistory.length > 0 && (
          <details>
            <summary>Changements de statut ({claim.statusHistory.length})</summary>
            <ol className="timeline">
              {claim.statusHistory.map((s, i) => (
                <li key={`${s.at}-${i}`}>
                  <time dateTime={s.at}>{formatDateTime(s.at)}</time> {CLAIM_STATUS[s.from]} →{' '}
                  {CLAIM_STATUS[s.to]}{' '}
                  <span className="muted">({ACTOR_KIND[s.actorKind] ?? s.actorKind})</span>
                  {s.reason && <div className="detail">{s.reason}</div>}
                </li>
              ))}
            </ol>
          </details>
        )}
      </Section>

      <Section title="Remboursements" id={`${p}-reimbursements`}>
        <ReimbursementPanel claimId={claim.id} reimbursements={claim.reimbursements} onChange={refresh} />
      </Section>

      <Section title="Documents et photos" id={`${p}-documents`}>
        {claim.photoUrls.length === 0 && documents.length === 0 && (
          <p className="muted">Aucun document ni photo.</p>
        )}
        {claim.photoUrls.length > 0 && (
          <ul className="plain">
            {claim.photoUrls.map((url, i) => {
              const href = safeUrl(url);
              return (
                <li key={url}>
                  {href ? (
                    <a href={href} target="_blank" rel="noopener noreferrer">
                      Photo {i + 1} ({new URL(href).hostname}){' '}
                      <span className="visually-hidden">(nouvel onglet)</span>
                    </a>
                  ) : (
                    url
                  )}
                </li>
              );
            })}
          </ul>
        )}
        {documents.length > 0 && (
          <ul className="plain">
            {documents.map((d, i) => (
              <li key={`${d.at}-${i}`}>
                {d.label} le {formatDateTime(d.at)}
                {d.detail ? ` : ${d.detail}` : ''}
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section title="Journal partenaire" id={`${p}-journal`}>
        <CaseJournal caseId={claim.case?.id} />
      </Section>
    </section>
  );
}

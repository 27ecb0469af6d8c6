import { claimActivity, type ActivitySources } from './claim-activity.rules';

const t = (minute: number) => new Date(Date.UTC(2026, 2, 1, 10, minute));
const iso = (minute: number) => t(minute).toISOString();
const advisor = { kind: 'advisor', id: 'adv-1' };

const empty: ActivitySources = {
  createdAt: t(0),
  photoUrls: null,
  statusHistory: [],
  triggers: [],
  journal: [],
  recorded: [],
};

describe('claimActivity (seed « Actions Affichables »)', () => {
  it('shows nothing for a claim declared without documents and not yet handled', () => {
    expect(claimActivity(empty)).toEqual([]);
    expect(claimActivity({ ...empty, photoUrls: [] })).toEqual([]);
  });

  it('shows the documents of the declaration as received when the claim was opened', () => {
    expect(claimActivity({ ...empty, photoUrls: ['https://p/1.jpg', 'https://p/2.jpg'] })).toEqual([
      {
        kind: 'DOCUMENTS_RECEIVED',
        label: 'Documents reçus',
        at: t(0),
        detail: '2 photos ou documents joints à la déclaration',
      },
    ]);
  });

  it('turns EXPERT_REVIEW into « Expertise en cours » and VALIDATION into « Montant validé », with the reason; other statuses show nothing', () => {
    const activity = claimActivity({
      ...empty,
      statusHistory: [
        { from: 'NEW', to: 'IN_PROGRESS', reason: null, actor: advisor, at: iso(1) },
        { from: 'IN_PROGRESS', to: 'EXPERT_REVIEW', reason: 'expert mandaté', actor: advisor, at: iso(2) },
        { from: 'EXPERT_REVIEW', to: 'VALIDATION', reason: '2 300 €', actor: advisor, at: iso(3) },
        { from: 'VALIDATION', to: 'CLOSED', reason: 'payé', actor: advisor, at: iso(4) },
      ],
    });
    expect(activity).toEqual([
      { kind: 'AMOUNT_VALIDATED', label: 'Montant validé', at: t(3), detail: '2 300 €' },
      { kind: 'EXPERTISE_IN_PROGRESS', label: 'Expertise en cours', at: t(2), detail: 'expert mandaté' },
    ]);
  });

  it('shows alerts (missing documents) and the 5-day delay as ALERT, but not the other escalation triggers', () => {
    const activity = claimActivity({
      ...empty,
      triggers: [
        { code: 'INJURIES', kind: 'ESCALATION', reason: 'Blessures déclarées', at: iso(0) },
        { code: 'MISSING_DOCUMENTS', kind: 'ALERT', reason: 'Photos ou documents manquants', at: iso(0) },
        {
          code: 'DELAY_EXCEEDED',
          kind: 'ESCALATION',
          reason: 'Aucune progression du dossier depuis plus de 5 jours',
          at: iso(9),
        },
      ],
    });
    expect(activity).toEqual([
      {
        kind: 'ALERT',
        label: 'Alerte : délai dépassé',
        at: t(9),
        detail: 'Aucune progression du dossier depuis plus de 5 jours',
      },
      {
        kind: 'ALERT',
        label: 'Alerte : information manquante',
        at: t(0),
        detail: 'Photos ou documents manquants',
      },
    ]);
  });

  it("shows a partner's APPOINTMENT_BOOKED as a garage appointment with its time and place, and ignores other journal entries", () => {
    const activity = claimActivity({
      ...empty,
      journal: [
        { type: 'CLAIM_OPENED', timestamp: t(0), payload: {} },
        {
          type: 'APPOINTMENT_BOOKED',
          timestamp: t(5),
          payload: { start_time: '2026-03-20T14:00:00Z', location: 'Garage du Centre, Lyon' },
        },
        { type: 'APPOINTMENT_BOOKED', timestamp: t(6), payload: { location: ' ' } },
      ],
    });
    expect(activity).toEqual([
      { kind: 'GARAGE_APPOINTMENT', label: 'Rendez-vous garage prévu', at: t(6), detail: null },
      {
        kind: 'GARAGE_APPOINTMENT',
        label: 'Rendez-vous garage prévu',
        at: t(5),
        detail: 'Le 20/03/2026 14:00 UTC, Garage du Centre, Lyon',
      },
    ]);
  });

  it('merges every source newest first; at the same instant the later-recorded entry comes first', () => {
    const activity = claimActivity({
      ...empty,
      photoUrls: ['https://p/1.jpg'],
      statusHistory: [{ from: 'NEW', to: 'EXPERT_REVIEW', reason: null, actor: advisor, at: iso(4) }],
      recorded: [
        {
          kind: 'LETTER_SENT',
          detail: 'Accusé de réception',
          at: iso(2),
          actor: advisor,
          recordedAt: iso(2),
        },
        { kind: 'DOCUMENTS_RECEIVED', detail: 'Devis', at: iso(4), actor: advisor, recordedAt: iso(4) },
        { kind: 'GARAGE_APPOINTMENT', detail: null, at: iso(7), actor: advisor, recordedAt: iso(7) },
      ],
    });
    expect(activity.map((a) => [a.label, a.at.toISOString()])).toEqual([
      ['Rendez-vous garage prévu', iso(7)],
      ['Documents reçus', iso(4)],
      ['Expertise en cours', iso(4)],
      ['Courrier envoyé', iso(2)],
      ['Documents reçus', iso(0)],
    ]);
  });
});

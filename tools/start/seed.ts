// Demo data for `npm start`, written through the gateway like any front end would: French
// clients and contracts, advisors, claims of every type with their scores, conversation
// messages, reimbursements in several states and an escalation assigned to an advisor.
// Runs once: a second start finds the clients and leaves everything as it is.
import { issueUserToken } from '@crm/auth';
import { partnerMessageKey } from '@crm/events';

export interface SeedResult {
  created: boolean;
  summary: string;
  token: string;
}

const CLIENTS = [
  {
    matricule: 'AB-123-CD',
    civility: 'Mme',
    firstName: 'Camille',
    lastName: 'Dupont',
    city: 'Lyon',
    email: 'camille.dupont@exemple.fr',
    phone: '06 12 34 56 78',
    birthDate: '1984-05-17',
    contract: 'AUTO',
  },
  {
    matricule: 'CD-456-EF',
    civility: 'M.',
    firstName: 'Julien',
    lastName: 'Moreau',
    city: 'Nantes',
    email: 'julien.moreau@exemple.fr',
    phone: '06 98 76 54 32',
    birthDate: '1979-11-02',
    contract: 'AUTO',
  },
  {
    matricule: 'GH-789-IJ',
    civility: 'Mme',
    firstName: 'Léa',
    lastName: 'Bernard',
    city: 'Bordeaux',
    email: 'lea.bernard@exemple.fr',
    phone: '07 11 22 33 44',
    birthDate: '1991-02-23',
    contract: 'HOME',
  },
  {
    matricule: 'KL-012-MN',
    civility: 'M.',
    firstName: 'Nicolas',
    lastName: 'Petit',
    city: 'Lille',
    email: 'nicolas.petit@exemple.fr',
    phone: '06 55 44 33 22',
    birthDate: '1968-08-30',
    contract: 'HOME',
  },
  {
    matricule: 'OP-345-QR',
    civility: 'Mme',
    firstName: 'Sophie',
    lastName: 'Laurent',
    city: 'Toulouse',
    email: 'sophie.laurent@exemple.fr',
    phone: '06 01 02 03 04',
    birthDate: '1988-12-09',
    contract: 'AUTO',
  },
] as const;

const ADVISORS = [
  { name: 'Claire Martin', email: 'claire.martin@assureur.fr', specialty: 'sinistre_complexe' },
  { name: 'Thomas Roux', email: 'thomas.roux@assureur.fr', specialty: 'réclamation' },
  { name: 'Inès Garcia', email: 'ines.garcia@assureur.fr', specialty: 'info_contrat' },
];

type Claim = {
  clientIndex: number;
  type: string;
  daysAgo: number;
  description: string;
  location: string;
  extra: Record<string, unknown>;
};
const CLAIMS: Claim[] = [
  {
    clientIndex: 0,
    type: 'COLLISION',
    daysAgo: 1,
    description: "J'étais arrêté au feu rouge, une voiture m'a percuté par l'arrière.",
    location: 'Lyon 3e, cours Gambetta',
    extra: {
      thirdPartyInvolved: true,
      amicableReport: true,
      photoUrls: ['https://fichiers.exemple/ab123/arriere.jpg'],
      estimatedDamage: '1800.00',
    },
  },
  {
    clientIndex: 1,
    type: 'COLLISION',
    daysAgo: 2,
    description: 'Accrochage sur un rond-point, le passager a mal au dos.',
    location: 'Nantes, rond-point de Rezé',
    extra: { thirdPartyInvolved: true, injuries: true, amicableReport: false, photoUrls: [] },
  },
  {
    clientIndex: 2,
    type: 'DAMAGE',
    daysAgo: 4,
    description: "Fuite d'eau chez le voisin du dessus, plafond de la cuisine abîmé.",
    location: 'Bordeaux, Chartrons',
    extra: { photoUrls: ['https://fichiers.exemple/gh789/plafond.jpg'], estimatedDamage: '2400.00' },
  },
  {
    clientIndex: 3,
    type: 'THEFT',
    daysAgo: 3,
    description: 'Cambriolage pendant le week-end, ordinateur et bijoux volés.',
    location: 'Lille, Vieux-Lille',
    extra: { policeReport: true, policeReportNumber: 'PV-2026-55821', photoUrls: [] },
  },
  {
    clientIndex: 3,
    type: 'DAMAGE',
    daysAgo: 40,
    description: 'Dégât des eaux dans la salle de bain, joint de baignoire défectueux.',
    location: 'Lille, Vieux-Lille',
    extra: { photoUrls: ['https://fichiers.exemple/kl012/sdb.jpg'], estimatedDamage: '650.00' },
  },
  {
    clientIndex: 4,
    type: 'FIRE',
    daysAgo: 6,
    description: 'Début d’incendie dans le moteur sur l’autoroute.',
    location: 'A61, sortie Toulouse-Sud',
    extra: {
      policeReport: false,
      estimatedDamage: '9500.00',
      photoUrls: ['https://fichiers.exemple/op345/moteur.jpg'],
    },
  },
];

/** A prospect's click-to-call, as a partner web site publishes it (seed 2 CALL_REQUESTED). */
export const DEMO_CALL_REQUEST = {
  type: 'CALL_REQUESTED',
  source: 'CLICK_TO_CALL',
  email: 'sophie.lambert@exemple.fr',
  phone: '+33645789012',
  name: 'Sophie Lambert',
  intent: 'HABITATION',
  site_id: 'site-assureur',
  payload: {
    reason: 'case_complexity',
    visa_type: 'HABITATION',
    user_stage: 'devis',
    notes: 'Dégât des eaux chez son locataire : souhaite savoir qui déclare le sinistre',
  },
} as const;

export async function seedDemoData({
  gatewayUrl,
  jwtSecret,
  publishPartner,
}: {
  gatewayUrl: string;
  jwtSecret: string;
  /** puts a message in a partner's format on the partner inbound topic, keyed by `key` */
  publishPartner?: (message: Record<string, unknown>, key: string) => Promise<void>;
}): Promise<SeedResult> {
  const token = await issueUserToken(
    { sub: 'demo-supervisor', roles: ['advisor', 'supervisor'], name: 'Démo Superviseur' },
    { secret: jwtSecret, issuer: 'crm-idp', audience: 'crm-gateway' },
    7 * 24 * 3600,
  );
  async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const res = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
    if (body.errors?.length)
      throw new Error(`seeding failed: ${body.errors.map((e) => e.message).join('; ')}`);
    return body.data as T;
  }

  const existing = await gql<{ clients: { totalCount: number } }>('{ clients(first: 1) { totalCount } }');
  if (existing.clients.totalCount > 0) return { created: false, summary: '', token };

  const clients: { id: string; contractId: string }[] = [];
  for (const c of CLIENTS) {
    const { contract, ...input } = c;
    const { registerClient } = await gql<{ registerClient: { id: string } }>(
      'mutation($input: RegisterClientInput!) { registerClient(input: $input) { id } }',
      { input },
    );
    const { issueContract } = await gql<{ issueContract: { id: string } }>(
      'mutation($input: IssueContractInput!) { issueContract(input: $input) { id } }',
      {
        input: {
          clientId: registerClient.id,
          type: contract,
          subscribedOn: '2021-03-01',
          coverages:
            contract === 'AUTO'
              ? ['responsabilite_civile', 'dommages_collision', 'vol', 'incendie']
              : ['degats_des_eaux', 'vol', 'incendie', 'responsabilite_civile'],
          collisionDeductible: contract === 'AUTO' ? '300.00' : null,
          thirdPartyDeductible: '150.00',
          civilLiabilityCover: true,
          propertyDamageCover: true,
          thirdPartyCover: contract === 'AUTO',
        },
      },
    );
    clients.push({ id: registerClient.id, contractId: issueContract.id });
  }

  const advisors: string[] = [];
  for (const a of ADVISORS) {
    const { registerAdvisor } = await gql<{ registerAdvisor: { id: string } }>(
      'mutation($input: RegisterAdvisorInput!) { registerAdvisor(input: $input) { id } }',
      { input: a },
    );
    advisors.push(registerAdvisor.id);
  }

  const claims: string[] = [];
  for (const c of CLAIMS) {
    const client = clients[c.clientIndex]!;
    const { openClaim } = await gql<{ openClaim: { id: string } }>(
      'mutation($input: OpenClaimInput!) { openClaim(input: $input) { id } }',
      {
        input: {
          clientId: client.id,
          contractId: client.contractId,
          type: c.type,
          occurredAt: new Date(Date.now() - c.daysAgo * 86_400_000).toISOString(),
          description: c.description,
          location: c.location,
          ...c.extra,
        },
      },
    );
    claims.push(openClaim.id);
    for (const [role, text] of [
      ['BOT', 'Pouvez-vous m’expliquer brièvement ce qui s’est passé ?'],
      ['USER', c.description],
    ] as const) {
      await gql('mutation($input: AddClaimMessageInput!) { addClaimMessage(input: $input) { id } }', {
        input: { claimId: openClaim.id, role, text },
      });
    }
  }

  // the dossier lifecycle: claims in several states (the injury claim escalated by itself)
  const moves: [claim: number, statuses: string[], reason: string][] = [
    [0, ['IN_PROGRESS', 'VALIDATION'], 'Constat et photos reçus, montant validé'],
    [2, ['IN_PROGRESS', 'EXPERT_REVIEW'], 'Expertise du plafond en cours'],
    [3, ['AWAITING_CLIENT'], 'Liste des objets volés et factures demandées'],
    [4, ['IN_PROGRESS', 'VALIDATION', 'CLOSED'], 'Réparation payée, dossier clos'],
  ];
  for (const [index, statuses, reason] of moves) {
    // the lifecycle routes a claim when it is opened (issue 19): start after where it already is
    const { claim } = await gql<{ claim: { status: string } }>(
      'query($id: ID!) { claim(id: $id) { status } }',
      {
        id: claims[index],
      },
    );
    const from = statuses.indexOf(claim.status);
    for (const status of statuses.slice(from + 1)) {
      await gql('mutation($input: ChangeClaimStatusInput!) { changeClaimStatus(input: $input) { id } }', {
        input: { id: claims[index], status, reason },
      });
    }
  }

  // reimbursements in several states
  await gql('mutation($input: CreateReimbursementInput!) { createReimbursement(input: $input) { id } }', {
    input: { claimId: claims[0], amountClaimed: '1800.00', paymentMethod: 'BANK_TRANSFER' },
  });
  const accepted = await gql<{ createReimbursement: { id: string } }>(
    'mutation($input: CreateReimbursementInput!) { createReimbursement(input: $input) { id } }',
    { input: { claimId: claims[2], amountClaimed: '2400.00', paymentMethod: 'BANK_TRANSFER' } },
  );
  await gql('mutation($input: UpdateReimbursementInput!) { updateReimbursement(input: $input) { id } }', {
    input: {
      id: accepted.createReimbursement.id,
      status: 'ACCEPTED',
      amountAccepted: '2250.00',
      deductibleApplied: '150.00',
      // the contract's proposal, when the reimbursement service already read it, differs
      overrideReason: 'Vétusté du plafond retenue par l’expert',
    },
  });

  // the injury claim waits for an advisor; the fire claim is with Claire Martin
  await gql('mutation($input: EscalateClaimInput!) { escalateClaim(input: $input) { id } }', {
    input: { claimId: claims[1], clientId: clients[1]!.id, reasons: ['INJURIES'] },
  });
  const fire = await gql<{ escalateClaim: { id: string } }>(
    'mutation($input: EscalateClaimInput!) { escalateClaim(input: $input) { id } }',
    { input: { claimId: claims[5], clientId: clients[4]!.id, reasons: ['CCI_ABOVE_THRESHOLD'] } },
  );
  await gql('mutation($input: AssignEscalationInput!) { assignEscalation(input: $input) { id } }', {
    input: { escalationId: fire.escalateClaim.id, advisorId: advisors[0] },
  });

  // a prospect's call request from a partner site, through the partner inbound topic: claims
  // journals it in a case, escalation queues it; the seed waits for the entry
  let callRequests = 0;
  if (publishPartner) {
    const message = {
      ...DEMO_CALL_REQUEST,
      source_id: `demo-call-${Date.now()}`,
      timestamp: new Date().toISOString(),
    };
    // keyed as partners are asked to: the e-mail's digest, not the e-mail (docs/events.md)
    await publishPartner(message, partnerMessageKey(DEMO_CALL_REQUEST.email));
    const deadline = Date.now() + 20_000;
    for (;;) {
      const { casesByLead } = await gql<{ casesByLead: { escalation: { id: string } | null }[] }>(
        'query($email: String!) { casesByLead(email: $email) { escalation { id } } }',
        { email: DEMO_CALL_REQUEST.email },
      );
      if (casesByLead.some((c) => c.escalation)) break;
      if (Date.now() > deadline)
        throw new Error('seeding failed: the demo call request was not queued in 20 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    callRequests = 1;
  }

  return {
    created: true,
    summary: `${CLIENTS.length} clients with contracts, ${ADVISORS.length} advisors, ${CLAIMS.length} claims with messages, claims in progress, under expert review, awaiting the client, validated, closed and escalated, 2 reimbursements, ${2 + callRequests} escalations (${callRequests ? 'one a partner call request' : 'claims only'})`,
    token,
  };
}

/** A demo person's token, to try the graph as that person (npm start writes them to .data/dev-tokens.json). */
export interface DevToken {
  role: 'supervisor' | 'advisor' | 'client';
  id: string;
  name: string;
  /** the policyholder's matricule, for the bot */
  matricule?: string;
  token: string;
}

/**
 * Tokens for every demo person: the supervisor, each advisor, each policyholder (subject = his
 * client id), valid a week. Read through the gateway with the supervisor's token, so they match
 * whatever data the folder holds (fresh or kept from the last start).
 */
export async function devTokens({
  gatewayUrl,
  jwtSecret,
  supervisorToken,
}: {
  gatewayUrl: string;
  jwtSecret: string;
  supervisorToken: string;
}): Promise<DevToken[]> {
  const res = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${supervisorToken}` },
    body: JSON.stringify({
      query:
        '{ clients(first: 100) { edges { node { id matricule firstName lastName } } } advisors { id name } }',
    }),
  });
  const body = (await res.json()) as {
    data?: {
      clients: { edges: { node: { id: string; matricule: string; firstName: string; lastName: string } }[] };
      advisors: { id: string; name: string }[];
    };
    errors?: { message: string }[];
  };
  if (!body.data) throw new Error(`dev tokens: ${body.errors?.map((e) => e.message).join('; ')}`);
  const options = { secret: jwtSecret, issuer: 'crm-idp', audience: 'crm-gateway' };
  const week = 7 * 24 * 3600;
  const advisors = await Promise.all(
    body.data.advisors.map(async (a) => ({
      role: 'advisor' as const,
      id: a.id,
      name: a.name,
      token: await issueUserToken({ sub: a.id, roles: ['advisor'], name: a.name }, options, week),
    })),
  );
  const clients = await Promise.all(
    body.data.clients.edges.map(async ({ node: c }) => {
      const name = `${c.firstName} ${c.lastName}`;
      return {
        role: 'client' as const,
        id: c.id,
        name,
        matricule: c.matricule,
        token: await issueUserToken({ sub: c.id, roles: ['client'], name }, options, week),
      };
    }),
  );
  return [
    { role: 'supervisor', id: 'demo-supervisor', name: 'Démo Superviseur', token: supervisorToken },
    ...advisors,
    ...clients,
  ];
}

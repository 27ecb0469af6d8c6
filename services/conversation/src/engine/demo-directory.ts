// A small French directory for the offline chat, the benchmark and the tests. In the running
// service the same shape comes from the local projection of identity and claims events.
import type { DirectoryClient, DirectoryLookup } from './directory';

export const DEMO_DIRECTORY: readonly DirectoryClient[] = [
  {
    clientId: '7d1f3c2a-0b4e-4f6a-9c1d-2e3f4a5b6c01',
    matricule: 'AB-123-CD',
    civility: 'M.',
    lastName: 'Dupont',
    firstName: 'Jean',
    contracts: [
      {
        contractId: 'c0a80101-0000-4000-8000-000000000001',
        contractNumber: 'AUTO-2019-0042',
        type: 'auto',
        status: 'actif',
        startDate: '2019-03-15',
      },
      {
        contractId: 'c0a80101-0000-4000-8000-000000000002',
        contractNumber: 'HAB-2020-0117',
        type: 'habitation',
        status: 'actif',
        startDate: '2020-09-01',
      },
    ],
    claims: [],
  },
  {
    clientId: '7d1f3c2a-0b4e-4f6a-9c1d-2e3f4a5b6c02',
    matricule: 'MT-456-LR',
    civility: 'Mme',
    lastName: 'Martin',
    firstName: 'Sophie',
    contracts: [
      {
        contractId: 'c0a80101-0000-4000-8000-000000000003',
        contractNumber: 'HAB-2017-0881',
        type: 'habitation',
        status: 'actif',
        startDate: '2017-06-01',
      },
    ],
    claims: [
      {
        claimId: '5b2e9a10-0000-4000-8000-000000000001',
        claimNumber: 'SIN-2026-004211',
        claimType: 'degats',
        occurredOn: '2026-10-02',
        status: 'EXPERT_REVIEW',
      },
      {
        claimId: '5b2e9a10-0000-4000-8000-000000000002',
        claimNumber: 'SIN-2025-001877',
        claimType: 'vol',
        occurredOn: '2025-04-11',
        status: 'CLOSED',
      },
    ],
  },
  {
    clientId: '7d1f3c2a-0b4e-4f6a-9c1d-2e3f4a5b6c03',
    matricule: 'LB-789-EF',
    civility: 'M.',
    lastName: 'Lefèvre',
    firstName: 'Karim',
    contracts: [
      {
        contractId: 'c0a80101-0000-4000-8000-000000000004',
        contractNumber: 'AUTO-2023-1290',
        type: 'auto',
        status: 'actif',
        startDate: '2023-01-20',
      },
    ],
    claims: [
      {
        claimId: '5b2e9a10-0000-4000-8000-000000000003',
        claimNumber: 'SIN-2026-003050',
        claimType: 'collision',
        occurredOn: '2026-08-14',
        status: 'AWAITING_CLIENT',
      },
    ],
  },
];

const BY_MATRICULE = new Map(DEMO_DIRECTORY.map((c) => [c.matricule, c]));

export const demoLookup: DirectoryLookup = (matricule) => BY_MATRICULE.get(matricule) ?? null;

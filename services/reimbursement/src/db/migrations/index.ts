import { CreateRemboursements1763900000000 } from './1763900000000-CreateRemboursements';
import { CreateSinistresConnus1763900001000 } from './1763900001000-CreateSinistresConnus';

/** In order; appended after the event backbone's by startService. */
export const REIMBURSEMENT_MIGRATIONS = [
  CreateRemboursements1763900000000,
  CreateSinistresConnus1763900001000,
];

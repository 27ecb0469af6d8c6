// Seed 2, section 2: a lead is keyed by its lower-case e-mail, its phone is E.164 and its
// name is "normalisé". The rules themselves live in @crm/contact, so that claims (which
// ingests partner events) and identity (which upserts the lead) compute the same key.
import { normalizeEmail, normalizePersonName, normalizePhone } from '@crm/contact';

export interface LeadIdentity {
  email: string;
  phone: string | null;
  name: string | null;
}

/** The lead of a partner message, or null when its e-mail cannot be a lead key. */
export function normalizeLead(raw: {
  email: string;
  phone?: string | null;
  name?: string | null;
}): LeadIdentity | null {
  const email = normalizeEmail(raw.email);
  if (email === null) return null;
  return {
    email,
    phone: raw.phone ? normalizePhone(raw.phone) : null,
    name: raw.name ? normalizePersonName(raw.name) : null,
  };
}

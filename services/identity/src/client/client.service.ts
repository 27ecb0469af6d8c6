import { randomUUID } from 'node:crypto';
import { assertNotStale, audited, pageSize, ValidationError, type PageArgs } from '@crm/subgraph';
import type { AuditRow } from '@crm/db';
import type { AuditFieldChangeView, AuditNotes, Caller } from '@crm/subgraph';
import { isUniqueViolation } from '../shared/command';
import type { IdentityDeps } from '../shared/deps';
import { ContractRepository } from '../contract/contract.repository';
import { leadErased } from '../lead/lead.events';
import { LeadRepository } from '../lead/lead.repository';
import { caseChunks } from '../lead/lead.rules';
import { PinRepository } from '../pin/pin.repository';
import type { ClientEntity } from './client.entity';
import { clientErased, clientRegistered, clientUpdated } from './client.events';
import { ClientRepository, MATRICULE_UNIQUE, type ClientPage } from './client.repository';
import { applyClientPatch, CLIENT_PATCHABLE_FIELDS, eraseClient, newClient } from './client.rules';
import { normalizeMatricule, type RegisterClient, type UpdateClient } from './client.inputs';
import { identityError, notFound } from '../errors';

/** What a registration's audit record keeps the values of (those given). */
const REGISTERED_FIELDS = ['matricule', ...CLIENT_PATCHABLE_FIELDS] as const;

export class ClientService {
  constructor(
    private readonly deps: IdentityDeps,
    private readonly clients = new ClientRepository(deps.dataSource.manager, deps.vault),
    private readonly contracts = new ContractRepository(deps.dataSource.manager),
    private readonly leads = new LeadRepository(deps.dataSource.manager, deps.vault),
    private readonly pins = new PinRepository(deps.dataSource.manager),
  ) {}

  findByIds(ids: readonly string[]): Promise<ClientEntity[]> {
    return this.clients.findByIds(ids);
  }

  /** GET /api/v1/clients/:matricule; the matricule is read in any usual spelling. */
  findByMatricule(raw: string): Promise<ClientEntity | null> {
    const matricule = normalizeMatricule(raw);
    if (matricule === null)
      throw new ValidationError([
        { field: 'matricule', message: 'must be two letters, three digits, two letters (AB-123-CD)' },
      ]);
    return this.clients.findByMatricule(matricule);
  }

  page(args: PageArgs): Promise<ClientPage> {
    return this.clients.page(pageSize(args), args.after ?? null);
  }

  /**
   * POST /api/v1/clients. `audit`: the request's notes, which get the fields given (new values
   * sealed under the new client's key) once the registration has committed.
   */
  async register(command: RegisterClient, caller: Caller, audit?: AuditNotes): Promise<ClientEntity> {
    const now = this.deps.clock();
    const client = newClient(command, randomUUID(), now);
    try {
      return await audited(audit, this.deps.dataSource, async (manager) => {
        const inserted = await this.clients.insert(manager, client);
        await this.deps.outbox.publish(manager, clientRegistered(client, caller));
        const given = REGISTERED_FIELDS.filter((field) => client[field] !== null);
        return {
          result: inserted,
          entityId: client.id,
          seal: () => this.clients.sealChanges({}, client, given, manager),
        };
      });
    } catch (err) {
      if (isUniqueViolation(err, MATRICULE_UNIQUE))
        throw identityError('CLIENT.MATRICULE_TAKEN', `matricule ${client.matricule} is already registered`, {
          matricule: client.matricule,
        });
      throw err;
    }
  }

  /** PUT /api/v1/clients/:id: absent fields stay, null clears; no change, no write, no event. */
  /**
   * Changes the given fields. `audit`: the request's notes, which get the changed fields with
   * their old and new values sealed under the client's key, once the change has committed.
   */
  async update(command: UpdateClient, caller: Caller, audit?: AuditNotes): Promise<ClientEntity> {
    const now = this.deps.clock();
    const { id: rawId, expectedUpdatedAt, ...patch } = command;
    const id = rawId.toLowerCase();
    return audited(audit, this.deps.dataSource, async (manager) => {
      const current = await this.clients.findForUpdate(manager, id);
      if (!current) throw notFound('client', id);
      assertNotStale(expectedUpdatedAt, current.updatedAt, { entity: 'client', id });
      const { next, changedFields } = applyClientPatch(current, patch, now);
      if (changedFields.length === 0) return { result: current, entityId: id };
      const written = await this.clients.update(manager, next);
      await this.deps.outbox.publish(manager, clientUpdated(next, changedFields, caller));
      return {
        result: written,
        entityId: id,
        seal: () => this.clients.sealChanges(current, next, changedFields, manager),
      };
    });
  }

  /** Client.auditTrail: the sealed changes of these records, opened (one key query). */
  revealAuditChanges(records: readonly AuditRow[]): Promise<Map<number, AuditFieldChangeView[]>> {
    return this.clients.revealChanges(records);
  }

  /**
   * DELETE /api/v1/clients/:id (RGPD): shreds the client's data key, so the personal data the
   * row still holds (encrypted) can no longer be read (see client.rules.ts, the README and
   * docs/privacy.md), deletes the lead that shares the client's e-mail and the personal code's
   * hash, and tells the other services to drop their copies: ClientErased, with the first cases
   * of that lead (leadCaseIds), and one LeadErased per further chunk of them. Erasing an erased
   * client changes nothing.
   */
  async erase(id: string, caller: Caller): Promise<ClientEntity> {
    const now = this.deps.clock();
    let erasedLead: string | null = null;
    const result = await this.deps.dataSource.transaction(async (manager) => {
      const current = await this.clients.findForUpdate(manager, id);
      if (!current) throw notFound('client', id);
      if (current.status === 'ERASED') return current;
      const erased = eraseClient(current, now);
      const contractIds = await this.contracts.idsOfClient(manager, id);
      // the data key is shredded with the status change: the row's ciphertexts become unreadable
      const saved = await this.clients.markErased(manager, erased);
      // the lead of his e-mail goes, its own key shredded with it; its cases are read first
      const { email } = current;
      const lead = email === null ? null : await this.leads.erase(manager, email);
      erasedLead = lead?.id ?? null;
      // the personal code's hash goes too; ClientErased makes the bot's directory drop its copy
      await this.pins.delete(manager, id);
      const [firstCases = [], ...moreCases] = caseChunks(lead?.caseIds ?? []);
      await this.deps.outbox.publish(manager, [
        clientErased(erased, contractIds, firstCases, email, caller),
        // a lead with more cases than ClientErased holds: the others, as erasures of that lead
        ...(lead && email !== null
          ? moreCases.map((caseIds) =>
              leadErased(lead.id, email, caseIds, erased.id, caller, erased.updatedAt),
            )
          : []),
      ]);
      return saved;
    });
    // a read between the shred and the commit may have cached the key again
    this.deps.vault.forget(id);
    if (erasedLead !== null) this.deps.vault.forget(erasedLead);
    return result;
  }
}

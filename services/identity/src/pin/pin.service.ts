// setClientPin: sets, changes or removes a client's personal code. One transaction: the client
// row locked, the hash written (or deleted), ClientPinChanged in the outbox. The code is hashed
// here and forgotten; it is never logged, stored or returned (docs/security.md).
import type { FieldChange } from '@crm/db';
import { audited, ValidationError, type AuditNotes, type Caller } from '@crm/subgraph';
import type { EntityManager } from 'typeorm';
import { ClientRepository } from '../client/client.repository';
import type { ClientEntity } from '../client/client.entity';
import { assertNotErased } from '../client/client.rules';
import { notFound } from '../errors';
import type { IdentityDeps } from '../shared/deps';
import { hashPin } from './pin.hash';
import { clientPinChanged } from './pin.events';
import type { SetClientPin } from './pin.inputs';
import { PinRepository } from './pin.repository';
import { pinPresence, weakPinReason, type PinPresence } from './pin.rules';

export class PinService {
  constructor(
    private readonly deps: IdentityDeps,
    private readonly clients = new ClientRepository(deps.dataSource.manager, deps.vault),
    private readonly pins = new PinRepository(deps.dataSource.manager),
    private readonly hash: (pin: string) => Promise<string> = hashPin,
  ) {}

  /** For Client.hasPin (one query per request through its loader). */
  async hasPin(clientIds: readonly string[]): Promise<boolean[]> {
    const withPin = await this.pins.withPin(clientIds);
    return clientIds.map((id) => withPin.has(id.toLowerCase()));
  }

  /**
   * Removing a code the client does not have changes nothing and publishes nothing. `audit`:
   * the request's notes, which get `pin` as 'set' or 'none' before and after (never the code),
   * sealed under the client's key, once the change has committed.
   */
  async set(command: SetClientPin, caller: Caller, audit?: AuditNotes): Promise<ClientEntity> {
    const now = this.deps.clock();
    const id = command.clientId.toLowerCase();
    return audited(audit, this.deps.dataSource, async (manager) => {
      const client = await this.clients.findForUpdate(manager, id);
      if (!client) throw notFound('client', id);
      assertNotErased(client);
      // the record's entity is the result's id (the input names it clientId)
      const answer = { result: client, entityId: client.id };
      if (command.pin === null) {
        if (!(await this.pins.delete(manager, id))) return answer;
        await this.deps.outbox.publish(manager, clientPinChanged(id, null, now, caller));
        return { ...answer, seal: () => this.sealChange(client.id, 'set', 'none', manager) };
      }
      const weak = weakPinReason(command.pin, client.birthDate);
      if (weak) throw new ValidationError([{ field: 'pin', message: weak }]);
      const pinHash = await this.hash(command.pin);
      // a code replaced is a change too: 'set' -> 'set'
      const had = audit ? await this.pins.has(manager, id) : false;
      await this.pins.upsert(manager, id, pinHash, now);
      await this.deps.outbox.publish(manager, clientPinChanged(id, pinHash, now, caller));
      return { ...answer, seal: () => this.sealChange(client.id, pinPresence(had), 'set', manager) };
    });
  }

  /** `pin`, before and after, sealed under the client's key (live: an erased client was refused). */
  private sealChange(
    clientId: string,
    before: PinPresence,
    after: PinPresence,
    tx: EntityManager,
  ): Promise<Record<string, FieldChange>> {
    return this.clients.sealOtherChanges<{ pin: PinPresence }>(
      clientId,
      { pin: before },
      { pin: after },
      ['pin'],
      tx,
    );
  }
}

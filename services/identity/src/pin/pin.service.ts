// setClientPin: sets, changes or removes a client's personal code. One transaction: the client
// row locked, the hash written (or deleted), ClientPinChanged in the outbox. The code is hashed
// here and forgotten; it is never logged, stored or returned (docs/security.md).
import { ValidationError, type Caller } from '@crm/subgraph';
import { ClientRepository } from '../client/client.repository';
import type { ClientEntity } from '../client/client.entity';
import { assertNotErased } from '../client/client.rules';
import { notFound } from '../errors';
import type { IdentityDeps } from '../shared/deps';
import { hashPin } from './pin.hash';
import { clientPinChanged } from './pin.events';
import type { SetClientPin } from './pin.inputs';
import { PinRepository } from './pin.repository';
import { weakPinReason } from './pin.rules';

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

  /** Removing a code the client does not have changes nothing and publishes nothing. */
  async set(command: SetClientPin, caller: Caller): Promise<ClientEntity> {
    const now = this.deps.clock();
    const id = command.clientId.toLowerCase();
    return this.deps.dataSource.transaction(async (manager) => {
      const client = await this.clients.findForUpdate(manager, id);
      if (!client) throw notFound('client', id);
      assertNotErased(client);
      if (command.pin === null) {
        if (await this.pins.delete(manager, id))
          await this.deps.outbox.publish(manager, clientPinChanged(id, null, now, caller));
        return client;
      }
      const weak = weakPinReason(command.pin, client.birthDate);
      if (weak) throw new ValidationError([{ field: 'pin', message: weak }]);
      const pinHash = await this.hash(command.pin);
      await this.pins.upsert(manager, id, pinHash, now);
      await this.deps.outbox.publish(manager, clientPinChanged(id, pinHash, now, caller));
      return client;
    });
  }
}

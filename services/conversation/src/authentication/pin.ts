// Checking a personal code against its argon2id hash (@node-rs/argon2: a maintained binding,
// prebuilt binaries, the work done off the event loop). A matricule nobody holds is checked
// against a dummy hash made with identity's parameters (services/identity/src/pin/pin.hash.ts),
// so that it takes the time of a wrong code: the answer's timing tells nothing either. The cost
// of a check is set by the parameters the hash carries, so "same time" is proven by what is
// checked (pin.spec.ts), not by a stopwatch that a busy machine would make lie.
import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/** identity's PIN_HASH_OPTIONS: change both together. */
export const PIN_HASH_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** argon2's check of `pin` against a PHC string (injected in unit tests). */
export type VerifyHash = (phc: string, pin: string) => Promise<boolean>;

export class PinVerifier {
  private readonly dummy: Promise<string>;

  constructor(private readonly check: VerifyHash = verify) {
    // made once per instance, at start: the first unknown matricule is not slower than the next
    this.dummy = hash(randomBytes(16).toString('hex'), PIN_HASH_OPTIONS);
    this.dummy.catch(() => undefined);
  }

  /**
   * True only when `pinHash` is the hash of `pin`. Null (a matricule nobody holds, or a client
   * without a code) is checked against the dummy hash and is always false.
   */
  async verify(pinHash: string | null, pin: string): Promise<boolean> {
    const target = pinHash ?? (await this.dummy);
    const matches = await this.check(target, pin).catch(() => false);
    return pinHash !== null && matches;
  }
}

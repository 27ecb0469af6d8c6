// The code's hash: argon2id through @node-rs/argon2 (a maintained binding with prebuilt
// binaries), at OWASP's recommended cost (19 MiB, 2 passes, 1 lane). The conversation service
// checks the code with the same parameters (services/conversation/src/authentication/pin.ts):
// change both together, or an unknown matricule would no longer take the time of a wrong code.
import { hash } from '@node-rs/argon2';

export const PIN_HASH_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** A PHC string ($argon2id$v=19$m=19456,t=2,p=1$salt$hash) with a fresh random salt. */
export const hashPin = (pin: string): Promise<string> => hash(pin, PIN_HASH_OPTIONS);

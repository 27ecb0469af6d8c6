// The package's failures, each with a stable code. Messages name subjects (random ids) and key
// ids, never a value, a key or a ciphertext.

/** A ciphertext or a wrapped key that does not authenticate: tampered, truncated, or read with the wrong context. */
export class CiphertextError extends Error {
  readonly code = 'PRIVACY.CIPHERTEXT_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'CiphertextError';
  }
}

/** A write for a person whose key was shredded: nothing new may be stored about an erased person. */
export class SubjectErasedError extends Error {
  readonly code = 'PRIVACY.SUBJECT_ERASED';
  constructor(readonly subject: string) {
    super(`the data key of subject ${subject} was shredded`);
    this.name = 'SubjectErasedError';
  }
}

/** A data key wrapped under a master key id this process is not configured with. */
export class MasterKeyUnknownError extends Error {
  readonly code = 'PRIVACY.MASTER_KEY_UNKNOWN';
  constructor(readonly masterKeyId: string) {
    super(`master key "${masterKeyId}" is not configured (PRIVACY_MASTER_KEY or PRIVACY_MASTER_KEY_FILE)`);
    this.name = 'MasterKeyUnknownError';
  }
}

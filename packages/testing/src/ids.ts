import { randomBytes } from 'node:crypto';

/** A short random suffix; names built from it never collide across parallel test files. */
export const randomSuffix = (bytes = 4): string => randomBytes(bytes).toString('hex');

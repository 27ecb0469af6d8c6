// Types for postgres.mjs (plain ESM so the test runner needs no compilation).
export function pgAnswers(url: string, timeoutMs?: number): Promise<string | undefined>;
export function startEmbedded(options: {
  dir: string;
  port: number;
  user?: string;
  password?: string;
  /** the caller stops it on SIGINT/SIGTERM itself: the package's exit hook is taken off signals */
  callerHandlesSignals?: boolean;
}): Promise<{ url: string; stop: () => Promise<void>; reused: boolean; pid?: number }>;
export function resolvePostgres(options: {
  env?: NodeJS.ProcessEnv;
  embeddedDir: string;
  embeddedPort?: number;
}): Promise<{ url: string; origin: 'configured' | 'local' | 'embedded'; stop: () => Promise<void> }>;

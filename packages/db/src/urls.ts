/** The same server and credentials as `url`, another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

export function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!name) throw new Error(`the URL names no database: ${redactUrl(url)}`);
  return name;
}

/** For logs and errors: the URL without its password. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Database names are interpolated into DDL, so only plain identifiers are accepted. */
export function assertIdentifier(name: string): string {
  if (!IDENTIFIER.test(name))
    throw new Error(`not a plain lower-case SQL identifier: ${JSON.stringify(name)}`);
  return name;
}

// The advisor's token: from the URL fragment (#token=...) once, then sessionStorage. Its payload
// is read for display only (the gateway verifies it); the token itself is never logged.
const KEY = 'crm.console.token';

export interface Identity {
  sub: string;
  name: string;
  roles: string[];
  exp?: number;
}

export function takeTokenFromUrl(): string | null {
  const hash = window.location.hash.replace(/^#/, '');
  const token = new URLSearchParams(hash).get('token');
  if (!token) return null;
  sessionStorage.setItem(KEY, token);
  // the token leaves the address bar (history, screenshots, referrers)
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
  return token;
}

export function storedToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function storeToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(KEY);
}

/** The payload of a JWT (base64url JSON); null when it is not one. */
export function decodeIdentity(token: string): Identity | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const base64 = part
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(part.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const payload = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
    if (typeof payload['sub'] !== 'string') return null;
    return {
      sub: payload['sub'],
      name: typeof payload['name'] === 'string' ? payload['name'] : payload['sub'],
      roles: Array.isArray(payload['roles'])
        ? payload['roles'].filter((r): r is string => typeof r === 'string')
        : [],
      exp: typeof payload['exp'] === 'number' ? payload['exp'] : undefined,
    };
  } catch {
    return null;
  }
}

/**
 * Where the login returns to (`/login?next=/alerts/al_…`): only a path on this console, never another site. A link
 * in a notification opens the alert page; without a session the console sends the browser to the login with that
 * page as `next`, and after the login back to it. Anything that a browser could resolve to another origin — `//host`,
 * `/\host` (browsers read a backslash as a slash), `https://host`, control characters or whitespace that browsers
 * strip before resolving — is refused, so the login can never be used as an open redirect.
 */
const ORIGIN = 'http://console.invalid';

/** The same-origin path (path, query and fragment) `next` names, or null when it is not one (the caller goes home). */
export function safeNextPath(next: unknown): string | null {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2000) return null;
  if (!next.startsWith('/') || next.startsWith('//')) return null;
  // Backslashes, control characters and whitespace: browsers normalise them in ways that can reach another host.
  if (/[\\\s\u0000-\u001f\u007f]/.test(next)) return null;
  let u: URL;
  try { u = new URL(next, ORIGIN); } catch { return null; }
  if (u.origin !== ORIGIN) return null;
  // Back to the login or the logout would only loop.
  if (u.pathname === '/login' || u.pathname === '/logout') return null;
  return u.pathname + u.search + u.hash;
}

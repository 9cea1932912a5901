/** The header that carries a console session id to alerts' session routes (never a cookie of theirs, never a URL). */
export const SESSION_HEADER = 'x-paywatch-session';

/** The session cookie: httpOnly, SameSite=Lax, Secure (and __Host-) when served over https. */
export function sessionCookieName(publicUrl: URL): string {
  return publicUrl.protocol === "https:" ? "__Host-causeway_session" : "causeway_session";
}

export function sessionCookie(publicUrl: URL, token: string, expires: Date): string {
  const secure = publicUrl.protocol === "https:" ? "; Secure" : "";
  return `${sessionCookieName(publicUrl)}=${token}; Path=/; HttpOnly; SameSite=Lax; Expires=${expires.toUTCString()}${secure}`;
}

export function clearSessionCookie(publicUrl: URL): string {
  return sessionCookie(publicUrl, "", new Date(0));
}

export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

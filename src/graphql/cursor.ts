/** An opaque page cursor: a JSON tuple (what kind of list, then the position), base64url-encoded. */
export function encodeCursor(parts: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(parts)).toString("base64url");
}

/** The tuple inside a cursor made by `encodeCursor`; an empty tuple for anything else. */
export function cursorParts(cursor: string): unknown[] {
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    return Array.isArray(parts) ? parts : [];
  } catch {
    return [];
  }
}

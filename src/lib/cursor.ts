import { ApiError } from "./errors";

/** A keyset position: the (createdAt, id) of the last row the client saw. Opaque to clients. */
export interface Cursor {
  createdAt: number;
  id: string;
}

export function encodeCursor(c: Cursor): string {
  return btoa(JSON.stringify([c.createdAt, c.id])).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Decodes a cursor or throws a 400 naming the `cursor` parameter. */
export function decodeCursor(raw: string): Cursor {
  try {
    const json = atob(raw.replace(/-/g, "+").replace(/_/g, "/"));
    const value: unknown = JSON.parse(json);
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      Number.isSafeInteger(value[0]) &&
      typeof value[1] === "string" &&
      value[1].length > 0
    ) {
      return { createdAt: value[0] as number, id: value[1] };
    }
  } catch {
    // fall through to the 400 below
  }
  throw new ApiError("invalid_request", "The cursor is not one this API returned.", {
    details: [{ path: "cursor", message: "unparseable cursor" }],
  });
}

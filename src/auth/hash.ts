const encoder = new TextEncoder();

function toHex(buf: ArrayBuffer): string {
  return [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The stored form of an API key: SHA-256, or HMAC-SHA-256 with `pepper` when the deployment sets one, so a
 * leaked KV or D1 copy cannot be used to authenticate and (with a pepper) cannot be brute-forced offline.
 */
export async function hashKey(key: string, pepper?: string): Promise<string> {
  if (!pepper) return toHex(await crypto.subtle.digest("SHA-256", encoder.encode(key)));
  const hmacKey = await crypto.subtle.importKey("raw", encoder.encode(pepper), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return toHex(await crypto.subtle.sign("HMAC", hmacKey, encoder.encode(key)));
}

/** Compares two secrets in time independent of where they differ (both are hashed first, so lengths match). */
export async function timingSafeEqualText(a: string, b: string): Promise<boolean> {
  const [ha, hb] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(a)),
    crypto.subtle.digest("SHA-256", encoder.encode(b)),
  ]);
  const x = new Uint8Array(ha);
  const y = new Uint8Array(hb);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0;
}

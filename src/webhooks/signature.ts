import { Webhook, WebhookVerificationError } from "standardwebhooks";

const SECRET_PREFIX = "whsec_";

/** A new signing secret: `whsec_` + base64 of 32 random bytes (the HMAC key is the decoded bytes). */
export function newWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return SECRET_PREFIX + btoa(String.fromCharCode(...bytes));
}

export type VerifyResult = { ok: true; id: string } | { ok: false; reason: string };

/**
 * Checks a delivery with the Standard Webhooks scheme on the raw body, before anything parses it: HMAC-SHA256
 * over `id.timestamp.body`, constant-time comparison, any one of several space-separated `v1,` signatures
 * (secret rotation), timestamp within 5 minutes either way.
 */
export function verifyDelivery(secret: string, rawBody: string, headers: Headers): VerifyResult {
  const id = headers.get("webhook-id") ?? "";
  const wanted = {
    "webhook-id": id,
    "webhook-timestamp": headers.get("webhook-timestamp") ?? "",
    "webhook-signature": headers.get("webhook-signature") ?? "",
  };
  if (!/^\d{1,12}$/.test(wanted["webhook-timestamp"]) && wanted["webhook-timestamp"] !== "") {
    return { ok: false, reason: "webhook-timestamp must be Unix seconds" };
  }
  try {
    new Webhook(secret).verify(rawBody, wanted, { jsonParse: false });
    return { ok: true, id };
  } catch (err) {
    if (err instanceof WebhookVerificationError) return { ok: false, reason: err.message };
    throw err;
  }
}

/** Signs a delivery as a sender would (used by tests and `npm run webhook:send`). */
export function signDelivery(secret: string, id: string, timestampSeconds: number, rawBody: string): string {
  return new Webhook(secret).sign(id, new Date(timestampSeconds * 1000), rawBody);
}

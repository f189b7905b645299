/**
 * `npm run webhook:send -- <url> <secret> <body>`: signs a delivery the way a sender must (Standard Webhooks:
 * HMAC-SHA256 over "<id>.<timestamp>.<body>" with the base64-decoded part of whsec_…) and posts it.
 * <body> is JSON text, or @file to read it from a file. Prints the status and the answer.
 *
 * Example:
 *   npm run webhook:send -- http://localhost:8787/api/webhooks/wh_…/eval-ready whsec_… '{"externalIds":["claude-7f3a"],"evalStatus":"golden"}'
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { signDelivery } from "../src/webhooks/signature";

const [url, secret, bodyArg] = process.argv.slice(2);
if (!url || !secret || !bodyArg) {
  console.error("usage: npm run webhook:send -- <delivery url> <whsec_ secret> <JSON body | @file>");
  process.exit(2);
}
const body = bodyArg.startsWith("@") ? readFileSync(bodyArg.slice(1), "utf8") : bodyArg;
try {
  JSON.parse(body);
} catch {
  console.error("The body is not valid JSON.");
  process.exit(2);
}
const id = process.env.WEBHOOK_ID || `msg_${randomUUID()}`;
const timestamp = Math.floor(Date.now() / 1000);
const signature = signDelivery(secret, id, timestamp, body);
const res = await fetch(url, {
  method: "POST",
  headers: {
    "content-type": "application/json",
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signature,
  },
  body,
});
console.log(`${res.status} ${res.statusText} (webhook-id ${id})`);
console.log(await res.text());
process.exit(res.ok ? 0 : 1);

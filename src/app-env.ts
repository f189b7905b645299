import type { KeyRecord } from "./auth/keys";
import type { Db } from "./db/client";
import type { WebSession } from "./web/session";

/** Secrets are not in wrangler.toml, so `wrangler types` only knows them from a local .dev.vars: declare them here. */
export interface Secrets {
  /** Bearer token of the admin routes; without it they answer 404. */
  ADMIN_TOKEN?: string;
  /** Optional HMAC pepper for stored key hashes; set it before creating keys, changing it invalidates them all. */
  KEY_PEPPER?: string;
}

export type Bindings = Omit<Env, "ADMIN_TOKEN"> & Secrets;

export interface AppEnv {
  Bindings: Bindings;
  Variables: {
    requestId: string;
    db: Db;
    auth: KeyRecord;
    /** The signed-in browser's session, on web pages only. */
    web: WebSession;
    /** Content-Security-Policy nonce, set by hono's secureHeaders on web pages. */
    secureHeadersNonce?: string;
  };
}

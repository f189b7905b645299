/**
 * The browser suites' API client: `fetch` against the suite's wrangler dev with the workspace's key, JSON bodies
 * typed as such. `key` is read at each call (the suites create it in beforeAll).
 */
export function apiClient(base: string, key: () => string) {
  return (path: string, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${key()}`);
    if (init.body) headers.set("content-type", "application/json");
    return fetch(`${base}${path}`, { ...init, headers });
  };
}

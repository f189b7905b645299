import type { Child } from "hono/jsx";
import { raw } from "hono/html";
import type { WebSession } from "./session";

interface LayoutProps {
  title: string;
  web?: WebSession;
  current?: "sessions" | "evals" | "datasets";
  /** The review workbench uses the whole width: conversation and label panel side by side. */
  wide?: boolean;
  children?: Child;
}

/** Every page's frame: one stylesheet and one script from the Worker (the CSP allows nothing inline). */
export function Layout({ title, web, current, wide, children }: LayoutProps) {
  return (
    <>
      {raw("<!DOCTYPE html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light dark" />
          <title>{`${title} · evalport`}</title>
          {/* No favicon request (and no 404 for it on every page). */}
          <link rel="icon" href="data:," />
          <link rel="stylesheet" href="/assets/app.css" />
          <script src="/assets/app.js" defer></script>
        </head>
        <body>
          <header class="top">
            <a class="brand" href={web ? "/sessions" : "/"}>evalport</a>
            {web && (
              <nav aria-label="Main">
                <a href="/sessions" aria-current={current === "sessions" ? "page" : undefined}>Sessions</a>
                <a href="/evals" aria-current={current === "evals" ? "page" : undefined}>Evals</a>
                <a href="/datasets" aria-current={current === "datasets" ? "page" : undefined}>Datasets</a>
              </nav>
            )}
            {web && (
              <div class="who">
                <span>
                  Workspace <strong>{web.workspace}</strong>
                </span>
                <form method="post" action="/signout">
                  <input type="hidden" name="_csrf" value={web.csrf} />
                  <button type="submit">Sign out</button>
                </form>
              </div>
            )}
          </header>
          <main id="main" class={wide ? "wide" : undefined}>
            {children}
          </main>
        </body>
      </html>
    </>
  );
}

/** A whole page that only says something: errors, missing scopes, not found. */
export function MessagePage({ title, message, web }: { title: string; message: string; web?: WebSession }) {
  return (
    <Layout title={title} web={web}>
      <h1>{title}</h1>
      <p class="error" role="alert">{message}</p>
      <p>
        <a href={web ? "/sessions" : "/"}>{web ? "Back to sessions" : "Sign in"}</a>
      </p>
    </Layout>
  );
}

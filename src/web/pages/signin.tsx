import { Layout } from "../layout";

/** The sign-in form: an API key in, a server-side session out; the key never comes back to the page. */
export function SignInPage({ csrf, error, next }: { csrf: string; error?: string; next?: string }) {
  return (
    <Layout title="Sign in">
      <form class="signin" method="post" action="/signin">
        <h1>Sign in to evalport</h1>
        {next && <p class="notice">Sign in to continue where you were; anything you were typing on a review page is kept in this browser.</p>}
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <input type="hidden" name="_csrf" value={csrf} />
        {next && <input type="hidden" name="next" value={next} />}
        <label>
          API key
          <input type="password" name="key" autocomplete="off" required placeholder="osk_…" spellcheck={false} />
        </label>
        <button class="primary" type="submit">Sign in</button>
        <p class="muted">
          The key is exchanged for a session cookie and is not stored in this browser. Create one with{" "}
          <code>npm run keys -- create --workspace &lt;name&gt;</code>.
        </p>
      </form>
    </Layout>
  );
}

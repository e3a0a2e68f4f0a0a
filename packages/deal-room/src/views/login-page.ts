import { html } from "./html";
import { layout } from "./layout";

export function loginPage(error: string | null) {
  return layout(
    "Sign in",
    null,
    html`<h1>Sign in</h1>
      <p>The deal room shows one tenant's accounts, deals and risks. Sign in with one of the tenant's API keys.</p>
      ${error ? html`<p class="sev sev-high" role="alert">${error}</p>` : null}
      <form method="post" action="/login">
        <label>API key <input type="password" name="api_key" autocomplete="off" required size="50" /></label>
        <button type="submit">Sign in</button>
      </form>`,
  );
}

// Sign-in: a bearer token for the API, kept in sessionStorage for this tab only.
// Development: any user id, from POST /api/dev/token (which exists only in Development).
// Entra: the authorization-code flow with PKCE (RFC 7636), done with fetch and WebCrypto.

const tokenKey = "runstrength.token";
const pkceKey = "runstrength.pkce";

export function currentToken() {
  const saved = JSON.parse(sessionStorage.getItem(tokenKey) ?? "null");
  if (!saved || saved.expiresAt <= Date.now() + 60_000) {
    return null;
  }
  return saved;
}

export function signOut() {
  sessionStorage.removeItem(tokenKey);
}

function remember(accessToken, expiresIn, user) {
  const token = { accessToken, expiresAt: Date.now() + expiresIn * 1000, user };
  sessionStorage.setItem(tokenKey, JSON.stringify(token));
  return token;
}

export async function developmentSignIn(userId) {
  const response = await fetch("/api/dev/token", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ userId }),
  });
  const body = await response.json();
  if (!response.ok) {
    throw Object.assign(new Error(body.detail ?? "Sign-in failed."), { problem: body });
  }
  return remember(body.accessToken, body.expiresIn, userId);
}

function base64Url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function redirectUri() {
  return `${location.origin}/`;
}

export async function entraSignIn(entra) {
  const verifier = base64Url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64Url(crypto.getRandomValues(new Uint8Array(16)));
  const challenge = base64Url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  sessionStorage.setItem(pkceKey, JSON.stringify({ verifier, state }));
  const url = new URL(entra.authorizeEndpoint);
  url.search = new URLSearchParams({
    client_id: entra.clientId,
    response_type: "code",
    response_mode: "query",
    redirect_uri: redirectUri(),
    scope: `openid profile ${entra.scope}`,
    code_challenge: challenge,
    code_challenge_method: "S256",
    state,
  }).toString();
  location.assign(url.toString());
}

/** After Entra redirects back to / with ?code=&state=: exchange the code for a token. */
export async function completeEntraSignIn(entra) {
  const query = new URLSearchParams(location.search);
  if (!query.has("code") && !query.has("error")) {
    return null;
  }
  history.replaceState(null, "", "/");
  const pending = JSON.parse(sessionStorage.getItem(pkceKey) ?? "null");
  sessionStorage.removeItem(pkceKey);
  if (query.has("error")) {
    throw new Error(query.get("error_description") ?? query.get("error"));
  }
  if (!pending || pending.state !== query.get("state")) {
    throw new Error("The sign-in answer does not match the request; please sign in again.");
  }
  const response = await fetch(entra.tokenEndpoint, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      client_id: entra.clientId,
      grant_type: "authorization_code",
      code: query.get("code"),
      redirect_uri: redirectUri(),
      code_verifier: pending.verifier,
      scope: `openid profile ${entra.scope}`,
    }),
  });
  const body = await response.json();
  if (!response.ok) {
    throw new Error(body.error_description ?? "Sign-in failed.");
  }
  const claims = JSON.parse(atob(body.id_token?.split(".")[1]?.replaceAll("-", "+").replaceAll("_", "/") ?? "e30="));
  return remember(body.access_token, body.expires_in, claims.preferred_username ?? claims.name ?? "you");
}

// Sign-in: a bearer token for the API, kept in sessionStorage for this tab only.
// Development: any user id, from POST /api/dev/token (which exists only in Development).
// Entra: MSAL.js (@azure/msal-browser, embedded at build time as /web/msal-browser.min.js), the
// authorization-code flow with PKCE by redirect; MSAL keeps its own cache in sessionStorage too.

const tokenKey = "runstrength.token";

let entraClient = null;

export function currentToken() {
  const saved = JSON.parse(sessionStorage.getItem(tokenKey) ?? "null");
  if (!saved || saved.expiresAt <= Date.now() + 60_000) {
    return null;
  }
  return saved;
}

export function signOut() {
  sessionStorage.removeItem(tokenKey);
  // Forget the Entra account too, so the next sign-in is a choice and not a silent refresh.
  entraClient?.clearCache().catch(() => {});
}

function remember(accessToken, expiresAt, user) {
  const token = { accessToken, expiresAt, user };
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
  return remember(body.accessToken, Date.now() + body.expiresIn * 1000, userId);
}

/** MSAL.js is a classic script that sets window.msal; loaded only when the page signs in with Entra. */
function loadMsal() {
  if (window.msal) {
    return Promise.resolve(window.msal);
  }
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = "/web/msal-browser.min.js";
    script.addEventListener("load", () => resolve(window.msal));
    script.addEventListener("error", () => reject(new Error("The sign-in library did not load; please reload the page.")));
    document.head.append(script);
  });
}

function rememberEntra(result) {
  entraClient.setActiveAccount(result.account);
  // An hour is Entra's shortest access-token lifetime, for a reply that gives none.
  const expiresAt = result.expiresOn?.getTime() ?? Date.now() + 3_600_000;
  return remember(result.accessToken, expiresAt, result.account.username || result.account.name || "you");
}

/**
 * Starts MSAL for the configured authority and finishes a sign-in Entra redirected back with
 * (MSAL checks the state and nonce and sends the PKCE verifier). Without one, a tab that signed in
 * before gets a fresh token from MSAL's cache or refresh token, never from a hidden frame (the
 * page's policy allows none).
 */
export async function startEntra(entra) {
  const msal = await loadMsal();
  entraClient = new msal.PublicClientApplication({
    auth: {
      clientId: entra.clientId,
      authority: entra.authority,
      // The configured authority is trusted as is: no instance discovery at another host.
      knownAuthorities: [new URL(entra.authority).host],
      redirectUri: `${location.origin}/`,
    },
    cache: { cacheLocation: "sessionStorage" },
  });
  await entraClient.initialize();
  const result = await entraClient.handleRedirectPromise();
  if (result) {
    return rememberEntra(result);
  }
  const account = entraClient.getActiveAccount() ?? entraClient.getAllAccounts()[0];
  if (!account || currentToken()) {
    return currentToken();
  }
  try {
    return rememberEntra(await entraClient.acquireTokenSilent({
      scopes: [entra.scope],
      account,
      cacheLookupPolicy: msal.CacheLookupPolicy.AccessTokenAndRefreshToken,
    }));
  } catch {
    return null;
  }
}

export async function entraSignIn(entra) {
  if (!entraClient) {
    throw new Error("Sign-in is not ready; please reload the page.");
  }
  await entraClient.loginRedirect({ scopes: [entra.scope] });
}

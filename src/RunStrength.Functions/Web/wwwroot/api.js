// The RunStrength API under /api, called with the signed-in user's bearer token.
// A failed call throws an ApiError carrying the RFC 9457 problem, whose `errors` name each bad field.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
  }
}

export function createApi(getToken, onUnauthorized) {
  async function call(method, path, body) {
    const headers = { Authorization: `Bearer ${getToken()?.accessToken ?? ""}` };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
    }
    const response = await fetch(`/api/${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.status === 401) {
      onUnauthorized();
    }
    if (response.status === 204) {
      return null;
    }
    const json = await response.json().catch(() => null);
    if (!response.ok) {
      throw new ApiError(response.status, json);
    }
    return json;
  }

  /** The value, or null for a 404 (no profile yet, no plan for that week). */
  async function optional(promise) {
    try {
      return await promise;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        return null;
      }
      throw error;
    }
  }

  return {
    profile: () => optional(call("GET", "me/profile")),
    saveProfile: (profile) => call("PUT", "me/profile", profile),
    plan: (week) => optional(call("GET", `me/plans/${encodeURIComponent(week)}`)),
    plans: (from, to) => call("GET", `me/plans?from=${from}&to=${to}&pageSize=20`),
    logs: (week) => call("GET", `me/plans/${encodeURIComponent(week)}/logs`),
    saveLog: (week, sessionId, log) => call("PUT", `me/plans/${encodeURIComponent(week)}/sessions/${encodeURIComponent(sessionId)}/log`, log),
    calendar: () => call("POST", "me/calendar", {}),
    deleteAccount: () => call("DELETE", "me"),
  };
}

namespace RunStrength.Functions.Auth;

/// <summary>What the credentials of one request amount to.</summary>
public enum AuthOutcome
{
    /// <summary>No credentials at all.</summary>
    Missing,

    /// <summary>Credentials were sent but are not valid (bad signature, expired, wrong issuer...).</summary>
    Invalid,

    /// <summary>A valid token that may not use this API: it lacks the required scope or role, or it is app-only.</summary>
    Forbidden,

    /// <summary>A user, identified by <see cref="AuthResult.UserId"/>.</summary>
    Authenticated,
}

/// <param name="Reason">
/// Why the request was refused, from a fixed set (<c>missing</c>, an exception type such as
/// <c>SecurityTokenExpired</c>, <c>insufficient-scope</c>...), never token content; the audit log
/// counts refusals by it.
/// </param>
public sealed record AuthResult(AuthOutcome Outcome, string? UserId = null, string? Reason = null)
{
    public static readonly AuthResult Missing = new(AuthOutcome.Missing, Reason: "missing");

    public static AuthResult User(string userId) => new(AuthOutcome.Authenticated, userId);

    public static AuthResult Invalid(string reason) => new(AuthOutcome.Invalid, Reason: reason);

    public static AuthResult Forbidden(string reason) => new(AuthOutcome.Forbidden, Reason: reason);
}

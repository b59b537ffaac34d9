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

public sealed record AuthResult(AuthOutcome Outcome, string? UserId = null)
{
    public static readonly AuthResult Missing = new(AuthOutcome.Missing);
    public static readonly AuthResult Invalid = new(AuthOutcome.Invalid);
    public static readonly AuthResult Forbidden = new(AuthOutcome.Forbidden);

    public static AuthResult User(string userId) => new(AuthOutcome.Authenticated, userId);
}

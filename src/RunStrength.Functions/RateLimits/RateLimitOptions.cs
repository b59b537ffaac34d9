using System.ComponentModel.DataAnnotations;

namespace RunStrength.Functions.RateLimits;

/// <summary>Token buckets per caller. Bound from section <c>RateLimits</c> (<c>RateLimits__User__TokenLimit</c> and so on).</summary>
public sealed class RateLimitOptions : IValidatableObject
{
    public const string Section = "RateLimits";

    /// <summary>Off only for load and fuzz runs that measure something else.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Every authenticated call, per user (token <c>sub</c>).</summary>
    public Bucket User { get; set; } = new() { TokenLimit = 100, TokensPerPeriod = 100, Period = TimeSpan.FromMinutes(1) };

    /// <summary>Costly or abusable calls, per user, on top of <see cref="User"/>: sign-up and profile replacement, erase, calendar rotation.</summary>
    public Bucket Sensitive { get; set; } = new() { TokenLimit = 20, TokensPerPeriod = 20, Period = TimeSpan.FromHours(1) };

    /// <summary>Webhook and device registration and webhook tests, per user, on top of <see cref="User"/>: calls that reach outside the app.</summary>
    public Bucket Channels { get; set; } = new() { TokenLimit = 10, TokensPerPeriod = 10, Period = TimeSpan.FromHours(1) };

    /// <summary>Anonymous routes (health, OpenAPI, calendar feeds, exercises), per client IP address.</summary>
    public Bucket Anonymous { get; set; } = new() { TokenLimit = 60, TokensPerPeriod = 60, Period = TimeSpan.FromMinutes(1) };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        new[] { (nameof(User), User), (nameof(Sensitive), Sensitive), (nameof(Channels), Channels), (nameof(Anonymous), Anonymous) }
            .Where(b => b.Item2 is not { TokenLimit: >= 1, TokensPerPeriod: >= 1 } || b.Item2.Period < TimeSpan.FromSeconds(1) || b.Item2.Period > TimeSpan.FromDays(1))
            .Select(b => new ValidationResult($"RateLimits:{b.Item1} needs TokenLimit and TokensPerPeriod of at least 1 and a Period from 1 second to 1 day.", [b.Item1]));

    public sealed class Bucket
    {
        /// <summary>The burst: how many calls a caller may make at once.</summary>
        public int TokenLimit { get; set; }

        /// <summary>How many calls come back each <see cref="Period"/>.</summary>
        public int TokensPerPeriod { get; set; }

        public TimeSpan Period { get; set; }
    }
}

namespace RunStrength.Functions.Time;

/// <summary>
/// A clock that starts at a chosen instant and then runs in real time, like Stripe's test clocks:
/// the whole app (API, weekly run, storage stamps) believes it is that moment. Development only.
/// Token lifetimes are still checked against real time: tokens come from an identity provider
/// that runs on real time, and a test clock must not make an expired credential valid.
/// </summary>
public sealed class TestClock : TimeProvider
{
    private readonly DateTimeOffset _start;
    private readonly TimeProvider _real;
    private readonly long _startedAt;

    public TestClock(DateTimeOffset start, TimeProvider real)
    {
        ArgumentNullException.ThrowIfNull(real);
        _start = start.ToUniversalTime();
        _real = real;
        _startedAt = real.GetTimestamp();
    }

    public override DateTimeOffset GetUtcNow() => _start + _real.GetElapsedTime(_startedAt);

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}

using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using RunStrength.Functions.Scheduling;
using RunStrength.Testing;

namespace RunStrength.Functions.Tests.Scheduling;

public sealed class PastDueTests(AzuriteFixture fixture) : RunnerTest(fixture)
{
    [Fact]
    public async Task APastDueTickIsLoggedAndCatchesUpWhatTheMissedTicksWouldHaveBuilt()
    {
        // Saturday 12:00 UTC: every zone's next week is due, and nothing has been planned yet.
        await CreateUsersAsync(3);
        var logger = new RecordingLogger<WeeklyPlanTimer>();
        var timer = Timer(logger);

        await timer.BuildWeeklyPlans(new TimerInfo { IsPastDue = true }, default);

        var rows = await PlanRowsAsync();
        Assert.Equal(3, rows.Count);
        Assert.All(rows.Values, weeks => Assert.Equal(["2026-W49", "2026-W50"], weeks.Order()));
        Assert.Contains((LogLevel.Warning, "Weekly plan timer is past due; catching up"), logger.Entries);
    }

    [Fact]
    public async Task AnOnTimeTickAtTheReconcileHourSweepsEveryoneAndLogsNoWarning()
    {
        await CreateUsersAsync(1);
        var logger = new RecordingLogger<WeeklyPlanTimer>();
        Settings.ReconcileHourUtc = Clock.GetUtcNow().Hour;

        await Timer(logger).BuildWeeklyPlans(new TimerInfo { IsPastDue = false }, default);

        Assert.Single(await PlanRowsAsync());
        Assert.DoesNotContain(logger.Entries, e => e.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task AnOnTimeTickOutsideTheReconcileHourBuildsOnlyWhatTheDueIndexHolds()
    {
        // A profile written straight to storage has no due entry: only the daily sweep finds it.
        await CreateUsersAsync(1);
        Settings.ReconcileHourUtc = (Clock.GetUtcNow().Hour + 1) % 24;

        await Timer().BuildWeeklyPlans(new TimerInfo { IsPastDue = false }, default);
        Assert.Empty(await PlanRowsAsync());

        Clock.Advance(TimeSpan.FromHours(1));
        await Timer().BuildWeeklyPlans(new TimerInfo { IsPastDue = false }, default);
        Assert.Single(await PlanRowsAsync());
    }

    private sealed class RecordingLogger<T> : ILogger<T>
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries)
            {
                Entries.Add((logLevel, formatter(state, exception)));
            }
        }
    }
}

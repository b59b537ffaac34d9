using System.Text.Json.Nodes;

namespace RunStrength.Cli.Tests;

/// <summary>Each log mode, run as a process, changes the second week the way its logs should (P2, T3).</summary>
public sealed class LogModeTests
{
    private static async Task<(JsonNode First, JsonNode Second)> FirstTwoWeeks(string mode)
    {
        var result = await CliProcess.SimulateAsync(CliProcess.ExampleProfile, 2, "2026-W49", mode);
        Assert.Equal(0, result.ExitCode);
        var plans = JsonNode.Parse(result.Stdout)!.AsArray();
        Assert.Equal(2, plans.Count);
        return (plans[0]!, plans[1]!);
    }

    private static IEnumerable<JsonNode> Exercises(JsonNode plan) =>
        plan["sessions"]!.AsArray().SelectMany(s => s!["exercises"]?.AsArray() ?? []).Select(e => e!);

    private static int Summary(JsonNode plan, string field) => (int)plan["summary"]![field]!;

    [Fact]
    public async Task DoneProgressesAndAddsLoad()
    {
        var (first, second) = await FirstTwoWeeks("done");

        Assert.Equal("progress", (string)second["adjustment"]!);
        Assert.Contains(Exercises(second), e => (string)e["progression"]! == "add-load");
        Assert.True(Exercises(second).Sum(e => (int)e["loadSteps"]!) > Exercises(first).Sum(e => (int)e["loadSteps"]!));
        Assert.True(Summary(second, "runMinutes") >= Summary(first, "runMinutes"));
    }

    [Fact]
    public async Task NoneProgressesConservativelyWithoutLoad()
    {
        var (_, second) = await FirstTwoWeeks("none");

        Assert.Equal("progress", (string)second["adjustment"]!);
        Assert.DoesNotContain(Exercises(second), e => (string)e["progression"]! == "add-load");
        Assert.All(Exercises(second), e => Assert.Equal(0, (int)e["loadSteps"]!));
    }

    [Fact]
    public async Task StruggleHoldsTheLoadAndRunsLess()
    {
        var (first, second) = await FirstTwoWeeks("struggle");

        Assert.Equal("hold", (string)second["adjustment"]!);
        Assert.All(Exercises(second), e => Assert.Equal(0, (int)e["loadSteps"]!));
        Assert.DoesNotContain(Exercises(second), e => (string)e["progression"]! is "add-load" or "add-reps");
        Assert.True(Summary(second, "runMinutes") < Summary(first, "runMinutes"));
    }

    [Fact]
    public async Task SkipReentersGentlyWithLessOfEverything()
    {
        var (first, second) = await FirstTwoWeeks("skip");

        Assert.Equal("reentry", (string)second["adjustment"]!);
        Assert.True(Summary(second, "runMinutes") < Summary(first, "runMinutes"));
        Assert.True(Summary(second, "strengthMinutes") < Summary(first, "strengthMinutes"));
        Assert.True((int)second["progress"]!["missedStreak"]! >= 3);
    }

    [Fact]
    public async Task RunsUnloggedCountsAsUnknownNotMissed()
    {
        var (_, unlogged) = await FirstTwoWeeks("runs-unlogged");
        var (_, done) = await FirstTwoWeeks("done");

        Assert.Equal("progress", (string)unlogged["adjustment"]!);
        Assert.Equal(0, (int)unlogged["progress"]!["missedStreak"]!);
        Assert.Equal(Exercises(done).Select(e => e.ToJsonString()), Exercises(unlogged).Select(e => e.ToJsonString()));
    }
}

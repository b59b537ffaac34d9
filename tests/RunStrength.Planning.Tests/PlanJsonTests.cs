using System.Text.Json.Nodes;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Serialization;

namespace RunStrength.Planning.Tests;

public sealed class PlanJsonTests
{
    [Fact]
    public void PlanRoundTripsThroughJsonUnchanged()
    {
        var plans = Simulation.Run(new ProfileBuilder().Build(), 3, Simulation.RandomLogger(3));

        foreach (var plan in plans)
        {
            var json = PlanJson.Serialize(plan);
            Assert.Equal(json, PlanJson.Serialize(PlanJson.Deserialize<WeekPlan>(json)));
        }
    }

    [Fact]
    public void PlanJsonUsesTheContractsShapes()
    {
        var json = JsonNode.Parse(PlanJson.Serialize(Simulation.First(new ProfileBuilder().Build())))!;
        var session = json["sessions"]![0]!;

        Assert.Equal("2026-W49", json["week"]!.GetValue<string>());
        Assert.Equal("2026-11-30", json["weekStart"]!.GetValue<string>());
        Assert.Equal("build", json["phase"]!.GetValue<string>());
        Assert.Equal("mon", session["day"]!.GetValue<string>());
        Assert.Equal("2026-11-30", session["date"]!.GetValue<string>());
        Assert.Matches("^(run|strength|plyometrics|mobility|rest)$", session["kind"]!.GetValue<string>());
        Assert.NotNull(json["summary"]!["setsByMuscle"]!["quads"]);
        Assert.Null(session["isHard"]);
    }
}

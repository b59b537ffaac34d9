using RunStrength.Samples;

namespace RunStrength.Planning.Tests;

public sealed class TrainingDocTests
{
    [Fact]
    public void PersonaTableInDocsMatchesTheGenerator()
    {
        var path = Path.Combine(Testing.RepositoryPaths.Root, "docs", "training.md");

        var committed = File.ReadAllText(path).ReplaceLineEndings("\n");

        Assert.True(committed == TrainingDoc.Render().ReplaceLineEndings("\n"),
            "docs/training.md is stale: run `dotnet run --project tools/RunStrength.Samples > docs/training.md`.");
    }

    [Fact]
    public void PersonaWeekFourIsADeloadWithLessWorkThanWeekOne()
    {
        foreach (var (_, profile) in Personas.All)
        {
            var weeks = Personas.Weeks(profile, 4);

            Assert.Equal(Plans.Phase.Deload, weeks[3].Phase);
            Assert.True(weeks[3].Summary.StrengthMinutes < weeks[2].Summary.StrengthMinutes);
        }
    }
}

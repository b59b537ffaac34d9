using RunStrength.Cli;
using RunStrength.Planning.Profiles;
using RunStrength.Planning.Simulation;

namespace RunStrength.Planning.Tests;

public sealed class TrainingDocTests
{
    [Fact]
    public void PersonaTableInDocsMatchesTheGenerator()
    {
        var path = Path.Combine(Testing.RepositoryPaths.Root, "docs", "training.md");

        var committed = File.ReadAllText(path).ReplaceLineEndings("\n");

        Assert.True(committed == TrainingDoc.Render().ReplaceLineEndings("\n"),
            $"docs/training.md is stale: run `{TrainingDoc.Command}`.");
    }

    [Fact]
    public void RulesDocDefinesEveryRuleIdThePlansCite()
    {
        var doc = File.ReadAllText(Path.Combine(Testing.RepositoryPaths.Root, "docs", "training-rules.md"));
        var defined = System.Text.RegularExpressions.Regex.Matches(doc, @"^- ([A-Z]{1,2}[0-9]+) ", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).ToHashSet();

        var cited = Personas.All.SelectMany(p => Personas.Weeks(p.Profile, 12)).SelectMany(w => w.Sessions).SelectMany(s => s.Rules).ToHashSet();

        Assert.Empty(cited.Except(defined));
        Assert.Contains("W7", defined);
        Assert.Contains("P4", defined);
    }

    [Theory]
    [InlineData("README.md", "docs/training-rules.md")]
    [InlineData("docs/training.md", "training-rules.md")]
    public void TheRulesAreReadInTheRepositoryItself(string document, string link)
    {
        var text = File.ReadAllText(Path.Combine(Testing.RepositoryPaths.Root, document));

        Assert.Contains(link, text, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Testing.RepositoryPaths.Root, "docs", "training-rules.md")));
    }

    [Fact]
    public void TheDocShowsNinePersonasTwelveWeeksEach()
    {
        var doc = TrainingDoc.Render();

        Assert.Equal(9, Personas.All.Count);
        Assert.Equal(9, System.Text.RegularExpressions.Regex.Count(doc, "^## ", System.Text.RegularExpressions.RegexOptions.Multiline));
        Assert.Equal(9 * 12, System.Text.RegularExpressions.Regex.Count(doc, @"^\| [0-9]+ \(20[0-9]{2}-W[0-9]{2}\) \|", System.Text.RegularExpressions.RegexOptions.Multiline));
        Assert.Contains(TrainingDoc.Command, doc, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRacePersonaShowsItsTaperRaceWeekAndTargets()
    {
        var doc = TrainingDoc.Render();
        var section = doc[doc.IndexOf("## Half marathon", StringComparison.Ordinal)..];

        Assert.Matches(@"\| 9 \(2027-W04\) \| taper \|", section);
        Assert.Matches(@"\| 11 \(2027-W06\) \| race \|", section);
        Assert.Matches(@"\| 12 \(2027-W07\) \| recovery \|", section);
        Assert.Matches(@"\*\*Race: City half\*\* [0-9]+ min \(tempo [0-9]:[0-9]{2}–[0-9]:[0-9]{2}/km [0-9]{3}–[0-9]{3} bpm\) \[RC1 RC4 Z1\]", section);
        Assert.Matches(@"\*\*Long run\*\* [0-9]+ min \(easy [0-9]:[0-9]{2}–[0-9]:[0-9]{2}/km [0-9]{3}–[0-9]{3} bpm\)", section);
        Assert.Matches(@"@RIR [0-9] [0-9]+(\.5)? kg", section);
    }

    [Fact]
    public void PersonasAreSimulatedWithEverySessionLoggedAsDone()
    {
        var (_, profile) = Personas.All[0];

        Assert.Equal(LogMode.Done, Personas.Logging);
        Assert.Equal(
            PlanSimulator.Run(profile, Personas.FirstWeek, 6, LogMode.Done).Select(Serialization.PlanJson.Serialize),
            Personas.Weeks(profile, 6).Select(Serialization.PlanJson.Serialize));
    }

    [Theory]
    [InlineData("Advanced lifter who does not run")]
    [InlineData("Endurance runner with bodyweight only")]
    [InlineData("Balanced, aged 45, three days")]
    [InlineData("Runner aged 70 who never lifted")]
    [InlineData("Beginner aged 65 who never lifted")]
    [InlineData("Untrained, wants muscle")]
    [InlineData("Half marathon in ten weeks, 10 km in 50:00")]
    public void TheIssuesPersonasAreThereAndValidAsAProfileDocument(string name)
    {
        var profile = Assert.Single(Personas.All, p => p.Name == name).Profile;

        using var json = System.Text.Json.JsonDocument.Parse(ProfileJson.Write(profile).ToJsonString());
        var read = ProfileJson.Read(json.RootElement, Personas.FirstWeek.Year);

        Assert.Empty(read.Errors);
        Assert.Equal(profile, read.Profile);
    }

    [Theory]
    [InlineData("Balanced, aged 45, three days", 45, 3)]
    [InlineData("Runner aged 70 who never lifted", 70, 4)]
    [InlineData("Beginner aged 65 who never lifted", 65, 4)]
    public void PersonasAreTheAgeTheirNameSays(string name, int age, int days)
    {
        var profile = Assert.Single(Personas.All, p => p.Name == name).Profile;

        Assert.Equal(age, profile.AgeIn(Personas.FirstWeek.Year));
        Assert.Equal(days, profile.AvailableDays.Count);
    }

    [Theory]
    [InlineData("Untrained, wants muscle")]
    [InlineData("Trained lifter with hill access")]
    [InlineData("Advanced endurance runner")]
    [InlineData("Beginner aged 65 who never lifted")]
    [InlineData("Advanced lifter who does not run")]
    [InlineData("Endurance runner with bodyweight only")]
    [InlineData("Balanced, aged 45, three days")]
    [InlineData("Half marathon in ten weeks, 10 km in 50:00")]
    [InlineData("Runner aged 70 who never lifted")]
    public void PersonaWeekFourIsADeloadWithLessStrengthThanWeekThree(string name)
    {
        var weeks = Personas.Weeks(Assert.Single(Personas.All, p => p.Name == name).Profile, 4);

        Assert.Equal(Plans.Phase.Deload, weeks[3].Phase);
        Assert.True(weeks[3].Summary.StrengthMinutes < weeks[2].Summary.StrengthMinutes, $"strength {weeks[3].Summary.StrengthMinutes} min after {weeks[2].Summary.StrengthMinutes}");
        Assert.True(weeks[3].Summary.RunMinutes < weeks[2].Summary.RunMinutes);
    }

    /// <summary>
    /// T10: the 70-year-old's shared days once squeezed strength to 9-17-minute sessions with no
    /// quadriceps or chest work. Every build week now has two sessions, each with a set of every
    /// major movement, and every major muscle trained.
    /// </summary>
    [Fact]
    public void SeventyYearOldGetsTwoSessionsOfTheMinimumDoseInEveryBuildWeek()
    {
        var weeks = Personas.Weeks(Assert.Single(Personas.All, p => p.Name == "Runner aged 70 who never lifted").Profile, 12);

        foreach (var plan in weeks.Where(w => w.Phase == Plans.Phase.Build))
        {
            var strength = plan.Sessions.Where(s => s.Kind == Plans.SessionKind.Strength).ToList();
            Assert.Equal(2, strength.Count);
            Assert.All(strength, s => Assert.True(MajorMovements.Of(s) == MajorMovements.All, $"{plan.Week} {s.Day}: {string.Join(", ", s.Exercises.Select(e => e.Id))}"));
            Assert.All(["quads", "hamstrings", "glutes", "chest", "back"], muscle => Assert.True(plan.Summary.SetsByMuscle[muscle] >= 1, $"{plan.Week}: {muscle} {plan.Summary.SetsByMuscle[muscle]}"));
        }
    }

    [Fact]
    public void EveryPersonaHasARowInTheDeloadTest()
    {
        var method = typeof(TrainingDocTests).GetMethod(nameof(PersonaWeekFourIsADeloadWithLessStrengthThanWeekThree))!;
        var rows = method.GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .SelectMany(a => a.GetData(method)).Select(row => (string)row[0]);

        Assert.Equal(Personas.All.Select(p => p.Name).Order(StringComparer.Ordinal), rows.Order(StringComparer.Ordinal));
    }
}

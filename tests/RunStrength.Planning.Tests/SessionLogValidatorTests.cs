using System.Text.Json;
using RunStrength.Planning.Generation;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;
using static RunStrength.Planning.Profiles.SessionLogValidator;

namespace RunStrength.Planning.Tests;

public sealed class SessionLogValidatorTests
{
    private static readonly WeekPlan Plan = PlanGenerator.Generate(new PlanRequest
    {
        Profile = new ProfileBuilder().Days(IsoDayOfWeek.Monday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Friday, IsoDayOfWeek.Saturday).Build(),
        ProfileVersion = 1,
        Week = new IsoWeek(2026, 49),
        GeneratedAt = new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero),
    });

    private static Session Workout => Plan.Sessions.First(s => s.Kind == SessionKind.Strength && s.Exercises.Count > 0);

    private static string ExerciseId => Workout.Exercises[0].Id;

    private static SessionLogValidation Validate(string json, Session? session = null)
    {
        using var document = JsonDocument.Parse(json);
        return SessionLogValidator.Validate(document.RootElement.Clone(), session ?? Workout);
    }

    private static string Sets(int count, string set = """{ "reps": 8 }""") => "[" + string.Join(",", Enumerable.Repeat(set, count)) + "]";

    [Fact]
    public void AFullLogReadsIntoTheSessionLog()
    {
        var result = Validate($$"""{ "status": "partial", "actualMinutes": 45, "rpe": 7, "note": "knee", "exercises": [ { "exerciseId": "{{ExerciseId}}", "sets": [ { "reps": 10, "rir": 2, "load": 62.5 }, { "reps": 9 } ] } ] }""");

        Assert.True(result.IsValid);
        Assert.Empty(result.Errors);
        Assert.Equal(Workout.Id, result.Log!.SessionId);
        Assert.Equal(SessionStatus.Partial, result.Log.Status);
        Assert.Equal((45, 7, "knee"), (result.Log.ActualMinutes, result.Log.Rpe, result.Log.Note));
        var exercise = Assert.Single(result.Log.Exercises);
        Assert.Equal([new SetLog(10, 2, 62.5m), new SetLog(9, null)], exercise.Sets);
    }

    [Fact]
    public void ValuesAtEveryLimitAreAccepted()
    {
        var set = $$"""{ "reps": {{MaxReps}}, "rir": {{MaxRir}}, "load": {{MaxLoad}} }""";
        var exercises = string.Join(",", Enumerable.Repeat($$"""{ "exerciseId": "{{ExerciseId}}", "sets": {{Sets(MaxSetsPerExercise, set)}} }""", MaxExercises));

        var result = Validate($$"""{ "status": "completed", "actualMinutes": {{MaxActualMinutes}}, "rpe": {{MaxRpe}}, "note": "{{new string('n', MaxNoteLength)}}", "exercises": [ {{exercises}} ] }""");

        Assert.True(result.IsValid, string.Join("; ", result.Errors.Keys));
        Assert.Equal(MaxExercises, result.Log!.Exercises.Count);
    }

    public static TheoryData<string, string> OneStepPastALimit() => new()
    {
        { $$"""{ "status": "completed", "actualMinutes": {{MaxActualMinutes + 1}} }""", "actualMinutes" },
        { """{ "status": "completed", "actualMinutes": -1 }""", "actualMinutes" },
        { $$"""{ "status": "completed", "rpe": {{MinRpe - 1}} }""", "rpe" },
        { $$"""{ "status": "completed", "rpe": {{MaxRpe + 1}} }""", "rpe" },
        { $$"""{ "status": "completed", "note": "{{new string('n', MaxNoteLength + 1)}}" }""", "note" },
        { $$"""{ "status": "completed", "exercises": [ {{string.Join(",", Enumerable.Repeat("""{ "exerciseId": "x", "sets": [] }""", MaxExercises + 1))}} ] }""", "exercises" },
        { $$"""{ "status": "completed", "exercises": [ { "exerciseId": "ID", "sets": {{Sets(MaxSetsPerExercise + 1)}} } ] }""", "exercises[0]" },
        { $$"""{ "status": "completed", "exercises": [ { "exerciseId": "ID", "sets": [ { "reps": {{MaxReps + 1}} } ] } ] }""", "exercises[0].sets[0].reps" },
        { $$"""{ "status": "completed", "exercises": [ { "exerciseId": "ID", "sets": [ { "reps": 5, "rir": {{MaxRir + 1}} } ] } ] }""", "exercises[0].sets[0].rir" },
        { $$"""{ "status": "completed", "exercises": [ { "exerciseId": "ID", "sets": [ { "reps": 5, "load": {{MaxLoad}}.5 } ] } ] }""", "exercises[0].sets[0].load" },
    };

    [Theory]
    [MemberData(nameof(OneStepPastALimit))]
    public void OneStepPastALimitIsRefusedNamingTheField(string json, string field)
    {
        var result = Validate(json.Replace("\"ID\"", $"\"{ExerciseId}\"", StringComparison.Ordinal));

        Assert.False(result.IsValid);
        Assert.Null(result.Log);
        Assert.Equal([field], result.Errors.Keys);
    }

    [Theory]
    [InlineData("""{ "status": "done" }""", "status")]
    [InlineData("""{ }""", "status")]
    [InlineData("""{ "status": 1 }""", "status")]
    [InlineData("""{ "status": "completed", "rpe": "hard" }""", "rpe")]
    [InlineData("""{ "status": "completed", "rpe": 7.5 }""", "rpe")]
    [InlineData("""{ "status": "completed", "note": 5 }""", "note")]
    [InlineData("""{ "status": "completed", "mood": "great" }""", "mood")]
    [InlineData("""{ "status": "completed", "exercises": {} }""", "exercises")]
    [InlineData("""{ "status": "completed", "exercises": [ { "exerciseId": "not-in-session", "sets": [] } ] }""", "exercises[0].exerciseId")]
    [InlineData("""{ "status": "completed", "exercises": [ { "exerciseId": "ID", "sets": [], "extra": 1 } ] }""", "exercises[0]")]
    [InlineData("""{ "status": "completed", "exercises": [ { "exerciseId": "ID", "sets": [ { "rir": 2 } ] } ] }""", "exercises[0].sets[0].reps")]
    [InlineData("""{ "status": "completed", "exercises": [ { "exerciseId": "ID", "sets": [ { "reps": 5, "weight": 2 } ] } ] }""", "exercises[0].sets[0]")]
    [InlineData("""[ "completed" ]""", "$")]
    public void WrongTypesAndUnknownFieldsAreNamed(string json, string field)
    {
        var result = Validate(json.Replace("\"ID\"", $"\"{ExerciseId}\"", StringComparison.Ordinal));

        Assert.False(result.IsValid);
        Assert.Equal([field], result.Errors.Keys);
    }

    [Fact]
    public void EveryErrorIsReportedAtOnce()
    {
        var result = Validate("""{ "status": "maybe", "rpe": 0, "actualMinutes": 9999, "mood": 1 }""");

        Assert.Equal(["actualMinutes", "mood", "rpe", "status"], result.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ARestDayHasNothingToLog()
    {
        var rest = Workout with { Kind = SessionKind.Rest, Type = "rest", Exercises = [] };

        var result = Validate("""{ "status": "completed" }""", rest);

        Assert.False(result.IsValid);
        Assert.Equal(["sessionId"], result.Errors.Keys);
    }

    [Fact]
    public void NullOptionalFieldsAreLeftOut()
    {
        var result = Validate("""{ "status": "skipped", "actualMinutes": null, "rpe": null, "note": null }""");

        Assert.True(result.IsValid);
        Assert.Equal((null, null, null), (result.Log!.ActualMinutes, result.Log.Rpe, result.Log.Note));
    }
}

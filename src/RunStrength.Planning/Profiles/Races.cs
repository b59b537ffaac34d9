namespace RunStrength.Planning.Profiles;

/// <summary>A race the person ran: the best evidence for pace zones (Z1).</summary>
public sealed record RaceResult(double DistanceKm, TimeSpan Time, LocalDate Date);

/// <summary>A race the person trains for: the weeks before it are periodised toward it.</summary>
public sealed record RaceGoal(LocalDate Date, double DistanceKm, string? Name);

/// <summary>A race object as a client sent it, loosely typed so that every problem is reported.</summary>
public sealed record RaceDraft
{
    public double? DistanceKm { get; init; }
    public string? Time { get; init; }
    public string? Date { get; init; }
    public string? Name { get; init; }
}

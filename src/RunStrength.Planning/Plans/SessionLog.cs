using RunStrength.Planning.Profiles;

namespace RunStrength.Planning.Plans;

public enum SessionStatus { Completed, Partial, Skipped }

/// <summary>What the person did for one planned session.</summary>
public sealed record SessionLog
{
    public required string SessionId { get; init; }
    public required SessionStatus Status { get; init; }
    public int? ActualMinutes { get; init; }

    /// <summary>Session RPE, 1–10.</summary>
    public int? Rpe { get; init; }

    public string? Note { get; init; }

    /// <summary>Optional per-exercise sets; the only evidence that may add load (T3).</summary>
    public IReadOnlyList<ExerciseLog> Exercises { get; init; } = [];
}

public sealed record ExerciseLog(string ExerciseId, IReadOnlyList<SetLog> Sets);

public sealed record SetLog(int Reps, int? Rir, decimal? Load = null);

/// <summary>Everything the generator needs to plan one week.</summary>
public sealed record PlanRequest
{
    public required Profile Profile { get; init; }
    public required long ProfileVersion { get; init; }
    public required IsoWeek Week { get; init; }
    public required DateTimeOffset GeneratedAt { get; init; }

    /// <summary>First day to schedule (a profile created mid-week); null plans the whole week.</summary>
    public LocalDate? StartDate { get; init; }

    /// <summary>The plan of the week before, or null for the first week.</summary>
    public WeekPlan? Previous { get; init; }

    /// <summary>Logs of the previous week's sessions; possibly none.</summary>
    public IReadOnlyList<SessionLog> PreviousLogs { get; init; } = [];
}

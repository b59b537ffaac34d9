using RunStrength.Planning.Plans;
using static RunStrength.Planning.Generation.TrainingRules;

namespace RunStrength.Planning.Generation;

/// <summary>P2 and P4: what last week's logs say about how next week's load should move.</summary>
/// <param name="MissedStreak">Sessions skipped in a row at the end of the week (carried into the next).</param>
/// <param name="LongestMissedRun">The longest run of skipped sessions, counting the streak carried in.</param>
internal readonly record struct LogReview(double Completion, bool AnyLogs, bool RpeTooHigh, int MissedStreak, int LongestMissedRun)
{
    public static LogReview Of(WeekPlan previous, IReadOnlyList<SessionLog> logs)
    {
        var planned = 0;
        var missed = 0.0;
        var rated = 0;
        var tooHard = 0;
        var streak = previous.Progress.MissedStreak;
        var longestRun = streak;

        foreach (var session in previous.Sessions)
        {
            if (session.Kind == SessionKind.Rest)
            {
                continue;
            }

            planned++;
            var log = Find(logs, session.Id);
            if (log is null)
            {
                // P4: an unlogged session is unknown, not missed (runs are often tracked on a
                // watch), so it neither counts against completion nor breaks a streak of misses.
                continue;
            }

            switch (log.Status)
            {
                case SessionStatus.Completed:
                    streak = 0;
                    break;
                case SessionStatus.Partial:
                    missed += 0.5;
                    streak = 0;
                    break;
                default:
                    missed += 1.0;
                    streak++;
                    longestRun = Math.Max(longestRun, streak);
                    break;
            }

            if (log.Rpe is { } rpe && log.Status != SessionStatus.Skipped)
            {
                rated++;
                if (rpe >= session.Intensity.Rpe + P2RpeExcess)
                {
                    tooHard++;
                }
            }
        }

        var completion = planned == 0 ? 1.0 : (planned - missed) / planned;
        return new LogReview(completion, logs.Count > 0, rated > 0 && tooHard * 2 >= rated, streak, longestRun);
    }

    public Adjustment Decide(bool deloadWeek)
    {
        if (deloadWeek)
        {
            return Adjustment.Deload;
        }

        if (LongestMissedRun >= P2ReentryMissedStreak)
        {
            return Adjustment.Reentry;
        }

        if (Completion < P2ReduceCompletion)
        {
            return Adjustment.Reduce;
        }

        return Completion < P2ProgressCompletion || RpeTooHigh ? Adjustment.Hold : Adjustment.Progress;
    }

    private static SessionLog? Find(IReadOnlyList<SessionLog> logs, string sessionId)
    {
        for (var i = 0; i < logs.Count; i++)
        {
            if (logs[i].SessionId == sessionId)
            {
                return logs[i];
            }
        }

        return null;
    }
}

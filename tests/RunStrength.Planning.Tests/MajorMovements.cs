using RunStrength.Planning.Plans;

namespace RunStrength.Planning.Tests;

/// <summary>T10's major movements: knee-dominant (squat or lunge), hip hinge (not the curl beside it), press, pull.</summary>
[Flags]
public enum MajorMovements
{
    None = 0,
    Knee = 1,
    Hinge = 2,
    Push = 4,
    Pull = 8,
    All = Knee | Hinge | Push | Pull,
}

/// <summary>Which major movements a strength session has at least one set of.</summary>
public static class MajorMovementsExtensions
{
    extension(MajorMovements)
    {
        public static MajorMovements Of(Session session)
        {
            ArgumentNullException.ThrowIfNull(session);
            var movements = MajorMovements.None;
            foreach (var exercise in session.Exercises.Where(e => e.Sets > 0))
            {
                movements |= exercise.Pattern switch
                {
                    MovementPattern.Squat or MovementPattern.Lunge => MajorMovements.Knee,
                    MovementPattern.Hinge when !exercise.Id.Contains("curl", StringComparison.Ordinal) => MajorMovements.Hinge,
                    MovementPattern.HorizontalPush or MovementPattern.VerticalPush => MajorMovements.Push,
                    MovementPattern.Pull => MajorMovements.Pull,
                    _ => MajorMovements.None,
                };
            }

            return movements;
        }
    }
}

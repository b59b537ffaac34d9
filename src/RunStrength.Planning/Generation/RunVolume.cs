using System.Numerics;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;
using static RunStrength.Planning.Generation.TrainingRules;

namespace RunStrength.Planning.Generation;

internal enum HardRunType { HillSprints, Intervals, Tempo, Strides }

/// <summary>One hard run: its type, reps (or tempo minutes), length, minutes of hard work and warm-up.</summary>
internal readonly record struct HardRun(
    HardRunType Type, int Reps, int DurationMinutes, int HardMinutes, int WarmupMinutes = TrainingRules.R5WarmupMinutes, int WorkMinutes = TrainingRules.IntervalWorkMinutes);

/// <summary>
/// The week's running: R1 (growth), R2 (no spike), R3 (mostly easy, few hard sessions), R4
/// (run/walk start), R5 (hill sprints) and W5 (the goal's share of training time).
/// </summary>
internal sealed class RunVolume
{
    private readonly WeekContext _week;

    private RunVolume(WeekContext week) => _week = week;

    /// <summary>Run/walk stage used this week, or 0 for continuous running.</summary>
    public int RunWalkStage { get; private set; }

    public int TargetMinutes { get; private set; }
    public bool HasLongRun { get; private set; }
    public int LongRunMinutes { get; private set; }
    public IReadOnlyList<HardRun> HardRuns { get; private set; } = [];
    public int EasyRunCount { get; private set; }

    /// <summary>R2: no run longer than 110% of the longest of the last four weeks.</summary>
    public int LongestAllowed { get; private set; }

    public int NextRunWalkStage { get; private set; }
    public int NextHillSprintReps { get; private set; }
    public int NextIntervalReps { get; private set; }

    public static int StartingRunWalkStage(Profile profile)
    {
        if (profile.RunningExperience == Experience.None)
        {
            return 1;
        }

        return profile.WeeklyRunMinutes < R4StartBelowWeeklyMinutes ? R4ReturningStartStage : 0;
    }

    public static RunVolume Plan(WeekContext week, int strengthMinutes)
    {
        var plan = new RunVolume(week);
        plan.Compute(strengthMinutes);
        return plan;
    }

    /// <summary>Each easy run's minutes once the layout has said how many runs fit.</summary>
    public int EasyRunMinutes(int hardMinutesPlaced, int easyRunsPlaced)
    {
        if (easyRunsPlaced == 0)
        {
            return 0;
        }

        if (RunWalkStage > 0)
        {
            var stageMinutes = RunWalkMinutes(RunWalkStage);
            return _deload.Runs > 0 ? Math.Min(stageMinutes, DeloadMinutes(_deload.LongestEasy)) : stageMinutes;
        }

        var each = (TargetMinutes - LongRunMinutes - hardMinutesPlaced) / easyRunsPlaced;
        var cap = Math.Min(Math.Min(_week.Profile.MaxSessionMinutes, LongestAllowed), HasLongRun ? EasyCap(easyRunsPlaced) : int.MaxValue);
        if (_deload.Runs > 0)
        {
            // P1: every easy run of a deload is shorter than last week's, and none disappears.
            cap = Math.Min(cap, DeloadMinutes(_deload.LongestEasy));
            return Math.Clamp(each, Math.Min(P1DeloadMinRunMinutes, cap), cap);
        }

        return Math.Max(0, Math.Min(each, cap));
    }

    /// <summary>
    /// R4: a run/walk session's minutes at a stage. RC2, RC4: the taper keeps every session, at the
    /// same stage, each cut to the week's share of the peak.
    /// </summary>
    private int RunWalkMinutes(int stage)
    {
        var minutes = Math.Min(R4Stage(stage).SessionMinutes, _week.Profile.MaxSessionMinutes);
        return _week.Race.Unloading ? Math.Max(P1DeloadMinRunMinutes, (int)(minutes * _week.Race.RunVolumeShare)) : minutes;
    }

    /// <summary>R9: with two or more easy runs each stays well short of the long run; one may match it.</summary>
    private int EasyCap(int easyRuns) => easyRuns >= 2 ? (int)(LongRunMinutes * R9EasyShareOfLongRun) : LongRunMinutes;

    /// <summary>P1: a deload session's minutes from last week's, cut by about a third.</summary>
    private static int DeloadMinutes(int minutes) => Math.Max(Math.Min(minutes - 1, P1DeloadMinRunMinutes), (int)(minutes * P1DeloadRunFactor));

    /// <summary>Last week's runs, which a deload keeps in number and shortens (P1).</summary>
    private readonly record struct PreviousRuns(int Runs, int Long, int LongestEasy, int LongestHard, int HardRuns, int Hills, int Intervals, int Tempo, int Strides)
    {
        public static PreviousRuns Of(WeekContext week)
        {
            if (week.Adjustment != Adjustment.Deload || week.Request.Previous is not { } previous)
            {
                return default;
            }

            int runs = 0, longest = 0, easy = 0, hard = 0, hardRuns = 0, hills = 0, intervals = 0, tempo = 0, strides = 0;
            foreach (var session in previous.Sessions)
            {
                if (session.Kind != SessionKind.Run)
                {
                    continue;
                }

                runs++;
                if (session.IsLongRun)
                {
                    longest = session.DurationMinutes;
                }
                else if (session.IsHardRun)
                {
                    hard = Math.Max(hard, session.DurationMinutes);
                    hardRuns++;
                    hills = session.Type == "hill-sprints" ? Math.Max(hills, session.DurationMinutes) : hills;
                    intervals = session.Type == "intervals" ? Math.Max(intervals, session.DurationMinutes) : intervals;
                    tempo = session.Type == "tempo" ? Math.Max(tempo, session.DurationMinutes) : tempo;
                    strides = session.Type == "strides" ? Math.Max(strides, session.DurationMinutes) : strides;
                }
                else
                {
                    easy = Math.Max(easy, session.DurationMinutes);
                }
            }

            return new PreviousRuns(runs, longest, easy, hard, hardRuns, hills, intervals, tempo, strides);
        }

        /// <summary>Last week's longest hard run of this type, or of any type.</summary>
        public int LongestOf(HardRunType type)
        {
            var minutes = type switch
            {
                HardRunType.HillSprints => Hills,
                HardRunType.Intervals => Intervals,
                HardRunType.Tempo => Tempo,
                _ => Strides,
            };
            return minutes > 0 ? minutes : LongestHard;
        }
    }

    private PreviousRuns _deload;

    private void Compute(int strengthMinutes)
    {
        var profile = _week.Profile;
        var prior = _week.Prior;
        var recent = prior?.RecentLongestRuns ?? [PlanGenerator.InitialLongestRun(profile)];
        var longestRecent = 0;
        foreach (var minutes in recent)
        {
            longestRecent = Math.Max(longestRecent, minutes);
        }

        LongestAllowed = (int)Math.Floor(longestRecent * R2LongestRunSpike);
        // R8: an older novice's sprint reps start from the bottom once sprints begin.
        NextHillSprintReps = R8Stage() == SprintStage.Sprints ? NextReps(prior?.HillSprintReps, StartHillReps(), MaxHillReps()) : StartHillReps();
        NextIntervalReps = NextReps(prior?.IntervalReps, IntervalStartReps, IntervalMaxReps);

        _deload = PreviousRuns.Of(_week);
        var stage = StageThisWeek(out var nextStage);
        NextRunWalkStage = nextStage;
        if (stage > 0)
        {
            RunWalkStage = stage;
            EasyRunCount = Math.Min(RunSessions(profile.Goal, profile.RunningExperience, runWalk: true), BitOperations.PopCount((uint)_week.TrainingDays));
            if (_week.Race.Unloading)
            {
                // RC2, RC4: shorter sessions, and no more of them than the peak's share holds (at least one).
                var peak = _week.Prior?.BuildRunMinutes ?? profile.WeeklyRunMinutes;
                EasyRunCount = Math.Clamp((int)(peak * _week.Race.RunVolumeShare) / RunWalkMinutes(stage), Math.Min(1, EasyRunCount), EasyRunCount);
            }

            TargetMinutes = EasyRunCount * RunWalkMinutes(stage);
            return;
        }

        if (_week.TrainingDays == 0)
        {
            // RC4: a race on the week's first training day leaves no day to run before it.
            return;
        }

        // One run a day at most: more runs than training days would only shrink each one.
        var runs = Math.Min(RunSessions(profile.Goal, profile.RunningExperience, runWalk: false), BitOperations.PopCount((uint)_week.TrainingDays));
        var perRunCap = Math.Min(profile.MaxSessionMinutes, LongestAllowed);
        TargetMinutes = Math.Min(WeeklyTarget(strengthMinutes), runs * perRunCap);
        // Enough runs to hold the target within the per-run cap, so a week does not fall short
        // and drag the next week's R1 reference down with it.
        var holding = perRunCap > 0 ? (TargetMinutes + perRunCap - 1) / perRunCap : 1;
        runs = _deload.Runs > 0 ? _deload.Runs : Math.Clamp(Math.Max(TargetMinutes / MinEasyRunMinutes, holding), 1, runs);

        // R9: when days allow, more runs rather than easy runs nearly as long as the long run.
        var days = BitOperations.PopCount((uint)_week.TrainingDays);
        var hardWanted = R3HardRunSessions(profile.Goal, profile.RunningExperience, profile.HasHillAccess);
        while (_deload.Runs == 0 && runs > 1 + hardWanted && runs < days
            && EasyEstimate(runs, hardWanted, perRunCap) > LongRunFor(runs, perRunCap) * R9SpreadShareOfLongRun
            && EasyEstimate(runs + 1, hardWanted, perRunCap) >= MinEasyRunMinutes)
        {
            runs++;
        }

        HasLongRun = true;
        LongRunMinutes = Math.Min(perRunCap, (int)(TargetMinutes * LongRunShare(runs)));
        if (_week.Race.BuildsLongRun && profile.Race is { } race)
        {
            // RC3: toward what the distance needs, within R2 and the session cap, at most half the week.
            LongRunMinutes = Math.Min(perRunCap, Math.Max(LongRunMinutes, Math.Min(RaceBlock.LongRunGoalMinutes(race.DistanceKm), TargetMinutes / 2)));
        }
        else if (_week.Race.Phase == RacePhase.Race)
        {
            // RC4: the race is race week's long run.
            HasLongRun = false;
            LongRunMinutes = 0;
        }

        if (_deload.Long > 0)
        {
            // P1: the deload's long run is last week's cut by a third, never longer.
            LongRunMinutes = Math.Min(perRunCap, DeloadMinutes(_deload.Long));
        }

        var hard = new List<HardRun>(2);
        if (_week.Adjustment != Adjustment.Reentry)
        {
            var wanted = Math.Min(R3HardRunSessions(profile.Goal, profile.RunningExperience, profile.HasHillAccess), runs - 1);
            wanted = _deload.Runs > 0 ? Math.Min(wanted, _deload.HardRuns) : wanted;
            // RC4: in race week the race is the hard session; the recovery week runs easy.
            wanted = _week.Race.Phase is RacePhase.Race or RacePhase.Recovery ? 0 : wanted;
            AddHardRuns(hard, R8Stage() switch { SprintStage.NoIntensity => 0, SprintStage.Moderate => Math.Min(wanted, 1), _ => wanted });
        }

        HardRuns = hard;
        var hardMinutes = 0;
        foreach (var run in hard)
        {
            hardMinutes += run.DurationMinutes;
        }

        var easyBudget = TargetMinutes - LongRunMinutes - hardMinutes;
        EasyRunCount = _deload.Runs > 0
            ? Math.Max(0, runs - 1 - hard.Count)
            : Math.Max(0, Math.Min(runs - 1 - hard.Count, easyBudget / MinEasyRunMinutes));

        // R9: easy runs stay well short of the long run; what they cannot hold goes to the long
        // run, within R2's and the session's cap.
        if (_deload.Runs == 0 && EasyRunCount >= 2 && easyBudget / EasyRunCount > LongRunMinutes * R9EasyShareOfLongRun)
        {
            var balanced = (int)((TargetMinutes - hardMinutes) / (1 + (EasyRunCount * R9EasyShareOfLongRun)));
            LongRunMinutes = Math.Min(perRunCap, Math.Max(LongRunMinutes, balanced));
        }
    }

    /// <summary>Each easy run's minutes with this many runs, hard runs counted at a typical length.</summary>
    private int EasyEstimate(int runs, int hard, int perRunCap) =>
        (TargetMinutes - LongRunFor(runs, perRunCap) - (hard * R9HardRunEstimateMinutes)) / Math.Max(1, runs - 1 - hard);

    private int LongRunFor(int runs, int perRunCap) => Math.Min(perRunCap, (int)(TargetMinutes * LongRunShare(runs)));

    private static double LongRunShare(int runs) => runs switch { 1 => 1.0, 2 => 0.5, 3 => 0.4, 4 => 0.33, _ => 0.3 };

    /// <summary>R1 applied to the last build week, capped by the goal's share of training time (W5).</summary>
    private int WeeklyTarget(int strengthMinutes)
    {
        var profile = _week.Profile;
        var goalMinutes = Math.Max((int)(strengthMinutes * W5RunToStrengthRatio(profile.Goal)), 2 * MinEasyRunMinutes);
        var reference = _week.Prior?.BuildRunMinutes ?? profile.WeeklyRunMinutes;
        if (profile.Goal == Goal.Endurance)
        {
            // Running comes first for this goal: never cut a runner's volume to fit the split,
            // and grow it toward R9's weekly target.
            goalMinutes = Math.Max(Math.Max(goalMinutes, reference), R9WeeklyRunTarget(profile.Goal, profile.RunningExperience, profile.WeeklyRunMinutes));
        }
        else if (profile.Goal == Goal.Balanced)
        {
            goalMinutes = Math.Max(goalMinutes, R9WeeklyRunTarget(profile.Goal, profile.RunningExperience, profile.WeeklyRunMinutes));
        }

        var growth = _week.Older ? R1WeeklyRunGrowthOlder : R1WeeklyRunGrowth;
        var target = _week.Adjustment switch
        {
            Adjustment.Start => Math.Min(goalMinutes, _week.Older ? (int)(reference * 0.9) : reference),
            Adjustment.Progress => Math.Min(goalMinutes, (int)Math.Floor(reference * (1 + growth))),
            Adjustment.Hold => Math.Min(goalMinutes, reference),
            Adjustment.Reduce => Math.Min(goalMinutes, (int)(reference * P2ReduceFactor)),
            // P2: a re-entry steps back once; weeks missed in a row after it offer the same
            // re-entry rather than one ever shorter.
            Adjustment.Reentry when _week.Prior?.MissedStreak >= P2ReentryMissedStreak => Math.Min(goalMinutes, reference),
            Adjustment.Reentry => Math.Min(goalMinutes, (int)(reference * P2ReentryFactor)),
            _ => Math.Min(goalMinutes, (int)(reference * P1DeloadRunFactor)),
        };

        // RC2, RC4: taper, race and recovery weeks keep a share of the peak, whose minutes the
        // reference holds through them.
        return _week.Race.Unloading ? Math.Min(target, (int)(reference * _week.Race.RunVolumeShare)) : target;
    }

    /// <summary>R4: the run/walk stage for this week (0 once graduated) and the stage the next week builds on.</summary>
    private int StageThisWeek(out int next)
    {
        var prior = _week.Prior;
        if (prior is null)
        {
            var start = StartingRunWalkStage(_week.Profile);
            next = start;
            return start;
        }

        var stage = prior.RunWalkStage;
        if (stage == 0)
        {
            next = 0;
            return 0;
        }

        if (_week.Race.Unloading)
        {
            next = stage;
            return stage;
        }

        switch (_week.Adjustment)
        {
            case Adjustment.Progress when stage == R4Stages:
                next = 0;
                return 0;
            case Adjustment.Progress:
                next = stage + 1;
                return next;
            case Adjustment.Reduce:
                next = Math.Max(1, stage - 1);
                return next;
            case Adjustment.Reentry:
                next = Math.Max(1, stage - 2);
                return next;
            case Adjustment.Deload:
                next = stage;
                return Math.Max(1, stage - 1);
            default:
                next = stage;
                return stage;
        }
    }

    private enum SprintStage { Sprints, NoIntensity, Moderate }

    /// <summary>
    /// R8: a person of 60 or more new to both running and lifting gets no near-maximal sprints in
    /// the first block, then strides at moderate effort for a block, then sprints from the bottom.
    /// </summary>
    private SprintStage R8Stage() => !(_week.Older && _week.Beginner) ? SprintStage.Sprints
        : _week.WeekIndex <= R8NoIntensityWeeks ? SprintStage.NoIntensity
        : _week.WeekIndex <= R8ModerateUntilWeek ? SprintStage.Moderate
        : SprintStage.Sprints;

    private void AddHardRuns(List<HardRun> hard, int wanted)
    {
        var profile = _week.Profile;
        // A deload's easy runs are rounded down and capped below last week's, so its hard work
        // keeps a minute of headroom per easy run under R3's share of what is finally placed.
        var maxHardMinutes = (int)(TargetMinutes * R3MaxHardShare) - (_deload.Runs > 0 ? Math.Max(0, _deload.Runs - 1 - wanted) : 0);
        var budget = TargetMinutes - LongRunMinutes;
        for (var i = 0; i < wanted; i++)
        {
            var type = (i, profile.HasHillAccess) switch
            {
                _ when R8Stage() == SprintStage.Moderate => HardRunType.Strides,
                (0, true) => HardRunType.HillSprints,
                (0, false) => HardRunType.Intervals,
                (_, true) => HardRunType.Intervals,
                _ => HardRunType.Tempo,
            };

            var used = 0;
            foreach (var run in hard)
            {
                used += run.HardMinutes;
            }

            // P1: a deload keeps last week's hard runs, none longer than before, even where they
            // take a larger share of its shorter running.
            var room = _deload.LongestOf(type) > 0 ? _deload.LongestOf(type) : budget;
            if (Build(type, _deload.Runs > 0 ? (maxHardMinutes - used) / (wanted - i) : maxHardMinutes - used, room) is { } run2 && run2.DurationMinutes <= room)
            {
                hard.Add(run2);
                budget -= run2.DurationMinutes;
            }
        }
    }

    private HardRun? Build(HardRunType type, int hardMinutesLeft, int budget)
    {
        var maxMinutes = Math.Min(_week.Profile.MaxSessionMinutes, LongestAllowed);
        var deload = _week.Adjustment == Adjustment.Deload;
        switch (type)
        {
            case HardRunType.HillSprints:
            case HardRunType.Strides:
            {
                var strides = type == HardRunType.Strides;
                var start = strides ? R8StrideReps : NextHillSprintReps;
                var reps = deload ? Math.Max(2, (int)Math.Round(start * P1DeloadRepsFactor)) : start;

                // The warm-up shortens before a rep is dropped, so the sprints fit a shorter week
                // instead of vanishing from it.
                var fit = Math.Min(maxMinutes, budget);
                var warmup = R5WarmupMinutes;
                while (warmup > R5MinWarmupMinutes && warmup + (reps * R5MinutesPerRep) + R5CooldownMinutes > fit)
                {
                    warmup--;
                }

                while (reps > 2 && warmup + (reps * R5MinutesPerRep) + R5CooldownMinutes > fit)
                {
                    reps--;
                }

                var duration = warmup + (reps * R5MinutesPerRep) + R5CooldownMinutes;
                var hardMinutes = ((reps * (strides ? R8StrideSeconds : R5SecondsPerRep)) + 59) / 60;
                return duration <= fit && hardMinutes <= hardMinutesLeft ? new HardRun(type, reps, duration, hardMinutes, warmup) : null;
            }

            case HardRunType.Intervals:
            {
                var reps = deload ? Math.Max(2, (int)Math.Round(NextIntervalReps * P1DeloadRepsFactor)) : NextIntervalReps;
                var work = IntervalWorkMinutes;
                if (deload && reps * work > hardMinutesLeft)
                {
                    // P1: a deload keeps its intervals, shorter, rather than dropping them.
                    work = Math.Max(1, hardMinutesLeft / reps);
                }

                reps = Math.Min(reps, hardMinutesLeft / work);
                var fit = Math.Min(maxMinutes, budget);
                while (reps > 2 && IntervalDuration(reps, work) > fit)
                {
                    reps--;
                }

                // A shorter warm-up and shorter reps before no intervals at all: a short week keeps
                // its quality session.
                var warmup = R5WarmupMinutes;
                while (warmup > R5MinWarmupMinutes && IntervalDuration(reps, work, warmup) > fit)
                {
                    warmup--;
                }

                while (work > (deload ? 1 : IntervalMinWorkMinutes) && IntervalDuration(reps, work, warmup) > fit)
                {
                    work--;
                }

                var duration = IntervalDuration(reps, work, warmup);
                return reps >= 2 && duration <= fit ? new HardRun(type, reps, duration, reps * work, warmup, work) : null;
            }

            default:
            {
                var tempo = TempoStartMinutes + ((NextIntervalReps - IntervalStartReps) * 5);
                tempo = deload ? (int)(tempo * P1DeloadRepsFactor) : tempo;
                tempo = Math.Min(Math.Min(tempo, TempoMaxMinutes), Math.Min(hardMinutesLeft, maxMinutes - R5WarmupMinutes - R5CooldownMinutes));
                return tempo >= (deload ? P1DeloadMinTempoMinutes : TempoMinMinutes) ? new HardRun(type, tempo, R5WarmupMinutes + tempo + R5CooldownMinutes, tempo) : null;
            }
        }
    }

    private static int IntervalDuration(int reps, int work, int warmup = R5WarmupMinutes) =>
        warmup + (reps * work) + ((reps - 1) * IntervalRecoveryMinutes) + R5CooldownMinutes;

    private int StartHillReps() =>
        TrainingRules.IsNovice(_week.Profile.RunningExperience) || _week.Older ? R5StartRepsBeginner : R5StartReps;

    private int MaxHillReps() =>
        TrainingRules.IsNovice(_week.Profile.RunningExperience) || _week.Older ? R5MaxRepsBeginner : R5MaxReps;

    /// <summary>R5: build by one rep a progressing week; hold, or step back when load is cut.</summary>
    private int NextReps(int? prior, int start, int max)
    {
        if (prior is not { } reps)
        {
            return start;
        }

        return _week.Adjustment switch
        {
            Adjustment.Progress => Math.Min(max, reps + R5RepIncrease),
            Adjustment.Reduce => Math.Max(start, reps - 1),
            Adjustment.Reentry => Math.Max(start, reps - 2),
            _ => reps,
        };
    }
}

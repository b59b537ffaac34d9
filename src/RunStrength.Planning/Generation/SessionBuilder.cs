using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Targets;
using RunStrength.Planning.Profiles;
using static RunStrength.Planning.Generation.TrainingRules;

namespace RunStrength.Planning.Generation;

/// <summary>Turns the layout and the week's volumes into sessions, ordered by day and by W2 within a day.</summary>
internal sealed class SessionBuilder(WeekContext week)
{
    private static readonly string[] RunWalkRules = ["R4", "S1", "W4"];
    private static readonly string[] EasyRules = ["R3", "S5", "W4"];
    private static readonly string[] LongRules = ["R2", "R3", "W4"];
    private static readonly string[] HillRules = ["R5", "S7", "S2", "W1"];
    private static readonly string[] IntervalRules = ["R3", "S1", "S2", "W1"];
    private static readonly string[] TempoRules = ["R3", "W1"];
    private static readonly string[] StrideRules = ["R8", "R3", "W6", "W1"];
    private static readonly string[] PlyoRules = ["R6", "R7", "S6"];
    private static readonly string[] RestRules = ["W3"];
    private static readonly string[] RaceRules = ["RC1", "RC4", "Z1"];
    private static readonly string[] OlderRestRules = ["W3", "W6"];

    private readonly List<(Session Session, int Rank)> _sessions = new(10);

    private int _runWalkStage;

    public void AddRuns(RunVolume runs, Layout layout)
    {
        _runWalkStage = runs.RunWalkStage;
        if (runs.HasLongRun)
        {
            Add(layout.LongRunDay, LongRun(runs.LongRunMinutes), RunRank(hardOrLong: true));
        }

        var hardCount = Math.Min(layout.HardRuns, runs.HardRuns.Count);
        var hardMinutes = 0;
        for (var i = 0; i < hardCount; i++)
        {
            hardMinutes += runs.HardRuns[i].DurationMinutes;
        }

        var easyMinutes = runs.EasyRunMinutes(hardMinutes, layout.EasyRuns);

        // R3 on what was actually placed: hard work stays within its share of the week's running.
        var total = (runs.HasLongRun ? runs.LongRunMinutes : 0) + hardMinutes + (easyMinutes * layout.EasyRuns);
        var placedHard = 0;
        var hardWork = 0;
        for (var day = 0; day < 7 && placedHard < hardCount; day++)
        {
            if ((layout.HardRunDays & (1 << day)) != 0)
            {
                var run = runs.HardRuns[placedHard++];
                var withinShare = hardWork + run.HardMinutes <= total * R3MaxHardShare;
                hardWork += withinShare ? run.HardMinutes : 0;
                Add(day, withinShare ? HardRunSession(run) : EasyRun(run.DurationMinutes, Zone(RunZone.Easy)), RunRank(hardOrLong: withinShare));
            }
        }

        for (var day = 0; day < 7 && easyMinutes > 0; day++)
        {
            if ((layout.EasyRunDays & (1 << day)) != 0)
            {
                var session = runs.RunWalkStage > 0 ? RunWalk(runs.RunWalkStage, easyMinutes) : EasyRun(easyMinutes, Zone(RunZone.Easy));
                Add(day, session, RunRank(hardOrLong: false));
            }
        }
    }

    public void AddStrength(StrengthVolume sets, Layout layout, ExerciseChoices choices, PreviousExercises previous)
    {
        var lowerIndex = 0;
        var upperIndex = 1;
        var fullIndex = 0;
        for (var day = 0; day < 7; day++)
        {
            var bit = 1 << day;
            if ((layout.LegsDays & bit) != 0)
            {
                var index = sets.Split ? lowerIndex : fullIndex++;
                lowerIndex += 2;
                Add(day, Strength(sets, index, choices, previous), StrengthRank());
            }
            else if ((layout.UpperDays & bit) != 0)
            {
                Add(day, Strength(sets, upperIndex, choices, previous), StrengthRank());
                upperIndex += 2;
            }
        }
    }

    public void AddPlyometrics(Layout layout)
    {
        var contacts = Plyometrics.Contacts(week);
        for (var day = 0; day < 7; day++)
        {
            if ((layout.PlyometricsDays & (1 << day)) != 0)
            {
                Add(day, PlyometricsSession(contacts), rank: PlyometricsRank);
            }
        }
    }

    private Session PlyometricsSession(int contacts) => Draft(
        kind: SessionKind.Plyometrics,
        type: "plyometrics",
        title: "Plyometrics",
        minutes: Plyometrics.Duration(contacts),
        rpe: 7,
        blocks: Plyometrics.Blocks(contacts, IsNovice(Plyometrics.Level(week))),
        why: $"{contacts} ground contacts of hops and jumps add muscle stimulus and spring for running (R6, S6); never the day before a key run, at least 48 h from the last plyometrics, and fresh, before any run that day; the dose follows your less trained side (R7).",
        rules: PlyoRules,
        contacts: contacts);

    /// <summary>True when a strength session lost sets to fit its day (W7).</summary>
    public bool StrengthTrimmed { get; private set; }

    /// <summary>
    /// W7: a day's sessions together fit <c>maxSessionMinutes</c>. Over budget, sessions shorten in
    /// an order set by the goal (what serves the goal shortens last, W2, S8), each to a floor;
    /// if that is not enough, the same order drops whole sessions.
    /// </summary>
    public void FitDays()
    {
        // P1's cuts are the deload's, not time's: they mark the sessions they shorten with P1, and
        // the week limited by time only when the week they follow was.
        var limitedByTime = StrengthTrimmed;
        CapDeload();
        StrengthTrimmed = limitedByTime || (StrengthTrimmed && week.Request.Previous?.Summary.VolumeLimitedByTime == true);
        var budget = week.Profile.MaxSessionMinutes;
        for (var day = IsoDayOfWeek.Monday; day <= IsoDayOfWeek.Sunday; day++)
        {
            var excess = -budget;
            foreach (var (session, _) in _sessions)
            {
                excess += session.Day == day ? session.DurationMinutes : 0;
            }

            for (var pass = 0; pass < 2 && excess > 0; pass++)
            {
                foreach (var kind in pass == 0 ? TrimOrder() : DropOrder())
                {
                    for (var i = _sessions.Count - 1; i >= 0 && excess > 0; i--)
                    {
                        var (session, rank) = _sessions[i];
                        if (session.Day != day || TrimKind(session) != kind)
                        {
                            continue;
                        }

                        if (pass == 1 && week.Adjustment == Adjustment.Deload && session.Kind == SessionKind.Strength
                            && TrimStrength(session, session.DurationMinutes - excess, minimumSets: 1) is var single
                            && single.DurationMinutes <= session.DurationMinutes - excess)
                        {
                            // P1: a deload keeps each session type's frequency, down to a single set.
                            excess -= session.DurationMinutes - single.DurationMinutes;
                            _sessions[i] = (single with { Rules = WithRule(session.Rules, "W7") }, rank);
                            continue;
                        }

                        if (pass == 1)
                        {
                            excess -= session.DurationMinutes;
                            _sessions.RemoveAt(i);
                            StrengthTrimmed |= session.Kind == SessionKind.Strength;
                            MarkDay(day);
                            continue;
                        }

                        var trimmed = Trim(session, session.DurationMinutes - excess);
                        if (trimmed.DurationMinutes < session.DurationMinutes)
                        {
                            excess -= session.DurationMinutes - trimmed.DurationMinutes;
                            _sessions[i] = (trimmed with
                            {
                                Day = session.Day,
                                Date = session.Date,
                                Rules = WithRule(session.Rules, "W7"),
                            }, rank);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// P1: no deload strength or plyometrics session is longer than last week's longest of its
    /// kind, which W7 may have shortened.
    /// </summary>
    private void CapDeload()
    {
        if (week.Adjustment != Adjustment.Deload || week.Request.Previous is not { } previous)
        {
            return;
        }

        // Each session is held to last week's session of the same kind and place in length order:
        // the longest to last week's longest, the second to the second, and so on.
        Span<int> places = stackalloc int[_sessions.Count];
        for (var i = 0; i < _sessions.Count; i++)
        {
            var session = _sessions[i].Session;
            places[i] = 0;
            for (var j = 0; j < _sessions.Count; j++)
            {
                var other = _sessions[j].Session;
                places[i] += other.Kind == session.Kind && (other.DurationMinutes > session.DurationMinutes || (other.DurationMinutes == session.DurationMinutes && j < i)) ? 1 : 0;
            }
        }

        for (var i = 0; i < _sessions.Count; i++)
        {
            var (session, rank) = _sessions[i];
            if (session.Kind is not (SessionKind.Strength or SessionKind.Plyometrics))
            {
                continue;
            }

            var cap = PlaceMinutes(previous, session.Kind, places[i]);
            if (cap > 0 && session.DurationMinutes > cap)
            {
                // A deload may go below W7's two-set floor: it must not outlast last week's session.
                var trimmed = session.Kind == SessionKind.Strength ? TrimStrength(session, cap, minimumSets: 1) : Trim(session, cap);
                _sessions[i] = (trimmed with { Day = session.Day, Date = session.Date, Rules = WithRule(session.Rules, "P1") }, rank);
            }
        }

        // P1: an easy run is no longer than last week's easy run on its day, which W7 may have
        // shortened beside another session: the deload's even share must not undo that.
        for (var i = 0; i < _sessions.Count; i++)
        {
            var (session, rank) = _sessions[i];
            if (session.Kind != SessionKind.Run || session.IsLongRun || session.IsHardRun || session.IsRace || session.Type == "run-walk")
            {
                continue;
            }

            var cap = EasyRunMinutesOn(previous, session.Day);
            if (cap > 0 && session.DurationMinutes > cap)
            {
                var trimmed = Trim(session, cap);
                _sessions[i] = (trimmed with { Day = session.Day, Date = session.Date, Rules = WithRule(session.Rules, "P1") }, rank);
            }
        }

        // P1: the deload's strength minutes in all stay below last week's (which W7 or T10 may
        // have kept short): the deload's own set target cannot undo that.
        var lastWeek = 0;
        foreach (var session in previous.Sessions)
        {
            lastWeek += session.Kind == SessionKind.Strength ? session.DurationMinutes : 0;
        }

        for (var guard = 0; guard < 8; guard++)
        {
            var now = 0;
            var longestAt = -1;
            for (var i = 0; i < _sessions.Count; i++)
            {
                var session = _sessions[i].Session;
                if (session.Kind == SessionKind.Strength)
                {
                    now += session.DurationMinutes;
                    longestAt = longestAt < 0 || session.DurationMinutes > _sessions[longestAt].Session.DurationMinutes ? i : longestAt;
                }
            }

            if (lastWeek == 0 || now < lastWeek || longestAt < 0)
            {
                break;
            }

            var (longestSession, longestRank) = _sessions[longestAt];
            var cut = TrimStrength(longestSession, longestSession.DurationMinutes - (now - lastWeek) - 1, minimumSets: 1);
            if (cut.DurationMinutes >= longestSession.DurationMinutes)
            {
                break;
            }

            _sessions[longestAt] = (cut with { Day = longestSession.Day, Date = longestSession.Date, Rules = longestSession.Rules.Contains("P1") ? longestSession.Rules : WithRule(longestSession.Rules, "P1") }, longestRank);
        }
    }

    /// <summary>The minutes of last week's easy run on <paramref name="day"/>; 0 for none.</summary>
    private static int EasyRunMinutesOn(WeekPlan previous, IsoDayOfWeek day)
    {
        foreach (var session in previous.Sessions)
        {
            if (session.Day == day && session.Kind == SessionKind.Run && !session.IsLongRun && !session.IsHardRun && !session.IsRace)
            {
                return session.DurationMinutes;
            }
        }

        return 0;
    }

    /// <summary>The minutes of last week's <paramref name="place"/>-th longest session of a kind (0 for the longest); its shortest past the end; 0 for none.</summary>
    private static int PlaceMinutes(WeekPlan previous, SessionKind kind, int place)
    {
        Span<int> minutes = stackalloc int[previous.Sessions.Count];
        var count = 0;
        for (var i = 0; i < previous.Sessions.Count; i++)
        {
            if (previous.Sessions[i].Kind == kind)
            {
                minutes[count++] = previous.Sessions[i].DurationMinutes;
            }
        }

        if (count == 0)
        {
            return 0;
        }

        minutes[..count].Sort();
        return minutes[Math.Max(0, count - 1 - place)];
    }

    /// <summary>R3 on what W7 left: a hard run past the hard share of the week's running becomes easy.</summary>
    public void KeepHardShare()
    {
        int total = 0, hard = 0;
        foreach (var (session, _) in _sessions)
        {
            total += session.Kind == SessionKind.Run ? session.DurationMinutes : 0;
            hard += session.HardMinutes;
        }

        for (var i = _sessions.Count - 1; i >= 0 && hard > Math.Max(1, total * R3MaxHardShare); i--)
        {
            var (session, rank) = _sessions[i];
            if (session.IsHardRun)
            {
                hard -= session.HardMinutes;
                _sessions[i] = (EasyRun(session.DurationMinutes, Zone(RunZone.Easy)) with { Day = session.Day, Date = session.Date }, RunRank(hardOrLong: false));
            }
        }
    }

    /// <summary>
    /// RC4: fresh legs on race day. No heavy legs or plyometrics within four days before the race
    /// (a session keeps its upper-body work), and no hard run in the two days before it.
    /// </summary>
    public void KeepRaceFresh()
    {
        if (week.Race.Phase is not (RacePhase.Taper or RacePhase.Race) || week.Profile.Race is not { } race)
        {
            return;
        }

        for (var i = _sessions.Count - 1; i >= 0; i--)
        {
            var (session, rank) = _sessions[i];
            var daysBefore = Period.Between(session.Date, race.Date, PeriodUnits.Days).Days;
            if (daysBefore is < 0 or > RC4NoHeavyLegsDays)
            {
                continue;
            }

            if (session.Kind == SessionKind.Plyometrics || (session.IsHeavyLegs && WithoutLegs(session) is null))
            {
                _sessions.RemoveAt(i);
            }
            else if (session.IsHeavyLegs)
            {
                _sessions[i] = (WithoutLegs(session)! with { Rules = WithRule(session.Rules, "RC4") }, rank);
            }
            else if (session.IsHardRun && daysBefore <= RC4NoHardRunDays)
            {
                _sessions[i] = (EasyRunInsteadOf(session) with { Rules = WithRule(EasyRules, "RC4") }, RunRank(hardOrLong: false));
            }
        }
    }

    /// <summary>RC4: the race on its day, with a pace target from the zones when they are known (Z1).</summary>
    public void AddRace()
    {
        if (week.RaceDay < 0 || week.Profile.Race is not { } race)
        {
            return;
        }

        var zone = RaceZone(race.DistanceKm);
        var pace = week.Zones.Pace(zone) is { } band ? (band.Min + band.Max) / 2 : RC4EstimatedPaceSecPerKm(week.Profile.RunningExperience);
        var raceMinutes = (int)Math.Ceiling(race.DistanceKm * pace / 60);
        var warmup = race.DistanceKm <= RC4WarmupUpToKm ? RC4WarmupMinutes : 0;
        var distance = race.DistanceKm.ToString("0.##", CultureInfo.InvariantCulture);
        var blocks = new List<Block>(2);
        if (warmup > 0)
        {
            blocks.Add(new Block { Name = "warm-up", Minutes = warmup, Detail = "easy jog, drills and three or four strides, finishing shortly before the start", Target = Zone(RunZone.Easy) });
        }

        blocks.Add(new Block
        {
            Name = "main",
            Minutes = raceMinutes,
            Detail = string.Create(CultureInfo.InvariantCulture, $"{distance} km at even effort: the first kilometres no faster than the target{(week.Zones.Pace(zone) is null ? $"; about {raceMinutes} min, estimated without a recent race or threshold pace" : "")}"),
            Target = Zone(zone),
        });

        Add(week.RaceDay, Draft(
            kind: SessionKind.Run,
            type: "race",
            title: race.Name is { } name ? $"Race: {name}" : $"Race: {distance} km",
            minutes: warmup + raceMinutes,
            rpe: 9,
            blocks: blocks,
            why: "The day the plan built toward (RC1): base, build and peak weeks, then a taper that cut running while keeping its intensity (RC2). Fresh legs: no heavy lifting in the last four days (RC4). A recovery week follows.",
            rules: RaceRules), RunRank(hardOrLong: true));
    }

    /// <summary>RC4: the zone a race of this distance is run at (Daniels: about interval pace for 5 km, threshold for 10 km, tempo for a half, steady for a marathon).</summary>
    private static RunZone RaceZone(double distanceKm) => distanceKm switch
    {
        <= 6 => RunZone.Interval,
        <= 15 => RunZone.Threshold,
        <= 30 => RunZone.Tempo,
        _ => RunZone.Steady,
    };

    /// <summary>W7 on every session left on a day that lost one to time.</summary>
    private void MarkDay(IsoDayOfWeek day)
    {
        for (var i = 0; i < _sessions.Count; i++)
        {
            var (session, rank) = _sessions[i];
            if (session.Day == day && !session.Rules.Contains("W7"))
            {
                _sessions[i] = (session with { Rules = WithRule(session.Rules, "W7") }, rank);
            }
        }
    }

    private enum Trimmable { Plyometrics, EasyRun, LongRun, HardRun, Strength, RunWalk }

    private static Trimmable TrimKind(Session session) => session.Kind switch
    {
        SessionKind.Plyometrics => Trimmable.Plyometrics,
        SessionKind.Strength => Trimmable.Strength,
        _ when session.IsLongRun => Trimmable.LongRun,
        _ when session.IsHardRun => Trimmable.HardRun,
        _ when session.Type == "run-walk" => Trimmable.RunWalk,
        _ => Trimmable.EasyRun,
    };

    // Runs carry progression (R1, R2, R4), so they shorten after strength sets, which do not;
    // the muscle goal keeps its strength longest only against plyometrics and easy runs.
    private static readonly Trimmable[] MuscleTrimOrder = [Trimmable.Plyometrics, Trimmable.EasyRun, Trimmable.Strength, Trimmable.LongRun, Trimmable.HardRun, Trimmable.RunWalk];
    private static readonly Trimmable[] EnduranceTrimOrder = [Trimmable.Strength, Trimmable.Plyometrics, Trimmable.EasyRun, Trimmable.HardRun, Trimmable.LongRun, Trimmable.RunWalk];
    private static readonly Trimmable[] BalancedTrimOrder = [Trimmable.Strength, Trimmable.Plyometrics, Trimmable.EasyRun, Trimmable.HardRun, Trimmable.LongRun, Trimmable.RunWalk];

    // Whole sessions go in an order that keeps the goal's work and the run/walk progression longest.
    private static readonly Trimmable[] MuscleDropOrder = [Trimmable.Plyometrics, Trimmable.EasyRun, Trimmable.HardRun, Trimmable.LongRun, Trimmable.Strength, Trimmable.RunWalk];
    private static readonly Trimmable[] OtherDropOrder = [Trimmable.Plyometrics, Trimmable.EasyRun, Trimmable.Strength, Trimmable.HardRun, Trimmable.LongRun, Trimmable.RunWalk];

    private Trimmable[] DropOrder() => week.Profile.Goal == Goal.Muscle ? MuscleDropOrder : OtherDropOrder;

    private Trimmable[] TrimOrder() => week.Profile.Goal switch
    {
        Goal.Muscle => MuscleTrimOrder,
        Goal.Endurance => EnduranceTrimOrder,
        _ => BalancedTrimOrder,
    };

    /// <summary>The session shortened towards <paramref name="minutes"/>, no further than its floor.</summary>
    private Session Trim(Session session, int minutes)
    {
        switch (session.Kind)
        {
            case SessionKind.Plyometrics:
            {
                var contacts = Math.Max(W7MinContacts, (minutes - R6WarmupMinutes) * R6ContactsPerMinute);
                return contacts < session.Contacts ? PlyometricsSession(contacts) : session;
            }

            case SessionKind.Strength:
                return TrimStrength(session, minutes);
            case SessionKind.Run when session.IsHardRun || session.Type == "run-walk":
                // Run/walk minutes are the R4 stage, each only a step above the last.
                return session;
            case SessionKind.Run:
            {
                var floor = Math.Min(session.DurationMinutes, W7MinRunMinutes);
                var target = Math.Max(floor, minutes);
                if (target >= session.DurationMinutes)
                {
                    return session;
                }

                return session.IsLongRun ? LongRun(target)
                    : session.Type == "run-walk" ? RunWalk(_runWalkStage, target)
                    : EasyRun(target, Zone(RunZone.Easy));
            }

            default:
                return session;
        }
    }

    /// <summary>
    /// W7 with T9's minutes: drops sets one at a time, the fullest exercise first and, at equal
    /// sets, accessories before split partners before main lifts, so what goes first is what
    /// matters least; pulling stays at two thirds of pushing and the hinge keeps its knee-flexion
    /// partner (T7). Two sets in all is the floor; a session that does not fit even then is W7's to drop.
    /// </summary>
    private Session TrimStrength(Session session, int minutes, int minimumSets = W7MinStrengthSets)
    {
        var count = session.Exercises.Count;
        Span<int> sets = stackalloc int[count];
        Span<int> floor = stackalloc int[count];
        Span<int> rank = stackalloc int[count];
        Span<int> group = stackalloc int[count];

        // T10: outside a deload, the session keeps a set of every major movement it trains.
        var dose = MinimumDose && minimumSets >= W7MinStrengthSets;
        Span<int> groupSets = stackalloc int[3];
        int seconds = 0, push = 0, pull = 0, total = 0;
        for (var i = 0; i < count; i++)
        {
            var exercise = session.Exercises[i];
            sets[i] = exercise.Sets;
            total += exercise.Sets;
            seconds += exercise.Sets * StrengthTime.SetSeconds(exercise);
            push += exercise.Pattern is MovementPattern.HorizontalPush or MovementPattern.VerticalPush ? exercise.Sets : 0;
            pull += exercise.Pattern == MovementPattern.Pull ? exercise.Sets : 0;
            var partner = i > 0 && session.Exercises[i - 1].Pattern == exercise.Pattern;
            rank[i] = ExerciseCatalog.IsAccessory(exercise.Pattern) ? 0 : partner && exercise.Pattern != MovementPattern.Hinge ? 1 : 2;
            floor[i] = exercise.Pattern == MovementPattern.Hinge ? 1 : 0;
            group[i] = MajorMovement(exercise.Pattern);
            if (group[i] >= 0)
            {
                groupSets[group[i]] += exercise.Sets;
            }
        }

        var removed = 0;
        while (total - removed > minimumSets && StrengthTime.SessionMinutes(seconds) > minutes)
        {
            var most = -1;
            for (var i = 0; i < count; i++)
            {
                var pattern = session.Exercises[i].Pattern;
                var keepPull = pattern == MovementPattern.Pull && (pull - 1) * 1.5 < push;
                var lastOfMovement = dose && group[i] >= 0 && groupSets[group[i]] <= 1;
                if (sets[i] <= Math.Min(floor[i], minimumSets - 1) || keepPull || lastOfMovement)
                {
                    continue;
                }

                most = most < 0 || sets[i] > sets[most] || (sets[i] == sets[most] && rank[i] < rank[most]) ? i : most;
            }

            if (most < 0)
            {
                break;
            }

            var mostPattern = session.Exercises[most].Pattern;
            push -= mostPattern is MovementPattern.HorizontalPush or MovementPattern.VerticalPush ? 1 : 0;
            pull -= mostPattern == MovementPattern.Pull ? 1 : 0;
            seconds -= StrengthTime.SetSeconds(session.Exercises[most]);
            groupSets[Math.Max(0, group[most])] -= group[most] >= 0 ? 1 : 0;
            sets[most]--;
            removed++;
        }

        if (removed == 0)
        {
            return session;
        }

        StrengthTrimmed = true;
        var exercises = new List<Exercise>(count);
        for (var i = 0; i < count; i++)
        {
            var exercise = session.Exercises[i];
            if (sets[i] > 0)
            {
                exercises.Add(sets[i] == exercise.Sets ? exercise : exercise with { Sets = sets[i] });
            }
        }

        return WithExercises(session, exercises);
    }

    /// <summary>T10: the session would have no set of the major movement <paramref name="pattern"/> leads.</summary>
    private static bool MissingMovement(StrengthVolume sets, int index, MovementPattern pattern) => pattern switch
    {
        MovementPattern.Squat => sets.SessionSets(index, MovementPattern.Lunge) == 0,
        MovementPattern.Hinge or MovementPattern.Pull => true,
        MovementPattern.HorizontalPush => sets.SessionSets(index, MovementPattern.VerticalPush) == 0,
        _ => false,
    };

    /// <summary>T10: outside a deload every strength session keeps the minimum effective dose.</summary>
    private bool MinimumDose => week.Adjustment != Adjustment.Deload;

    /// <summary>T10: the major movement a pattern serves besides the hinge (knee-dominant, push, pull), or -1.</summary>
    private static int MajorMovement(MovementPattern pattern) => pattern switch
    {
        MovementPattern.Squat or MovementPattern.Lunge => 0,
        MovementPattern.HorizontalPush or MovementPattern.VerticalPush => 1,
        MovementPattern.Pull => 2,
        _ => -1,
    };

    /// <summary>W1, R3 at a replan's seam: an easy run as long as the hard run it replaces.</summary>
    public static Session EasyRunInsteadOf(Session hard) =>
        EasyRun(hard.DurationMinutes, hard.Blocks.FirstOrDefault(b => b.Target?.Zone == RunZone.Easy)?.Target) with { Id = hard.Id, Day = hard.Day, Date = hard.Date, Rules = WithRule(EasyRules, "W1") };

    /// <summary>W8 at a replan's seam: the session without its lower-body lifts, or nothing when that is all it had.</summary>
    public static Session? WithoutLegs(Session strength)
    {
        var upper = new List<Exercise>(strength.Exercises.Count);
        foreach (var exercise in strength.Exercises)
        {
            if (!ExerciseCatalog.LoadsLegs(exercise.Pattern))
            {
                upper.Add(exercise);
            }
        }

        return upper.Count == 0 ? null : WithExercises(strength, upper) with { Rules = WithRule(strength.Rules, "W8") };
    }

    /// <summary>The session with these exercises, its minutes and blocks by T9.</summary>
    private static Session WithExercises(Session session, List<Exercise> exercises)
    {
        var seconds = 0;
        var legs = false;
        foreach (var exercise in exercises)
        {
            seconds += exercise.Sets * StrengthTime.SetSeconds(exercise);
            legs |= ExerciseCatalog.LoadsLegs(exercise.Pattern);
        }

        return session with
        {
            Exercises = exercises,
            DurationMinutes = StrengthTime.SessionMinutes(seconds),
            Blocks = StrengthBlocks(seconds),
            IsHeavyLegs = legs,
        };
    }

    /// <summary>
    /// T7 over the week: when W7 trimmed or dropped strength, pulling may have fallen below two
    /// thirds of pushing; pushing sets go, from the fullest pressing exercise, until it holds.
    /// </summary>
    public void KeepPullingToPushing()
    {
        int push = 0, pull = 0;
        foreach (var (session, _) in _sessions)
        {
            foreach (var exercise in session.Exercises)
            {
                push += IsPush(exercise) ? exercise.Sets : 0;
                pull += exercise.Pattern == MovementPattern.Pull ? exercise.Sets : 0;
            }
        }

        while (pull * 1.5 < push)
        {
            int fullest = -1, at = -1;
            for (var i = 0; i < _sessions.Count; i++)
            {
                var exercises = _sessions[i].Session.Exercises;
                for (var j = 0; j < exercises.Count; j++)
                {
                    if (IsPush(exercises[j]) && (fullest < 0 || exercises[j].Sets > _sessions[fullest].Session.Exercises[at].Sets))
                    {
                        (fullest, at) = (i, j);
                    }
                }
            }

            var (trimmed, rank) = _sessions[fullest];
            var kept = new List<Exercise>(trimmed.Exercises.Count);
            for (var j = 0; j < trimmed.Exercises.Count; j++)
            {
                var exercise = trimmed.Exercises[j];
                if (j != at)
                {
                    kept.Add(exercise);
                }
                else if (exercise.Sets > 1)
                {
                    kept.Add(exercise with { Sets = exercise.Sets - 1 });
                }
            }

            _sessions[fullest] = (WithExercises(trimmed, kept), rank);
            push--;
            StrengthTrimmed = true;
        }

        static bool IsPush(Exercise exercise) => exercise.Pattern is MovementPattern.HorizontalPush or MovementPattern.VerticalPush;
    }

    /// <summary>
    /// T8: a novice's reps week moves reps only. When W7's time moved a lift's weekly sets from
    /// last week, reps, load and level hold instead, so still only one thing changes.
    /// </summary>
    public void KeepNoviceToOneChange(PreviousExercises previous, int rir)
    {
        if (!IsNovice(week.Profile.StrengthExperience) || week.Adjustment != Adjustment.Progress || week.BlockWeek != 2 || week.Previous is not { } before
            || !(SetsMoved(before) || RirMoved(before, rir)))
        {
            return;
        }

        for (var i = 0; i < _sessions.Count; i++)
        {
            var (session, rank) = _sessions[i];
            if (session.Kind != SessionKind.Strength)
            {
                continue;
            }

            var held = new List<Exercise>(session.Exercises.Count);
            foreach (var exercise in session.Exercises)
            {
                var prior = previous.Find(exercise.Id);
                if (prior is not null)
                {
                    held.Add(exercise with { TargetReps = prior.TargetReps, LoadSteps = prior.LoadSteps, LoadKg = prior.LoadKg, Progression = LoadAction.Hold });
                }
                else if (exercise.Progression == LoadAction.HarderVariant && Easier(before, exercise) is { } easier)
                {
                    // T6's step up the ladder waits too: last week's variant, as it was.
                    held.Add(easier with { Sets = exercise.Sets, TargetRir = exercise.TargetRir, Progression = LoadAction.Hold });
                }
                else
                {
                    held.Add(exercise);
                }
            }

            _sessions[i] = (WithExercises(session, held) with { Rules = WithRule(session.Rules, "T8") }, rank);
        }
    }

    private static Exercise? Easier(WeekPlan before, Exercise harder)
    {
        var easier = ExerciseCatalog.EasierId(harder.Id);
        foreach (var session in before.Sessions)
        {
            foreach (var exercise in session.Exercises)
            {
                if (exercise.Id == easier)
                {
                    return exercise;
                }
            }
        }

        return null;
    }

    /// <summary>Effort moved too: W6's extra reserve from the year a novice turns 60.</summary>
    private static bool RirMoved(WeekPlan before, int rir)
    {
        foreach (var session in before.Sessions)
        {
            foreach (var exercise in session.Exercises)
            {
                if (exercise.TargetRir != rir)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// T7 over the week: where lower-body work stands without knee flexion (W7 left a single hinge
    /// set, or dropped the session that had the curl), the last hinge set, or failing one the last
    /// lower-body set, becomes the week's curl.
    /// </summary>
    public void KeepKneeFlexion(ExerciseChoices choices, PreviousExercises previous)
    {
        var curl = choices.Second(MovementPattern.Hinge);
        if (curl.Variant is null)
        {
            return;
        }

        int session = -1, at = -1;
        bool lower = false, hinge = false;
        for (var i = 0; i < _sessions.Count; i++)
        {
            var exercises = _sessions[i].Session.Exercises;
            for (var j = 0; j < exercises.Count; j++)
            {
                if (exercises[j].Id == curl.Variant.Id)
                {
                    return;
                }

                lower |= ExerciseCatalog.LoadsLegs(exercises[j].Pattern);
                if (exercises[j].Pattern == MovementPattern.Hinge)
                {
                    (session, at, hinge) = (i, j, true);
                }
                else if (!hinge && ExerciseCatalog.LoadsLegs(exercises[j].Pattern))
                {
                    (session, at) = (i, j);
                }
            }
        }

        if (!lower || session < 0)
        {
            return;
        }

        var (hinged, rank) = _sessions[session];
        var swapped = new List<Exercise>(hinged.Exercises.Count);
        for (var j = 0; j < hinged.Exercises.Count; j++)
        {
            if (j == at)
            {
                AddExercise(swapped, curl, hinged.Exercises[j].Sets, choices.Rir, choices.Progression, previous);
            }
            else
            {
                swapped.Add(hinged.Exercises[j]);
            }
        }

        _sessions[session] = (WithExercises(hinged, swapped), rank);
    }

    private bool SetsMoved(WeekPlan before)
    {
        foreach (var (session, _) in _sessions)
        {
            foreach (var exercise in session.Exercises)
            {
                var was = WeeklySets(before.Sessions, exercise.Id);
                if (was > 0 && was != WeeklySetsPlanned(exercise.Id))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private int WeeklySetsPlanned(string id)
    {
        var sets = 0;
        foreach (var (session, _) in _sessions)
        {
            foreach (var exercise in session.Exercises)
            {
                sets += exercise.Id == id ? exercise.Sets : 0;
            }
        }

        return sets;
    }

    private static int WeeklySets(IReadOnlyList<Session> sessions, string id)
    {
        var sets = 0;
        foreach (var session in sessions)
        {
            foreach (var exercise in session.Exercises)
            {
                sets += exercise.Id == id ? exercise.Sets : 0;
            }
        }

        return sets;
    }

    private static readonly string RestDetail = string.Create(
        CultureInfo.InvariantCulture,
        $"work sets in order, resting after each set as prescribed (T9): {Clock(T9HeavyRestSeconds)} after heavy compound sets (RIR {T9HeavyMaxRir} or less), {Clock(T9CompoundRestSeconds)} after other loaded compound sets, {Clock(T9BodyweightRestSeconds)} after bodyweight compound sets, {Clock(T9AccessoryRestSeconds)} after accessories; a one-sided exercise does both sides, then rests");

    private static Block[] StrengthBlocks(int workSeconds) =>
    [
        new Block { Name = "warm-up", Minutes = StrengthWarmupMinutes, Detail = "5 min easy cardio, then two lighter ramp-up sets of the first lift" },
        new Block { Name = "main", Minutes = StrengthTime.WorkMinutes(workSeconds), Detail = RestDetail },
    ];

    public void AddRestDays()
    {
        var used = 0;
        foreach (var (session, _) in _sessions)
        {
            used |= 1 << ((int)session.Day - 1);
        }

        for (var day = 0; day < 7; day++)
        {
            var bit = 1 << day;
            if ((week.AvailableDays & bit) == 0 || (used & bit) != 0)
            {
                continue;
            }

            var olderRest = week.Older && (week.TrainingDays & bit) == 0;
            Add(day, Draft(
                kind: SessionKind.Rest,
                type: "rest",
                title: "Rest day",
                minutes: 0,
                rpe: 1,
                blocks: [],
                why: olderRest
                    ? "A full rest day: everyone gets one (W3), and from 60 an extra one helps recovery (W6)."
                    : "A full rest day (W3): adaptation happens while you recover.",
                rules: olderRest ? OlderRestRules : RestRules), rank: 0);
        }
    }

    public IReadOnlyList<Session> Build()
    {
        _sessions.Sort(static (a, b) => a.Session.Date != b.Session.Date
            ? a.Session.Date.CompareTo(b.Session.Date)
            : a.Rank.CompareTo(b.Rank));

        var start = week.Request.StartDate ?? LocalDate.MinIsoValue;
        var result = new List<Session>(_sessions.Count);
        for (var i = 0; i < _sessions.Count; i++)
        {
            var session = _sessions[i].Session;
            if (session.Date < start)
            {
                continue;
            }

            var sharesDay = Shares(i, session);
            result.Add(session with
            {
                Id = SessionId(result.Count + 1),
                Why = sharesDay ? SharedDayWhy.GetOrAdd((session.Why, week.Profile.Goal), static key => key.Why + SameDayNote(key.Goal)) : session.Why,
                Rules = sharesDay ? WithRule(session.Rules, "W2") : session.Rules,
            });
        }

        return result;
    }

    private bool Shares(int index, Session session)
    {
        if (session.Kind is SessionKind.Rest or SessionKind.Plyometrics)
        {
            return false;
        }

        for (var i = 0; i < _sessions.Count; i++)
        {
            var other = _sessions[i].Session;
            if (i != index && other.Date == session.Date && other.Kind is SessionKind.Run or SessionKind.Strength && other.Kind != session.Kind)
            {
                return true;
            }
        }

        return false;
    }

    // A plan's texts and rule lists repeat from user to user: built once, they cost no allocation
    // per plan. Both caches are bounded: keys are the builder's own texts and rule lists.
    private static readonly ConcurrentDictionary<(string Why, Goal Goal), string> SharedDayWhy = new();
    private static readonly ConcurrentDictionary<(IReadOnlyList<string> Rules, string Rule), string[]> RulesWith = new(new RulesKeyComparer());

    private static string[] WithRule(IReadOnlyList<string> rules, string rule) =>
        RulesWith.GetOrAdd((rules, rule), static key => [.. key.Rules, key.Rule]);

    private sealed class RulesKeyComparer : IEqualityComparer<(IReadOnlyList<string> Rules, string Rule)>
    {
        public bool Equals((IReadOnlyList<string> Rules, string Rule) x, (IReadOnlyList<string> Rules, string Rule) y) =>
            ReferenceEquals(x.Rules, y.Rules) && x.Rule == y.Rule;

        public int GetHashCode((IReadOnlyList<string> Rules, string Rule) obj) =>
            HashCode.Combine(RuntimeHelpers.GetHashCode(obj.Rules), obj.Rule);
    }

    private static string SameDayNote(Goal goal) => goal switch
    {
        Goal.Muscle => " Shares the day with another session: lift first, then run (W2), ideally 6 h or more apart.",
        Goal.Endurance => " Shares the day with another session: run first, then lift (W2), ideally 6 h or more apart.",
        _ => " Shares the day with another session: do the key session first (W2), ideally 6 h or more apart.",
    };

    private void Add(int day, Session session, int rank)
    {
        var isoDay = (IsoDayOfWeek)(day + 1);
        _sessions.Add((session with { Day = isoDay, Date = week.Request.Week.Date(isoDay) }, rank));
    }

    /// <summary>W2: the session that serves the goal comes first on a shared day.</summary>
    private int RunRank(bool hardOrLong) => week.Profile.Goal switch
    {
        Goal.Muscle => 3,
        Goal.Endurance => 0,
        _ => hardOrLong ? 0 : 3,
    };

    private static int StrengthRank() => 2;

    /// <summary>Z1, Z2: the person's target for a zone (the same object for every block of it).</summary>
    private RunTarget Zone(RunZone zone) => week.Zones.Target(zone);

    /// <summary>R7: plyometrics need fresh legs, so they come before anything else that day.</summary>
    private const int PlyometricsRank = -1;

    private Session LongRun(int minutes) => Draft(
        kind: SessionKind.Run,
        type: "long-run",
        title: "Long run",
        minutes: minutes,
        rpe: EasyRunRpe,
        blocks: [new Block { Name = "main", Minutes = minutes, Detail = "conversational pace (RPE 3-4) the whole way; walk breaks are fine", Target = Zone(RunZone.Easy) }],
        why: "The week's longest run builds aerobic capacity and capillaries, which also help you recover between sets (S5). Easy pace, and never more than 10% longer than your longest run of the last month (R2).",
        rules: LongRules,
        longRun: true);

    private static Session EasyRun(int minutes, RunTarget? easy) => Draft(
        kind: SessionKind.Run,
        type: "easy-run",
        title: "Easy run",
        minutes: minutes,
        rpe: EasyRunRpe,
        blocks: [new Block { Name = "main", Minutes = minutes, Detail = "conversational pace (RPE 3-4)", Target = easy }],
        why: "Most running should be easy (R3): it builds the aerobic base at little cost to recovery from lifting (S5).",
        rules: EasyRules);

    private Session RunWalk(int stage, int minutes)
    {
        var (run, walk, _) = R4Stage(stage);
        var main = minutes - R4WarmupWalkMinutes;
        var repeats = walk == 0 ? 1 : Math.Max(1, main * 60 / (run + walk));
        return Draft(
            kind: SessionKind.Run,
            type: "run-walk",
            title: walk == 0 ? "Continuous easy run" : "Run/walk",
            minutes: minutes,
            rpe: EasyRunRpe,
            blocks: [
                new Block { Name = "warm-up", Minutes = R4WarmupWalkMinutes, Detail = "brisk walk" },
                walk == 0
                    ? new Block { Name = "main", Minutes = main, Detail = "run continuously at an easy, conversational pace", Target = Zone(RunZone.Easy) }
                    : new Block { Name = "main", Repeats = repeats, Work = Clock(run) + " easy running", Recovery = Clock(walk) + " walking", Target = Zone(RunZone.Easy) },
            ],
            why: string.Create(CultureInfo.InvariantCulture, $"Run/walk stage {stage} of {R4Stages} (R4): short runs with walking breaks build to 30 minutes of continuous running over about nine weeks. Running also builds some muscle in the untrained (S1)."),
            rules: RunWalkRules);
    }

    private Session HardRunSession(HardRun run) => run.Type switch
    {
        HardRunType.HillSprints => Draft(
            kind: SessionKind.Run,
            type: "hill-sprints",
            title: "Hill sprints",
            minutes: run.DurationMinutes,
            rpe: 9,
            blocks: [
                new Block { Name = "warm-up", Minutes = run.WarmupMinutes, Detail = "easy jog and drills", Target = Zone(RunZone.Easy) },
                new Block { Name = "main", Repeats = run.Reps, Work = "8-12 s uphill, near-maximal, on a steep hill (8-10% grade) or stairs", Recovery = "walk back down slowly, 60-120 s, fully recovered before the next", Target = Zone(RunZone.Sprint) },
                new Block { Name = "cool-down", Minutes = R5CooldownMinutes, Detail = "easy jog on the flat", Target = Zone(RunZone.Easy) },
            ],
            why: "Short, hard hill sprints give a muscle stimulus running otherwise lacks (S2, S7) and are safer than flat sprints. Walk back down: never run fast downhill (S7).",
            rules: HillRules,
            hardRun: true,
            hardMinutes: run.HardMinutes),
        HardRunType.Strides => Draft(
            kind: SessionKind.Run,
            type: "strides",
            title: "Easy run with strides",
            minutes: run.DurationMinutes,
            rpe: 6,
            blocks: [
                new Block { Name = "warm-up", Minutes = run.WarmupMinutes, Detail = "easy jog or brisk walk" },
                new Block { Name = "main", Repeats = run.Reps, Work = "20 s relaxed, quicker running (RPE 6-7, well short of a sprint) on flat ground or a gentle slope", Recovery = "walk 60-90 s", Target = Zone(RunZone.Repetition) },
                new Block { Name = "cool-down", Minutes = R5CooldownMinutes, Detail = "easy walk" },
            ],
            why: "From 60 and new to both running and lifting, speed comes in gradually (R8, W6): relaxed strides at moderate effort this block, near-maximal hill sprints only later. Kept apart from heavy legs (W1) and counted as this week's hard run (R3).",
            rules: StrideRules,
            hardRun: true,
            hardMinutes: run.HardMinutes),
        HardRunType.Intervals => Draft(
            kind: SessionKind.Run,
            type: "intervals",
            title: "Intervals",
            minutes: run.DurationMinutes,
            rpe: 8,
            blocks: [
                new Block { Name = "warm-up", Minutes = run.WarmupMinutes, Detail = "easy jog with a few strides", Target = Zone(RunZone.Easy) },
                new Block { Name = "main", Repeats = run.Reps, Work = string.Create(CultureInfo.InvariantCulture, $"{run.WorkMinutes} min hard (RPE 8-9) at interval effort on flat ground"), Recovery = "3 min easy jog", Target = Zone(RunZone.Interval) },
                new Block { Name = "cool-down", Minutes = R5CooldownMinutes, Detail = "easy jog", Target = Zone(RunZone.Easy) },
            ],
            why: "4-minute intervals raise aerobic power and, in the less trained, build some leg muscle (S1, Estes 2017). One of at most two hard runs this week (R3).",
            rules: IntervalRules,
            hardRun: true,
            hardMinutes: run.HardMinutes),
        _ => Draft(
            kind: SessionKind.Run,
            type: "tempo",
            title: "Tempo run",
            minutes: run.DurationMinutes,
            rpe: 7,
            blocks: [
                new Block { Name = "warm-up", Minutes = R5WarmupMinutes, Detail = "easy jog", Target = Zone(RunZone.Easy) },
                new Block { Name = "main", Minutes = run.Reps, Detail = "comfortably hard, steady (RPE 7) on flat ground", Target = Zone(RunZone.Tempo) },
                new Block { Name = "cool-down", Minutes = R5CooldownMinutes, Detail = "easy jog", Target = Zone(RunZone.Easy) },
            ],
            why: "A steady tempo run lifts the pace you can hold. With the intervals it is one of two hard runs this week (R3).",
            rules: TempoRules,
            hardRun: true,
            hardMinutes: run.HardMinutes),
    };

    private Session Strength(StrengthVolume sets, int index, ExerciseChoices choices, PreviousExercises previous)
    {
        var profile = week.Profile;
        var rir = choices.Rir;
        var exercises = new List<Exercise>(ExerciseCatalog.Patterns.Count + 2);
        var seconds = 0;
        var legs = false;
        foreach (var pattern in ExerciseCatalog.Patterns)
        {
            var count = sets.SessionSets(index, pattern);
            if (count == 0 && MinimumDose && sets.Trains(index, pattern) && MissingMovement(sets, index, pattern))
            {
                // T10: a week with few sets still gives every session a set of each major movement.
                count = 1;
            }

            var first = choices.First(pattern);
            if (count == 0 || first.Variant is null)
            {
                continue;
            }

            // T7: no lift gets more than about five hard sets; hinge work is always split so the
            // hamstrings also get knee flexion (leg curl or Nordic).
            var second = choices.Second(pattern);
            var onlyHinge = false;
            if (pattern == MovementPattern.Hinge && count == 1 && second.Variant is not null
                && sets.Holding(index, pattern) is var (holders, position))
            {
                // T7: a single hinge set goes to knee flexion every other session, so the week has
                // both. T10: outside a deload a session keeps its hip hinge and the curl comes
                // beside it, so the hinge survives whichever session W7 has to drop.
                onlyHinge = MinimumDose;
                if (!onlyHinge && (holders == 1 || position % 2 == 1 || StrengthVolume.WeeklySets(pattern, sets.SetTarget) == 1))
                {
                    (first, second) = (second, default);
                }
            }

            var split = second.Variant is not null && (pattern == MovementPattern.Hinge ? count >= 2 || onlyHinge : count > T7MaxSetsPerExercise);
            var firstSets = Math.Min(split ? (count + 1) / 2 : count, T7MaxSetsPerExercise);
            seconds += AddExercise(exercises, first, firstSets, rir, choices.Progression, previous);
            if (split)
            {
                seconds += AddExercise(exercises, second, Math.Max(1, Math.Min(count - firstSets, T7MaxSetsPerExercise)), rir, choices.Progression, previous);
            }

            legs |= ExerciseCatalog.LoadsLegs(pattern);
        }

        var (type, title) = !sets.Split ? ("full-body", "Full-body strength")
            : sets.IsLowerSession(index) ? ("lower-body", "Lower-body strength") : ("upper-body", "Upper-body strength");
        return Draft(
            kind: SessionKind.Strength,
            type: type,
            title: title,
            minutes: StrengthTime.SessionMinutes(seconds),
            rpe: 10 - rir,
            blocks: StrengthBlocks(seconds),
            exercises: exercises,
            why: StrengthWhy(profile.Goal),
            rules: StrengthRules(profile.Goal),
            heavyLegs: legs);
    }

    /// <summary>Adds the exercise and returns its T9 seconds: every set's reps and the rest after it.</summary>
    private int AddExercise(List<Exercise> exercises, Choice choice, int count, int rir, Adjustment progression, PreviousExercises previous)
    {
        var profile = week.Profile;
        var variant = choice.Variant!;
        var pattern = variant.Pattern;
        var (repsMin, repsMax) = StrengthPrescription.RepRange(profile.Goal, profile.StrengthExperience, pattern, variant.Equipment == Equipment.Bodyweight);
        int target, load;
        LoadAction action;
        double? loadKg = null;
        if (choice.Harder)
        {
            // T6: a harder bodyweight variant starts again at the bottom of the range.
            (target, load, action) = (repsMin, 0, LoadAction.HarderVariant);
        }
        else
        {
            var prior = previous.Find(variant.Id);
            var logged = prior is null ? default : previous.Logged(variant.Id, prior);
            (target, load, action) = StrengthPrescription.Progress(prior, repsMin, repsMax, logged, progression);
            loadKg = StrengthPrescription.LoadKg(prior, logged, action, repsMin, rir, variant.Equipment, profile.Units);
        }

        var exercise = new Exercise
        {
            Id = variant.Id,
            Name = variant.Name,
            Pattern = pattern,
            Equipment = variant.Equipment,
            PrimaryMuscles = ExerciseCatalog.PrimaryMuscles(pattern),
            SecondaryMuscles = ExerciseCatalog.SecondaryMuscles(pattern),
            Sets = count,
            RepsMin = repsMin,
            RepsMax = repsMax,
            TargetReps = target,
            TargetRir = rir,
            LoadSteps = load,
            LoadKg = loadKg,
            Imperial = profile.Units == Units.Imperial,
            Progression = action,
            ProgressionRule = choice.Harder ? "T6" : "T3",
            Level = variant.Level,
            PerSide = variant.PerSide,
            SecondsPerRep = StrengthTime.SecondsPerRep(variant),
            RestSeconds = StrengthTime.RestSeconds(variant, rir),
        };
        exercises.Add(exercise);
        return count * StrengthTime.SetSeconds(exercise);
    }

    private static Session Draft(
        SessionKind kind, string type, string title, int minutes, int rpe, IReadOnlyList<Block> blocks, string why, IReadOnlyList<string> rules,
        IReadOnlyList<Exercise>? exercises = null, bool hardRun = false, int hardMinutes = 0, bool longRun = false, bool heavyLegs = false, int contacts = 0) => new()
    {
        Id = "",
        Day = default,
        Date = default,
        Kind = kind,
        Type = type,
        Title = title,
        DurationMinutes = minutes,
        Intensity = new Intensity(rpe),
        Blocks = blocks,
        Exercises = exercises ?? [],
        Why = why,
        Rules = rules,
        IsHardRun = hardRun,
        HardMinutes = hardMinutes,
        IsLongRun = longRun,
        IsHeavyLegs = heavyLegs,
        Contacts = contacts,
    };

    private static readonly string[] MuscleStrengthRules = ["S3", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T9", "S8", "W5"];
    private static readonly string[] EnduranceStrengthRules = ["S4", "S6", "T1", "T2", "T3", "T5", "T6", "T7", "T9", "S8", "W5"];
    private static readonly string[] BalancedStrengthRules = ["S3", "S4", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T9", "W5"];

    private static string StrengthWhy(Goal goal) => goal switch
    {
        Goal.Muscle => "Progressive overload on sets close to failure is the highway to muscle (S3): your weekly sets per muscle sit in the hypertrophy range (T1), each set ends with the reps in reserve shown (T2), and load goes up only when the log shows the top of the range (T3); bodyweight work moves to a harder variant instead (T6). Volume is split so no lift gets more than about five sets (T7), and the minutes count every set and the rest it prescribes (T9).",
        Goal.Endurance => "Strength work keeps a runner's legs robust and economical without blunting endurance (S4, S6): a moderate number of hard sets (T1), kept short of failure (T2), progressed by reps before load (T3), or to a harder variant for bodyweight work (T6). Volume is split so no lift gets more than about five sets (T7), and the minutes count every set and the rest it prescribes (T9).",
        _ => "Lifting and running together do not blunt strength or muscle (S4): sets per muscle sit in the range for your goal (T1), with reps in reserve (T2) and double progression (T3), or a harder variant for bodyweight work (T6). Volume is split so no lift gets more than about five sets (T7), and the minutes count every set and the rest it prescribes (T9).",
    };

    private static string[] StrengthRules(Goal goal) => goal switch
    {
        Goal.Muscle => MuscleStrengthRules,
        Goal.Endurance => EnduranceStrengthRules,
        _ => BalancedStrengthRules,
    };

    // Session ids are "s1", "s2"...: made once, so a plan allocates no id strings.
    private static readonly string[] SessionIds = [.. Enumerable.Range(0, 33).Select(n => string.Create(CultureInfo.InvariantCulture, $"s{n}"))];

    public static string SessionId(int number) =>
        number < SessionIds.Length ? SessionIds[number] : string.Create(CultureInfo.InvariantCulture, $"s{number}");

    private static string Clock(int seconds) => seconds % 60 == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 60} min")
        : string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}:{seconds % 60:00} min");
}

/// <summary>Last week's prescriptions and logged sets, looked up by exercise id for T3.</summary>
internal sealed class PreviousExercises(WeekPlan? plan, IReadOnlyList<SessionLog> logs)
{
    public Exercise? Find(string id)
    {
        if (plan is null)
        {
            return null;
        }

        // Indexed loops: this runs for every exercise of every plan, and interface foreach allocates.
        for (var i = 0; i < plan.Sessions.Count; i++)
        {
            var exercises = plan.Sessions[i].Exercises;
            for (var j = 0; j < exercises.Count; j++)
            {
                if (exercises[j].Id == id)
                {
                    return exercises[j];
                }
            }
        }

        return null;
    }

    /// <summary>The exercise's earliest place in a session of last week's plan, or -1.</summary>
    public int Position(string id)
    {
        if (plan is null)
        {
            return -1;
        }

        var best = -1;
        for (var i = 0; i < plan.Sessions.Count; i++)
        {
            var exercises = plan.Sessions[i].Exercises;
            for (var j = 0; j < exercises.Count && (best < 0 || j < best); j++)
            {
                if (exercises[j].Id == id)
                {
                    best = j;
                    break;
                }
            }
        }

        return best;
    }

    public LoggedSets Logged(string id, Exercise prior)
    {
        var summary = default(LoggedSets);
        for (var i = 0; i < logs.Count; i++)
        {
            var exercises = logs[i].Exercises;
            for (var j = 0; j < exercises.Count; j++)
            {
                if (exercises[j].ExerciseId != id)
                {
                    continue;
                }

                var sets = exercises[j].Sets;
                for (var k = 0; k < sets.Count; k++)
                {
                    summary = summary.Add(sets[k], prior);
                }
            }
        }

        return summary;
    }
}

using System.Collections.Concurrent;
using System.Numerics;

namespace RunStrength.Planning.Generation;

/// <summary>What the layout search is asked to place; days are bits 0 (Monday) to 6 (Sunday).</summary>
internal readonly record struct LayoutRequest(
    int TrainingDays,
    int LongRunDay,
    int HardRuns,
    int StrengthSessions,
    bool Split,
    int EasyRuns,
    int Plyometrics,
    bool Beginner,
    bool SpreadRuns,
    SundayBefore SundayBefore = SundayBefore.Free,
    DayMinutes Minutes = default,
    bool StrengthFirst = false);

/// <summary>
/// W7: roughly how long each kind of session runs (rounded up to 5 min so few layouts need
/// solving) and the day's budget, so the layout keeps days within it where it can.
/// </summary>
/// <param name="StrengthDose">T10: the minutes of the minimum effective strength dose (0 in a deload).</param>
/// <param name="LongRunLend">T10: minutes the long run may give up to strength on its day.</param>
internal readonly record struct DayMinutes(int Budget, int LongRun, int HardRun, int Strength, int Plyometrics, int EasyRun, int StrengthDose = 0, int LongRunLend = 0)
{
    public static int Round(int minutes) => (minutes + 4) / 5 * 5;
}

/// <summary>What last week's Sunday held, so W1, W8, R3 and R7 also hold across the week boundary.</summary>
[Flags]
internal enum SundayBefore { Free = 0, HeavyLegs = 1, HardRun = 2, Plyometrics = 4 }

/// <summary>Which days hold which sessions. Counts may be lower than asked where the days cannot hold them.</summary>
internal sealed record Layout(int HardRunDays, int LegsDays, int UpperDays, int PlyometricsDays, int EasyRunDays, int LongRunDay)
{
    public int HardRuns => BitOperations.PopCount((uint)HardRunDays);
    public int StrengthSessions => BitOperations.PopCount((uint)(LegsDays | UpperDays));
    public int Plyometrics => BitOperations.PopCount((uint)PlyometricsDays);
    public int EasyRuns => BitOperations.PopCount((uint)EasyRunDays);
}

/// <summary>
/// Places a week's sessions on days. Hard constraints: W1 (no heavy legs the day before a hard or
/// long run, no hard run the day before heavy legs), W8 (heavy legs never on consecutive days), R3
/// (hard runs never on consecutive days), R6 (no plyometrics the day before a key run), R7
/// (plyometrics at least 48 h apart), W3 (beginners never have hard sessions on consecutive
/// days, nor two on one day), W4 (only training days, long run on its day). The rest is a score:
/// 24 h between hard runs and heavy legs where days allow, spread strength days, few double days.
/// When nothing fits, plyometrics go first, then hard runs, then strength sessions.
/// </summary>
internal static class WeekLayout
{
    private const int AllDays = 0b111_1111;
    private static readonly ConcurrentDictionary<LayoutRequest, Layout> Cache = new();

    public static Layout Arrange(LayoutRequest request) => Cache.GetOrAdd(request, Solve);

    private static Layout Solve(LayoutRequest request)
    {
        // T10 first: every strength day keeps room for the minimum effective dose beside the day's
        // other sessions; plyometrics go first, then strength sessions (one useful session beats
        // two stubs), then hard runs. Only when no strength day can keep the dose does the search
        // fall back to the plain order, and W7 shortens the days.
        // A hard run gives way (to an easy run) only when no strength day can keep the dose with it.
        // W2: for the muscle goal strength is the goal's work, so its sessions outlast the hard
        // run (as in W7's drop order); a race makes running the goal's work again.
        if (request.StrengthFirst && request.Minutes.StrengthDose > 0)
        {
            for (var strength = request.StrengthSessions; strength >= 1; strength--)
            {
                for (var hard = request.HardRuns; hard >= 0; hard--)
                {
                    for (var plyo = request.Plyometrics; plyo >= 0; plyo--)
                    {
                        var split = request.Split && strength == 4;
                        if (Search(request, hard, strength, split, plyo, dose: true) is { } layout)
                        {
                            return layout;
                        }
                    }
                }
            }
        }

        for (var hard = request.HardRuns; hard >= 0 && request.Minutes.StrengthDose > 0; hard--)
        {
            for (var strength = request.StrengthSessions; strength >= 1; strength--)
            {
                for (var plyo = request.Plyometrics; plyo >= 0; plyo--)
                {
                    var split = request.Split && strength == 4;
                    if (Search(request, hard, strength, split, plyo, dose: true) is { } layout)
                    {
                        return layout;
                    }
                }
            }
        }

        var minStrength = Math.Min(request.StrengthSessions, 1);
        for (var strength = request.StrengthSessions; strength >= minStrength; strength--)
        {
            for (var hard = request.HardRuns; hard >= 0; hard--)
            {
                for (var plyo = request.Plyometrics; plyo >= 0; plyo--)
                {
                    var split = request.Split && strength == 4;
                    if (Search(request, hard, strength, split, plyo, dose: false) is { } layout)
                    {
                        return layout;
                    }
                }
            }
        }

        return Search(request, 0, 0, false, 0, dose: false) ?? throw new InvalidOperationException("A week with no sessions always fits.");
    }

    private static Layout? Search(LayoutRequest request, int hardCount, int strength, bool split, int plyoCount, bool dose)
    {
        var days = request.TrainingDays;
        var longMask = request.LongRunDay >= 0 ? 1 << request.LongRunDay : 0;
        var legsCount = split ? strength / 2 : strength;
        var before = request.SundayBefore;
        var noHardMonday = before.HasFlag(SundayBefore.HardRun) || before.HasFlag(SundayBefore.HeavyLegs) ? 1 : 0;
        var noLegsMonday = before.HasFlag(SundayBefore.HardRun) || before.HasFlag(SundayBefore.HeavyLegs) ? 1 : 0;
        var noPlyoMonday = before.HasFlag(SundayBefore.Plyometrics) ? 1 : 0;
        var upperCount = strength - legsCount;

        Layout? best = null;
        var bestScore = int.MaxValue;

        foreach (var hard in Subsets(days & ~longMask & ~noHardMonday, hardCount))
        {
            if (Adjacent(hard, hard) != 0)
            {
                continue;
            }

            var key = hard | longMask;
            foreach (var legs in Subsets(days & ~noLegsMonday, legsCount))
            {
                if ((legs & DayBefore(key)) != 0 || (legs & DayAfter(hard)) != 0 || Adjacent(legs, legs) != 0)
                {
                    continue;
                }

                if (request.Beginner && ((legs & hard) != 0 || Adjacent(hard | legs, hard | legs) != 0))
                {
                    continue;
                }

                foreach (var upper in Subsets(days & ~legs, upperCount))
                {
                    foreach (var plyo in Subsets(days & ~noPlyoMonday, plyoCount))
                    {
                        if ((plyo & DayBefore(key)) != 0 || Adjacent(plyo, plyo) != 0)
                        {
                            continue;
                        }

                        var hardSessions = hard | legs | plyo;
                        if (request.Beginner && (Adjacent(hardSessions, hardSessions) != 0 || (plyo & hard) != 0))
                        {
                            continue;
                        }

                        // A hard run that does not fit becomes an easy one rather than vanishing.
                        var easyRuns = request.EasyRuns + request.HardRuns - hardCount;
                        var full = FullDays(request.Minutes, longMask, hard, legs | upper, plyo);
                        var easy = PlaceEasyRuns(request, easyRuns, days & ~key, legs, upper, full, out var easyScore);
                        if (dose && (Count(easy) < easyRuns || ShortOfDose(request.Minutes, longMask, hard, legs | upper, plyo, easy, request.SpreadRuns)))
                        {
                            continue;
                        }

                        var score = easyScore
                            + 30 * Count(OverBudget(request.Minutes, longMask, hard, legs | upper, plyo, easy))
                            + 6 * Pairs(legs)
                            + 2 * Pairs(legs | upper)
                            + 5 * Count(hard & DayBefore(longMask))
                            + 2 * Count(hard & DayAfter(longMask))
                            + 8 * Count(legs & longMask)
                            + 20 * Count(legs & hard)
                            + 4 * Count(plyo & key)
                            + Count(plyo & upper)
                            + 2 * Count(plyo & ~(legs | upper | key | easy));

                        if (score < bestScore)
                        {
                            bestScore = score;
                            best = new Layout(hard, legs, upper, plyo, easy, request.LongRunDay);
                        }
                    }
                }
            }
        }

        return best;
    }

    /// <summary>W7: days whose sessions already leave no room for an easy run.</summary>
    private static int FullDays(DayMinutes minutes, int longMask, int hard, int strength, int plyo)
    {
        if (minutes.Budget == 0)
        {
            return 0;
        }

        var full = 0;
        for (var day = 0; day < 7; day++)
        {
            var bit = 1 << day;
            var load = Load(minutes, bit, longMask, hard, strength, plyo, 0);
            full |= load + minutes.EasyRun > minutes.Budget ? bit : 0;
        }

        return full;
    }

    /// <summary>
    /// T10: a strength day whose other sessions leave less than the minimum effective dose. An easy
    /// run may give up a third of its time to strength, and for the muscle goal the long run too
    /// (W7 shortens them after strength reaches its dose); run/walk, hard runs, plyometrics and an
    /// endurance or balanced goal's long run count in full.
    /// </summary>
    private static bool ShortOfDose(DayMinutes minutes, int longMask, int hard, int strength, int plyo, int easy, bool runWalk)
    {
        if (minutes.Budget == 0)
        {
            return false;
        }

        var need = Math.Min(minutes.StrengthDose, minutes.Budget);
        for (var day = 0; day < 7; day++)
        {
            var bit = 1 << day;

            // Run/walk minutes are the R4 stage: they never shorten.
            var lent = runWalk ? 0 : ((easy & bit) != 0 ? minutes.EasyRun / 3 : 0) + ((longMask & bit) != 0 ? minutes.LongRunLend : 0);
            if ((strength & bit) != 0 && minutes.Budget - Load(minutes, bit, longMask, hard, 0, plyo, easy) + lent < need)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>W7: days whose sessions together run past the budget.</summary>
    private static int OverBudget(DayMinutes minutes, int longMask, int hard, int strength, int plyo, int easy)
    {
        if (minutes.Budget == 0)
        {
            return 0;
        }

        var over = 0;
        for (var day = 0; day < 7; day++)
        {
            var bit = 1 << day;
            over |= Load(minutes, bit, longMask, hard, strength, plyo, easy) > minutes.Budget ? bit : 0;
        }

        return over;
    }

    private static int Load(DayMinutes minutes, int bit, int longMask, int hard, int strength, int plyo, int easy) =>
        ((longMask & bit) != 0 ? minutes.LongRun : 0)
        + ((hard & bit) != 0 ? minutes.HardRun : 0)
        + ((strength & bit) != 0 ? minutes.Strength : 0)
        + ((plyo & bit) != 0 ? minutes.Plyometrics : 0)
        + ((easy & bit) != 0 ? minutes.EasyRun : 0);

    /// <summary>Easy runs go to free days first, then beside upper-body, then beside leg sessions.</summary>
    private static int PlaceEasyRuns(LayoutRequest request, int easyRuns, int allowed, int legs, int upper, int full, out int score)
    {
        score = 0;
        var chosen = 0;
        var placedRuns = request.LongRunDay >= 0 ? 1 << request.LongRunDay : 0;
        for (var run = 0; run < easyRuns; run++)
        {
            var bestDay = -1;
            var bestCost = int.MaxValue;
            for (var day = 0; day < 7; day++)
            {
                var bit = 1 << day;
                if ((allowed & bit) == 0 || (chosen & bit) != 0)
                {
                    continue;
                }

                var cost = ((legs & bit) != 0 ? 3 : (upper & bit) != 0 ? 2 : 0) + ((full & bit) != 0 ? 8 : 0);
                if (request.SpreadRuns && Adjacent(bit, placedRuns | chosen) != 0)
                {
                    cost += 4;
                }

                if (cost < bestCost)
                {
                    bestCost = cost;
                    bestDay = day;
                }
            }

            if (bestDay < 0)
            {
                score += 10 * (easyRuns - run);
                break;
            }

            chosen |= 1 << bestDay;
            score += bestCost;
        }

        return chosen;
    }

    public static int DayBefore(int mask) => ((mask >> 1) | (mask << 6)) & AllDays;

    public static int DayAfter(int mask) => ((mask << 1) | (mask >> 6)) & AllDays;

    /// <summary>Days in <paramref name="a"/> next to a day in <paramref name="b"/>, counting Sunday next to Monday.</summary>
    private static int Adjacent(int a, int b) => a & (DayBefore(b) | DayAfter(b));

    private static int Pairs(int mask) => Count(mask & DayAfter(mask));

    private static int Count(int mask) => BitOperations.PopCount((uint)mask);

    private static IEnumerable<int> Subsets(int allowed, int size)
    {
        if (size == 0)
        {
            yield return 0;
            yield break;
        }

        for (var subset = 0; subset <= AllDays; subset++)
        {
            if ((subset & ~allowed) == 0 && BitOperations.PopCount((uint)subset) == size)
            {
                yield return subset;
            }
        }
    }
}

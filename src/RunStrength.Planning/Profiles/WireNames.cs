namespace RunStrength.Planning.Profiles;

/// <summary>The lower-case names the HTTP contract uses for the domain's enumerations.</summary>
public static class WireNames
{
    private static readonly string[] DayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    public static IReadOnlyList<string> Days => DayNames;

    public static string Of(IsoDayOfWeek day) => DayNames[(int)day - 1];

    public static bool TryParseDay(string? value, out IsoDayOfWeek day)
    {
        var index = Array.IndexOf(DayNames, value);
        day = index >= 0 ? (IsoDayOfWeek)(index + 1) : default;
        return index >= 0;
    }

    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum =>
        Lower(value.ToString());

    public static IReadOnlyList<string> Names<TEnum>() where TEnum : struct, Enum =>
        Enum.GetNames<TEnum>().Select(Lower).ToArray();

    public static bool TryParse<TEnum>(string? value, out TEnum result) where TEnum : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(Lower(candidate.ToString()), value, StringComparison.Ordinal))
            {
                result = candidate;
                return true;
            }
        }

        result = default;
        return false;
    }

    private static string Lower(string name) =>
        string.Create(name.Length, name, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsUpper(source[i]) ? (char)(source[i] + 32) : source[i];
            }
        });
}

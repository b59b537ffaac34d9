using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;

namespace RunStrength.Planning.Serialization;

/// <summary>
/// The JSON form of plans and logs, shared by storage and the HTTP API: camelCase properties,
/// kebab-case enum values, days as <c>mon</c>, dates as <c>2026-11-30</c>.
/// </summary>
public static class PlanJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"Expected a {typeof(T).Name}, got null.");

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new DayConverter());
        options.Converters.Add(new LocalDateConverter());
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private sealed class DayConverter : JsonConverter<IsoDayOfWeek>
    {
        public override IsoDayOfWeek Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            WireNames.TryParseDay(reader.GetString(), out var day) ? day : throw new JsonException("A day is one of mon, tue, wed, thu, fri, sat, sun.");

        public override void Write(Utf8JsonWriter writer, IsoDayOfWeek value, JsonSerializerOptions options) =>
            writer.WriteStringValue(WireNames.Of(value));
    }

    private sealed class LocalDateConverter : JsonConverter<LocalDate>
    {
        public override LocalDate Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateOnly.TryParseExact(reader.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? LocalDate.FromDateOnly(date)
                : throw new JsonException("A date is written yyyy-MM-dd.");

        public override void Write(Utf8JsonWriter writer, LocalDate value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToDateOnly().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }
}

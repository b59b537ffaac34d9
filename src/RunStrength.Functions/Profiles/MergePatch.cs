using System.Text.Json;
using System.Text.Json.Nodes;

namespace RunStrength.Functions.Profiles;

/// <summary>RFC 7396 JSON Merge Patch: null removes a member, objects merge, anything else replaces.</summary>
public static class MergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonElement patch)
    {
        if (patch.ValueKind != JsonValueKind.Object)
        {
            return JsonNode.Parse(patch.GetRawText());
        }

        var result = target as JsonObject ?? [];
        foreach (var member in patch.EnumerateObject())
        {
            if (member.Value.ValueKind == JsonValueKind.Null)
            {
                result.Remove(member.Name);
            }
            else
            {
                var current = result[member.Name];
                result.Remove(member.Name);
                result[member.Name] = Apply(current?.DeepClone(), member.Value);
            }
        }

        return result;
    }
}

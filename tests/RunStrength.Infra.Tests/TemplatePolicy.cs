using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace RunStrength.Infra.Tests;

/// <summary>
/// The rules a compiled ARM template must keep: no keys or storage connection strings in app
/// settings, secret settings only as Key Vault references, no shared-key access on storage, no
/// broad control-plane roles.
/// </summary>
public static partial class TemplatePolicy
{
    public const string Owner = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
    public const string Contributor = "b24988ac-6180-42a0-ab88-20f7382dd24c";
    public const string UserAccessAdministrator = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9";

    private static readonly string[] SecretMarkers = ["AccountKey", "listKeys(", "SharedAccessSignature", "DefaultEndpointsProtocol", "UseDevelopmentStorage"];

    public static IReadOnlyList<string> Violations(JsonNode template)
    {
        var violations = new List<string>();
        foreach (var (resource, scope) in ResourcesWithScope(template))
        {
            var type = resource["type"]?.GetValue<string>() ?? "";
            var properties = resource["properties"];
            if (type.Equals("Microsoft.Web/sites", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var setting in properties?["siteConfig"]?["appSettings"]?.AsArray() ?? [])
                {
                    var name = setting?["name"]?.ToString() ?? "";
                    var value = setting?["value"]?.ToString() ?? "";
                    if (SecretMarkers.Any(m => value.Contains(m, StringComparison.OrdinalIgnoreCase)))
                    {
                        violations.Add($"app setting {name} carries a key or storage connection string");
                    }

                    if (SecretSetting().IsMatch(name) && !KeyVaultReference().IsMatch(value))
                    {
                        violations.Add($"app setting {name} holds a secret and must be a Key Vault reference");
                    }
                }
            }

            if (type.Equals("Microsoft.Storage/storageAccounts", StringComparison.OrdinalIgnoreCase)
                && properties?["allowSharedKeyAccess"]?.GetValue<bool>() != false)
            {
                violations.Add($"storage account {resource["name"]} allows shared-key access");
            }

            if (type.Equals("Microsoft.Authorization/roleAssignments", StringComparison.OrdinalIgnoreCase))
            {
                var role = RoleId(resource, scope);
                foreach (var broad in (string[])[Owner, Contributor, UserAccessAdministrator])
                {
                    if (role.Contains(broad, StringComparison.OrdinalIgnoreCase))
                    {
                        violations.Add($"role assignment {resource["name"]} grants a broad role ({broad})");
                    }
                }
            }
        }

        if (template.ToJsonString().Contains("listKeys(", StringComparison.OrdinalIgnoreCase))
        {
            violations.Add("the template reads account keys with listKeys(");
        }

        return violations;
    }

    /// <summary>Every resource, including those inside nested deployments (compiled modules).</summary>
    public static IEnumerable<JsonNode> Resources(JsonNode template) => ResourcesWithScope(template).Select(r => r.Resource);

    /// <summary>A role assignment's role definition id, with <c>variables('x')</c> resolved in its template.</summary>
    public static string RoleId(JsonNode resource, JsonNode scope)
    {
        var expression = resource["properties"]?["roleDefinitionId"]?.ToString() ?? "";
        return VariableReference().Replace(expression, m => scope["variables"]?[m.Groups[1].Value]?.ToString() ?? m.Value);
    }

    /// <summary>Settings that hold secrets (a hub's connection string, an encryption key): by name.</summary>
    [GeneratedRegex("ConnectionString$|SecretKey$|SigningKey$|Password$", RegexOptions.IgnoreCase)]
    private static partial Regex SecretSetting();

    /// <summary>
    /// The one form a secret setting may take: <c>@Microsoft.KeyVault(VaultName=…;SecretName=…)</c>,
    /// literally or as Bicep compiles an interpolated vault name.
    /// </summary>
    [GeneratedRegex(@"^(@Microsoft\.KeyVault\((VaultName=[^;()']+;SecretName=[A-Za-z0-9-]+|SecretUri=https://[^()']+)\)|\[format\('@Microsoft\.KeyVault\(VaultName=\{0\};SecretName=[A-Za-z0-9-]+\)', parameters\('[A-Za-z]+'\)\)\])$")]
    private static partial Regex KeyVaultReference();

    [GeneratedRegex(@"variables\('([^']+)'\)")]
    private static partial Regex VariableReference();

    private static IEnumerable<(JsonNode Resource, JsonNode Scope)> ResourcesWithScope(JsonNode template)
    {
        var resources = template["resources"];
        IEnumerable<JsonNode?> items = resources switch
        {
            JsonArray array => array,
            JsonObject map => map.Select(p => p.Value),
            _ => [],
        };

        foreach (var resource in items.OfType<JsonNode>())
        {
            yield return (resource, template);
            if (resource["properties"]?["template"] is { } nested)
            {
                foreach (var inner in ResourcesWithScope(nested))
                {
                    yield return inner;
                }
            }
        }
    }
}

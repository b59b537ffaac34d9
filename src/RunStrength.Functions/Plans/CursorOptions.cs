using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RunStrength.Functions.Configuration;

namespace RunStrength.Functions.Plans;

/// <summary>The key that signs plan-listing continuation tokens (<see cref="PlanCursor"/>). Bound from section <c>Cursors</c>.</summary>
public sealed class CursorOptions : IValidatableObject
{
    public const string Section = "Cursors";

    /// <summary>The key committed in <c>local.settings.json</c>: public, so accepted only in Development.</summary>
    public const string RepositoryDevelopmentKey = "ZGV2ZWxvcG1lbnQtY3Vyc29yLWtleS0wMDAwMDAwMDA=";

    /// <summary>
    /// Base64 HMAC-SHA256 key of 32 bytes or more (a Key Vault reference in Azure). Every instance
    /// needs the same key, or a token issued by one is refused by the next. Changing it only ends
    /// the listings in progress: their clients start again from the first page.
    /// </summary>
    public string? SecretKey { get; set; }

    /// <summary>How <see cref="SecretKey"/> is read: required, 32 to 128 bytes.</summary>
    public static readonly ServerSecret Secret = new("Cursors:SecretKey", "cursor-secret-key", 32, 128, RepositoryDevelopmentKey);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => Secret.Validate(SecretKey, required: true, nameof(SecretKey));
}

public static class CursorServiceCollectionExtensions
{
    /// <summary>
    /// Signed plan-listing cursors (section <c>Cursors</c>): the key is required, and the
    /// repository's published development key refuses to start outside Development.
    /// </summary>
    public static IServiceCollection AddPlanCursors(this IServiceCollection services, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        services.AddOptions<CursorOptions>().BindConfiguration(CursorOptions.Section).ValidateDataAnnotations().ValidateOnStart()
            .RefuseRepositoryKeyOutsideDevelopment(environment, CursorOptions.Secret, o => o.SecretKey, "anyone could forge continuation tokens");
        services.AddSingleton<PlanCursor>();
        return services;
    }
}

using System.Text.Json.Nodes;

namespace RunStrength.Infra.Tests;

public sealed class CompiledTemplate
{
    public CompiledTemplate()
    {
        var (exitCode, output, errors) = BicepCli.Run("build", "main.bicep", "--stdout");
        Assert.True(exitCode == 0, $"bicep build failed: {errors}");
        Json = JsonNode.Parse(output)!;
    }

    public JsonNode Json { get; }

    public IEnumerable<JsonNode> Templates() =>
        new[] { Json }.Concat(TemplatePolicy.Resources(Json).Select(r => r["properties"]?["template"]).OfType<JsonNode>());

    public IEnumerable<JsonNode> OfType(string type) =>
        TemplatePolicy.Resources(Json).Where(r => string.Equals(r["type"]?.GetValue<string>(), type, StringComparison.OrdinalIgnoreCase));
}

public sealed class InfrastructureTests(CompiledTemplate template) : IClassFixture<CompiledTemplate>
{
    [Fact]
    public void BicepLintReportsNoWarningsOrErrors()
    {
        var (exitCode, output, errors) = BicepCli.Run("lint", "main.bicep");

        Assert.True(exitCode == 0 && !$"{output}{errors}".Contains("Warning", StringComparison.OrdinalIgnoreCase), $"{output}{errors}");
    }

    [Fact]
    public void CompiledTemplateKeepsThePolicy() => Assert.Empty(TemplatePolicy.Violations(template.Json));

    [Theory]
    [InlineData("""{ "name": "AzureWebJobsStorage", "value": "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=abc" }""", "carries a key")]
    [InlineData("""{ "name": "Storage", "value": "[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'x'), '2023-05-01').keys[0].value]" }""", "carries a key")]
    [InlineData("""{ "name": "Notifications__HubConnectionString", "value": "Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=a;SharedAccessKey=b" }""", "must be a Key Vault reference")]
    [InlineData("""{ "name": "Notifications__HubConnectionString", "value": "[parameters('hubConnection')]" }""", "must be a Key Vault reference")]
    [InlineData("""{ "name": "Notifications__SecretKey", "value": "ZGV2ZWxvcG1lbnQtd2ViaG9vay1rZXktMDAwMDAwMDA=" }""", "must be a Key Vault reference")]
    [InlineData("""{ "name": "Notifications__SecretKey", "value": "@Microsoft.KeyVault(VaultName=kv;SecretName=x) plus" }""", "must be a Key Vault reference")]
    public void PolicyCatchesKeysInAppSettings(string setting, string expected)
    {
        var bad = JsonNode.Parse($$"""{ "resources": [ { "type": "Microsoft.Web/sites", "name": "app", "properties": { "siteConfig": { "appSettings": [ {{setting}} ] } } } ] }""")!;

        Assert.Contains(TemplatePolicy.Violations(bad), v => v.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("@Microsoft.KeyVault(VaultName=kv-abc;SecretName=webhook-secret-key)")]
    [InlineData("@Microsoft.KeyVault(SecretUri=https://kv-abc.vault.azure.net/secrets/notification-hub-connection/)")]
    [InlineData("[format('@Microsoft.KeyVault(VaultName={0};SecretName=notification-hub-connection)', parameters('keyVaultName'))]")]
    public void PolicyAllowsSecretSettingsOnlyAsKeyVaultReferences(string value)
    {
        var good = JsonNode.Parse($$"""{ "resources": [ { "type": "Microsoft.Web/sites", "name": "app", "properties": { "siteConfig": { "appSettings": [ { "name": "Notifications__HubConnectionString", "value": {{JsonValue.Create(value).ToJsonString()}} } ] } } } ] }""")!;

        Assert.Empty(TemplatePolicy.Violations(good));
    }

    [Fact]
    public void NotificationSecretsAreKeyVaultReferencesResolvedByTheAppsIdentityAndTheHubIsOptional()
    {
        var app = Assert.Single(template.OfType("Microsoft.Web/sites"));
        var settings = app["properties"]!["siteConfig"]!["appSettings"]!.AsArray().ToDictionary(s => s!["name"]!.GetValue<string>(), s => s!["value"]!.ToString());

        Assert.StartsWith("[format('@Microsoft.KeyVault(VaultName={0};SecretName=webhook-secret-key)'", settings["Notifications__SecretKey"], StringComparison.Ordinal);
        Assert.StartsWith("[format('@Microsoft.KeyVault(VaultName={0};SecretName=notification-hub-connection)'", settings["Notifications__HubConnectionString"], StringComparison.Ordinal);
        Assert.Contains("keyVaultReferenceIdentity", app["properties"]!.AsObject().Select(p => p.Key));
        var vault = Assert.Single(template.OfType("Microsoft.KeyVault/vaults"))["properties"]!;
        Assert.True(vault["enableRbacAuthorization"]!.GetValue<bool>());
        Assert.True(vault["enablePurgeProtection"]!.GetValue<bool>());

        // No hub unless notificationHubName is given.
        Assert.Equal("", template.Json["parameters"]!["notificationHubName"]!["defaultValue"]!.GetValue<string>());
        Assert.All(template.OfType("Microsoft.NotificationHubs/namespaces").Concat(template.OfType("Microsoft.NotificationHubs/namespaces/notificationHubs")),
            hub => Assert.Contains("empty(parameters('hubName'))", hub["condition"]!.ToString(), StringComparison.Ordinal));
        Assert.Equal(2, template.OfType("Microsoft.NotificationHubs/namespaces").Count() + template.OfType("Microsoft.NotificationHubs/namespaces/notificationHubs").Count());
    }

    [Fact]
    public void PolicyResolvesRolesHiddenInVariables()
    {
        var bad = JsonNode.Parse($$"""
            { "variables": { "role": "{{TemplatePolicy.Owner}}" }, "resources": [
              { "type": "Microsoft.Authorization/roleAssignments", "name": "ra", "properties": { "roleDefinitionId": "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', variables('role'))]" } } ] }
            """)!;

        Assert.Contains(TemplatePolicy.Violations(bad), v => v.Contains("broad role", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(TemplatePolicy.Owner)]
    [InlineData(TemplatePolicy.Contributor)]
    public void PolicyCatchesBroadRolesAndSharedKeys(string role)
    {
        var bad = JsonNode.Parse($$"""
            { "resources": [
              { "type": "Microsoft.Authorization/roleAssignments", "name": "ra", "properties": { "roleDefinitionId": "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '{{role}}')]" } },
              { "type": "Microsoft.Storage/storageAccounts", "name": "st", "properties": { "allowSharedKeyAccess": true } } ] }
            """)!;

        var violations = TemplatePolicy.Violations(bad);

        Assert.Contains(violations, v => v.Contains("broad role", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("shared-key", StringComparison.Ordinal));
    }

    [Fact]
    public void StorageAccountIsLockedDown()
    {
        var account = Assert.Single(template.OfType("Microsoft.Storage/storageAccounts"))["properties"]!;

        Assert.False(account["allowSharedKeyAccess"]!.GetValue<bool>());
        Assert.False(account["allowBlobPublicAccess"]!.GetValue<bool>());
        Assert.Equal("TLS1_2", account["minimumTlsVersion"]!.GetValue<string>());
        Assert.True(account["supportsHttpsTrafficOnly"]!.GetValue<bool>());
    }

    [Fact]
    public void TablesAndDeploymentContainerAreCreated()
    {
        var tables = Assert.Single(template.OfType("Microsoft.Storage/storageAccounts/tableServices/tables"));
        var names = template.Templates().Select(t => t["variables"]?["tableNames"]).OfType<JsonArray>().Single();

        Assert.Equal("[length(variables('tableNames'))]", tables["copy"]!["count"]!.ToString());
        Assert.Equal(["profiles", "plans", "sessionlogs", "runs", "calendars", "channels", "duehours"], names.Select(n => n!.GetValue<string>()));

        var containers = Assert.Single(template.OfType("Microsoft.Storage/storageAccounts/blobServices/containers"));
        Assert.Equal("[length(variables('containerNames'))]", containers["copy"]!["count"]!.ToString());
    }

    [Fact]
    public void IdentityHoldsExactlyTheFiveDataPlaneRoles()
    {
        var scopes = template.Templates().ToList();
        var roles = template.OfType("Microsoft.Authorization/roleAssignments")
            .Select(r => scopes.Select(s => TemplatePolicy.RoleId(r, s)).First(id => !id.Contains("variables(", StringComparison.Ordinal)))
            .Select(id => System.Text.RegularExpressions.Regex.Match(id, "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").Value)
            .Distinct()
            .Order(StringComparer.Ordinal);

        Assert.Equal(
            ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "3913510d-42f4-4e42-8a64-420c390055eb", "4633458b-17de-408a-b874-0445c86b69e6", "974c5e8b-45b9-4653-ba55-5f855dd0fb88", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"],
            roles);
    }

    [Fact]
    public void FunctionAppRunsIsolatedDotnet10OnFlexConsumptionWithBoundedScale()
    {
        var plan = Assert.Single(template.OfType("Microsoft.Web/serverfarms"));
        var app = Assert.Single(template.OfType("Microsoft.Web/sites"));
        var config = app["properties"]!["functionAppConfig"]!;

        Assert.Equal("FlexConsumption", plan["sku"]!["tier"]!.GetValue<string>());
        Assert.Equal("functionapp,linux", app["kind"]!.GetValue<string>());
        Assert.Equal("dotnet-isolated", config["runtime"]!["name"]!.GetValue<string>());
        Assert.Equal("10.0", config["runtime"]!["version"]!.GetValue<string>());
        Assert.Equal("blobContainer", config["deployment"]!["storage"]!["type"]!.GetValue<string>());
        Assert.Equal("UserAssignedIdentity", config["deployment"]!["storage"]!["authentication"]!["type"]!.GetValue<string>());
        Assert.Equal(1000, template.Json["parameters"]!["maximumInstanceCount"]!["maxValue"]!.GetValue<int>());
    }

    [Fact]
    public void AppSettingsUseIdentityAndCarryTheAppsParameters()
    {
        var settings = Assert.Single(template.OfType("Microsoft.Web/sites"))["properties"]!["siteConfig"]!["appSettings"]!.AsArray()
            .ToDictionary(s => s!["name"]!.GetValue<string>(), s => s!["value"]!.ToString());

        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Equal("true", settings["WeeklyPlan__ReconcileFanOut"]);
        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys);
        foreach (var name in (string[])["AzureWebJobsStorage__accountName", "AzureWebJobsStorage__clientId", "Storage__TableServiceUri", "Storage__QueueServiceUri", "PlanSchedule", "WeeklyPlan__LeadTime", "WeeklyPlan__FanOutThreshold", "WeeklyPlan__ReconcileHourUtc", "WeeklyPlan__ReconcileFanOut", "Auth__Issuer", "Auth__Audience", "Auth__Authority"])
        {
            Assert.Contains(name, settings.Keys);
        }
    }

    [Fact]
    public void ThePlanBuildAndPlanReadyQueuesAndTheirPoisonQueuesAreDeclared()
    {
        Assert.Single(template.OfType("Microsoft.Storage/storageAccounts/queueServices/queues"));
        var names = template.Templates().Select(t => t["variables"]?["queueNames"]).OfType<JsonArray>().Single();
        Assert.Equal(["plan-build", "plan-build-poison", "plan-ready", "plan-ready-poison"], names.Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public void MonitoringHasLocalAuthDisabled()
    {
        Assert.True(Assert.Single(template.OfType("Microsoft.Insights/components"))["properties"]!["DisableLocalAuth"]!.GetValue<bool>());
        Assert.True(Assert.Single(template.OfType("Microsoft.OperationalInsights/workspaces"))["properties"]!["features"]!["disableLocalAuth"]!.GetValue<bool>());
    }

    [Fact]
    public void FunctionAppLogsAndTableDataAccessGoToTheWorkspace()
    {
        var settings = template.OfType("Microsoft.Insights/diagnosticSettings").ToList();
        var app = Assert.Single(settings, s => s["scope"]!.ToString().Contains("Microsoft.Web/sites", StringComparison.Ordinal));
        var tables = Assert.Single(settings, s => s["scope"]!.ToString().Contains("Microsoft.Storage/storageAccounts/tableServices'", StringComparison.Ordinal));

        Assert.Equal(["FunctionAppLogs"], EnabledLogCategories(app));
        Assert.Equal(["StorageDelete", "StorageRead", "StorageWrite"], EnabledLogCategories(tables));
        Assert.All(settings, s => Assert.Equal("[parameters('workspaceId')]", s["properties"]!["workspaceId"]!.ToString()));
        var module = Assert.Single(template.OfType("Microsoft.Resources/deployments"), d => d["name"]!.ToString() == "diagnostics");
        Assert.Contains("outputs.workspaceId.value", module["properties"]!["parameters"]!["workspaceId"]!["value"]!.ToString(), StringComparison.Ordinal);
        Assert.Contains(template.Templates(), t => t["outputs"]?["workspaceId"]?["value"]?.ToString() == "[resourceId('Microsoft.OperationalInsights/workspaces', parameters('workspaceName'))]");
    }

    [Fact]
    public void LogsAreReadWithResourcePermissionsAndKeptNinetyDays()
    {
        var retention = template.Json["parameters"]!["logRetentionDays"]!;
        var workspace = Assert.Single(template.OfType("Microsoft.OperationalInsights/workspaces"))["properties"]!;
        var insights = Assert.Single(template.OfType("Microsoft.Insights/components"))["properties"]!;

        Assert.Equal(90, retention["defaultValue"]!.GetValue<int>());
        Assert.Equal(90, retention["minValue"]!.GetValue<int>());
        Assert.True(workspace["features"]!["enableLogAccessUsingOnlyResourcePermissions"]!.GetValue<bool>());
        Assert.Equal("[parameters('retentionInDays')]", workspace["retentionInDays"]!.ToString());
        Assert.Equal("[parameters('retentionInDays')]", insights["RetentionInDays"]!.ToString());
        Assert.Equal("[parameters('logQueryNetworkAccess')]", workspace["publicNetworkAccessForQuery"]!.ToString());
        Assert.Equal("[parameters('logQueryNetworkAccess')]", insights["publicNetworkAccessForQuery"]!.ToString());
        Assert.Equal(["Disabled", "Enabled"], template.Json["parameters"]!["logQueryNetworkAccess"]!["allowedValues"]!.AsArray().Select(v => v!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void BasicPublishingCredentialsAreOffForScmAndFtp()
    {
        var policies = template.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToList();

        Assert.Equal(["ftp", "scm"], policies.Select(p => System.Text.RegularExpressions.Regex.Match(p["name"]!.ToString(), "'(ftp|scm)'").Groups[1].Value).Order(StringComparer.Ordinal));
        Assert.All(policies, p => Assert.False(p["properties"]!["allow"]!.GetValue<bool>()));
    }

    [Fact]
    public void BlobDataOwnerCoversOnlyTheDeploymentAndHostContainers()
    {
        var scopes = template.Templates().ToList();
        var owner = Assert.Single(template.OfType("Microsoft.Authorization/roleAssignments"),
            r => scopes.Any(s => TemplatePolicy.RoleId(r, s).Contains("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", StringComparison.Ordinal)));
        var containers = scopes.Select(t => t["variables"]?["blobOwnerContainers"]).OfType<JsonArray>().Single();

        Assert.Equal("[length(variables('blobOwnerContainers'))]", owner["copy"]!["count"]!.ToString());
        Assert.Contains("/blobServices/containers", owner["scope"]!.ToString(), StringComparison.Ordinal);
        Assert.Equal(["[parameters('deploymentContainerName')]", "azure-webjobs-hosts", "azure-webjobs-secrets"], containers.Select(c => c!.ToString()));

        // The containers exist before the role is assigned on them: the storage module creates the same three.
        Assert.Equal(["[parameters('deploymentContainerName')]", "azure-webjobs-hosts", "azure-webjobs-secrets"],
            scopes.Select(t => t["variables"]?["containerNames"]).OfType<JsonArray>().Single().Select(c => c!.ToString()));
    }

    [Fact]
    public void StorageNetworkRulesAreOffByDefaultAndAdmitOnlyTheAppsSubnetWhenOneIsGiven()
    {
        var account = Assert.Single(template.OfType("Microsoft.Storage/storageAccounts"))["properties"]!["networkAcls"]!;
        var app = Assert.Single(template.OfType("Microsoft.Web/sites"))["properties"]!;

        Assert.Equal("", template.Json["parameters"]!["functionSubnetId"]!["defaultValue"]!.GetValue<string>());
        Assert.Equal("AzureServices", account["bypass"]!.GetValue<string>());
        Assert.Equal("[if(empty(parameters('allowedSubnetId')), 'Allow', 'Deny')]", account["defaultAction"]!.ToString());
        Assert.Contains("createObject('id', parameters('allowedSubnetId'), 'action', 'Allow')", account["virtualNetworkRules"]!.ToString(), StringComparison.Ordinal);
        Assert.Equal("[if(empty(parameters('functionSubnetId')), null(), parameters('functionSubnetId'))]", app["virtualNetworkSubnetId"]!.ToString());
        foreach (var (module, parameter) in new[] { ("storage", "allowedSubnetId"), ("functionapp", "functionSubnetId") })
        {
            var deployment = Assert.Single(template.OfType("Microsoft.Resources/deployments"), d => d["name"]!.ToString() == module);
            Assert.Equal("[parameters('functionSubnetId')]", deployment["properties"]!["parameters"]![parameter]!["value"]!.ToString());
        }
    }

    private static List<string> EnabledLogCategories(JsonNode setting) =>
        setting["properties"]!["logs"]!.AsArray().Where(l => l!["enabled"]!.GetValue<bool>()).Select(l => l!["category"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void OutputsNameTheFunctionAppAndItsUrl()
    {
        var outputs = template.Json["outputs"]!.AsObject().Select(o => o.Key).ToList();

        Assert.Contains("FUNCTION_APP_NAME", outputs);
        Assert.Contains("FUNCTION_APP_URL", outputs);
    }
}

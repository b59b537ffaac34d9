// The function app on Flex Consumption (Linux, .NET 10 isolated worker), running as a
// user-assigned identity that holds only the data-plane roles it needs.
param location string
param tags object
param planName string
param appName string
param identityName string
param storageAccountName string
param deploymentContainerName string
param applicationInsightsName string
param planSchedule string
param planLeadTime string
param planFanOutThreshold int
param planReconcileHourUtc int
param authIssuer string
param authAudience string
param authAuthority string
param authRequiredScope string
param webClientId string
param webScope string
param maximumInstanceCount int
param instanceMemoryMB int
param keyVaultName string
param notificationHubName string
param functionSubnetId string

// Built-in role definition ids (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' existing = {
  parent: storage
  name: 'default'
}

@description('The only blob containers the app touches: its package and the host\'s two (storage.bicep creates all three).')
var blobOwnerContainers = [deploymentContainerName, 'azure-webjobs-hosts', 'azure-webjobs-secrets']

resource blobContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = [
  for container in blobOwnerContainers: {
    parent: blobService
    name: container
  }
]

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: identityName
  location: location
  tags: tags
}

// Blob Data Owner, one container at a time: the host keeps its leases, locks and timer schedule
// status in azure-webjobs-hosts and its keys in azure-webjobs-secrets, and Flex Consumption reads
// the app package from the deployment container. No other blob in the account is reachable.
resource blobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (container, i) in blobOwnerContainers: {
    name: guid(blobContainers[i].id, identity.id, storageBlobDataOwner)
    scope: blobContainers[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwner)
      principalId: identity.properties.principalId
      principalType: 'ServicePrincipal'
    }
  }
]

// Queue Data Contributor: the weekly timer sends plan-build messages (one per shard with due work),
// the BuildShardPlans trigger receives, deletes and moves them to plan-build-poison, and the timer
// reads the poison queue's length; the host also uses queues internally.
resource queueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, storageQueueDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Table Data Contributor: RunStrength's own data (profiles, plans, logs, runs, calendars).
resource tableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, storageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Monitoring Metrics Publisher: Application Insights has local auth disabled, so telemetry is
// accepted only with an Entra token from this identity.
resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, identity.id, monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Key Vault Secrets User on the notifications vault: the app resolves its Key Vault references
// (the webhook secret key, the hub's connection string) as this identity, and reads nothing else.
resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references are resolved as the app's identity, which holds Key Vault Secrets User.
    keyVaultReferenceIdentity: identity.id
    // Outbound traffic through the given subnet, the only network the storage account then admits.
    virtualNetworkSubnetId: empty(functionSubnetId) ? null : functionSubnetId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      appSettings: [
        // Host storage by identity: account name + credential, never a key or connection string.
        { name: 'AzureWebJobsStorage__accountName', value: storage.name }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identity.properties.clientId }
        // Telemetry: the connection string only locates the resource; with local auth disabled
        // ingestion needs the Entra token named by the authentication string.
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: applicationInsights.properties.ConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identity.properties.clientId};Authorization=AAD' }
        // RunStrength's own tables, reached with DefaultAzureCredential as this identity.
        { name: 'Storage__TableServiceUri', value: storage.properties.primaryEndpoints.table }
        // The plan-build queue the timer sends to; the trigger itself reads through AzureWebJobsStorage.
        { name: 'Storage__QueueServiceUri', value: storage.properties.primaryEndpoints.queue }
        { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
        { name: 'PlanSchedule', value: planSchedule }
        { name: 'WeeklyPlan__LeadTime', value: planLeadTime }
        { name: 'WeeklyPlan__FanOutThreshold', value: string(planFanOutThreshold) }
        { name: 'WeeklyPlan__ReconcileHourUtc', value: string(planReconcileHourUtc) }
        // The daily sweep goes to the plan-build queue a shard per message: no execution reads every user.
        { name: 'WeeklyPlan__ReconcileFanOut', value: 'true' }
        { name: 'Auth__Issuer', value: authIssuer }
        { name: 'Auth__Audience', value: authAudience }
        { name: 'Auth__Authority', value: authAuthority }
        { name: 'Auth__RequiredScope', value: authRequiredScope }
        // The web page at / (served by a function): Entra sign-in with PKCE, and no host welcome page in its place.
        { name: 'Web__ClientId', value: webClientId }
        { name: 'Web__Scope', value: webScope }
        { name: 'AzureWebJobsDisableHomepage', value: 'true' }
        // Secrets only as Key Vault references (the policy test allows no other form): the key that
        // signs continuation tokens (required: the app does not start until it resolves), the key that
        // encrypts webhook secrets at rest, and the hub's connection string. A notification reference
        // whose secret is not in the vault yet leaves that channel off; push is off without a hub name.
        { name: 'Cursors__SecretKey', value: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=cursor-secret-key)' }
        { name: 'Notifications__SecretKey', value: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=webhook-secret-key)' }
        { name: 'Notifications__HubConnectionString', value: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=notification-hub-connection)' }
        { name: 'Notifications__HubName', value: notificationHubName }
        // The HMAC key of calendar event UIDs; calendar feeds answer 503 until it is in the vault.
        { name: 'Calendar__UidSecretKey', value: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=calendar-uid-key)' }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
  dependsOn: [
    blobOwner
    queueContributor
    tableContributor
    metricsPublisher
    secretsUser
  ]
}

// Basic (user name and password) publishing off for both endpoints: deployments authenticate
// with Microsoft Entra ID (azd uses OneDeploy with a token), so a leaked publish profile is useless.
resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

output name string = app.name
output url string = 'https://${app.properties.defaultHostName}'

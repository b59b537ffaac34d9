// RunStrength on Azure: one resource group holding a Flex Consumption function app, its storage
// account (tables + deployment container), a user-assigned identity and monitoring.
targetScope = 'subscription'

@minLength(1)
@maxLength(40)
@description('Name of the azd environment; used to name and tag every resource.')
param environmentName string

@minLength(1)
@description('Azure region for all resources (one that offers Flex Consumption).')
param location string

@description('NCRONTAB schedule (6 fields, UTC) of the weekly-plan reconciler.')
param planSchedule string = '0 0 * * * *'

@description('How long before a user\'s local Monday 00:00 their next week is built (TimeSpan).')
param planLeadTime string = '2.00:00:00'

@minValue(0)
@description('Users due in one tick above which the timer fans out one plan-build message per shard instead of building in its own execution.')
param planFanOutThreshold int = 5000

@minValue(0)
@maxValue(23)
@description('UTC hour of the daily full reconcile sweep, which repairs what the due index missed.')
param planReconcileHourUtc int = 3

@description('Issuer (iss) the API accepts in bearer tokens, e.g. https://login.microsoftonline.com/<tenant>/v2.0.')
param authIssuer string

@description('Audience (aud) the API accepts in bearer tokens: the API\'s application ID URI or client ID.')
param authAudience string

@description('OpenID Connect authority whose signing keys validate tokens; usually the issuer.')
param authAuthority string

@description('Delegated scope (scp) a user token must carry to use the API, as exposed by the API application.')
param authRequiredScope string = 'plans.readwrite'

@description('Client ID of the web page\'s Entra app registration (a single-page application whose redirect URI is https://<app>.azurewebsites.net/); empty for no sign-in on the page.')
param webClientId string = ''

@description('The full API scope the web page asks for, e.g. api://<api-app-id>/plans.readwrite.')
param webScope string = ''

@minValue(1)
@maxValue(1000)
@description('Upper bound on Flex Consumption instances, which bounds cost and storage load.')
param maximumInstanceCount int = 40

@allowed([512, 2048, 4096])
@description('Memory per instance in MB.')
param instanceMemoryMB int = 2048

@description('Name of an Azure Notification Hub to create for mobile push (a Free namespace with it); empty for no push.')
param notificationHubName string = ''

@minValue(90)
@maxValue(730)
@description('Days the Log Analytics workspace and Application Insights keep logs, the audit trail among them.')
param logRetentionDays int = 90

@allowed(['Enabled', 'Disabled'])
@description('Whether logs can be queried from public networks; Disabled leaves queries only through an Azure Monitor Private Link Scope you add.')
param logQueryNetworkAccess string = 'Enabled'

@description('Resource id of a subnet (delegated to Microsoft.App/environments, with the Microsoft.Storage service endpoint) to integrate the function app with; when set, the storage account denies every other network. Empty: no network rules.')
param functionSubnetId string = ''

var tags = { 'azd-env-name': environmentName }
var token = toLower(uniqueString(subscription().id, environmentName, location))
// Names are fixed at compile time so what-if can predict every resource id.
var storageAccountName = 'st${token}'
var deploymentContainerName = 'app-package-${token}'
var applicationInsightsName = 'appi-${token}'
var appName = 'func-${token}'
var keyVaultName = 'kv-${token}'

resource group 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: group
  params: {
    location: location
    tags: tags
    workspaceName: 'log-${token}'
    applicationInsightsName: applicationInsightsName
    retentionInDays: logRetentionDays
    logQueryNetworkAccess: logQueryNetworkAccess
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: group
  params: {
    location: location
    tags: tags
    accountName: storageAccountName
    deploymentContainerName: deploymentContainerName
    allowedSubnetId: functionSubnetId
  }
}

module notifications 'modules/notifications.bicep' = {
  name: 'notifications'
  scope: group
  params: {
    location: location
    tags: tags
    vaultName: keyVaultName
    hubName: notificationHubName
  }
}

module app 'modules/functionapp.bicep' = {
  name: 'functionapp'
  scope: group
  params: {
    location: location
    tags: tags
    planName: 'plan-${token}'
    appName: appName
    identityName: 'id-${token}'
    storageAccountName: storageAccountName
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: applicationInsightsName
    planSchedule: planSchedule
    planLeadTime: planLeadTime
    planFanOutThreshold: planFanOutThreshold
    planReconcileHourUtc: planReconcileHourUtc
    authIssuer: authIssuer
    authAudience: authAudience
    authAuthority: authAuthority
    authRequiredScope: authRequiredScope
    webClientId: webClientId
    webScope: webScope
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    keyVaultName: keyVaultName
    notificationHubName: notificationHubName
    functionSubnetId: functionSubnetId
  }
  // The app refers to the account, Application Insights and the vault by name, so order them explicitly.
  dependsOn: [
    storage
    monitoring
    notifications
  ]
}

module diagnostics 'modules/diagnostics.bicep' = {
  name: 'diagnostics'
  scope: group
  params: {
    appName: appName
    storageAccountName: storageAccountName
    workspaceId: monitoring.outputs.workspaceId
  }
  // The settings attach to the app and the table service, named here at compile time.
  dependsOn: [
    app
    storage
  ]
}

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = group.name
output FUNCTION_APP_NAME string = app.outputs.name
output FUNCTION_APP_URL string = app.outputs.url

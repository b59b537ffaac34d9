// Log Analytics and workspace-based Application Insights, both with local (key) auth disabled:
// telemetry is accepted only from identities holding Monitoring Metrics Publisher. The workspace
// is also the audit trail (diagnostics.bicep), so reading it takes a role on the workspace or on
// the resource a log came from, and it keeps logs for at least 90 days.
param location string
param tags object
param workspaceName string
param applicationInsightsName string

@minValue(90)
param retentionInDays int

@allowed(['Enabled', 'Disabled'])
param logQueryNetworkAccess string

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: retentionInDays
    features: {
      disableLocalAuth: true
      // Resource-context access: a reader of the function app sees its logs and no one else's;
      // the whole workspace needs a role on the workspace itself.
      enableLogAccessUsingOnlyResourcePermissions: true
    }
    publicNetworkAccessForIngestion: 'Enabled'
    publicNetworkAccessForQuery: logQueryNetworkAccess
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
    RetentionInDays: retentionInDays
    publicNetworkAccessForIngestion: 'Enabled'
    publicNetworkAccessForQuery: logQueryNetworkAccess
  }
}

output applicationInsightsName string = applicationInsights.name
output workspaceId string = workspace.id

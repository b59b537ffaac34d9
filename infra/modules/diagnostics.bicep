// The audit trail of data access: the function app's own log lines (the RunStrength.Audit
// events among them) and every read, write and delete on the tables go to the Log Analytics
// workspace, which keeps them for its retention and shows them only to those allowed
// (monitoring.bicep).
param appName string
param storageAccountName string
param workspaceId string

resource app 'Microsoft.Web/sites@2024-04-01' existing = {
  name: appName
}

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' existing = {
  parent: account
  name: 'default'
}

resource appLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'audit'
  scope: app
  properties: {
    workspaceId: workspaceId
    // The FunctionAppLogs table rather than AzureDiagnostics.
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      { category: 'FunctionAppLogs', enabled: true }
    ]
  }
}

// Who touched which entity: StorageTableLogs carries the caller's identity, operation and status.
resource tableAccess 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'audit'
  scope: tableService
  properties: {
    workspaceId: workspaceId
    logs: [
      { category: 'StorageRead', enabled: true }
      { category: 'StorageWrite', enabled: true }
      { category: 'StorageDelete', enabled: true }
    ]
  }
}

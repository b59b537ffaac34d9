// The storage account holds the host's state (blobs, queues), the app package, RunStrength's
// tables and the weekly run's plan-build queues. Keys are disabled: every client authenticates with Microsoft Entra ID.
param location string
param tags object
param accountName string
param deploymentContainerName string

@description('Subnet the function app is integrated with; when set, the account refuses every other network (Azure services still pass). Empty: no network rules.')
param allowedSubnetId string

@description('The tables DESIGN.md lists; created here so the app never needs create rights at run time.')
var tableNames = ['profiles', 'plans', 'sessionlogs', 'runs', 'calendars', 'channels', 'duehours']

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: accountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: empty(allowedSubnetId) ? 'Allow' : 'Deny'
      virtualNetworkRules: empty(allowedSubnetId) ? [] : [{ id: allowedSubnetId, action: 'Allow' }]
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    deleteRetentionPolicy: { enabled: true, days: 7 }
    containerDeleteRetentionPolicy: { enabled: true, days: 7 }
  }
}

@description('The app package, and the host\'s leases, timer status and keys: created here so the identity\'s Blob Data Owner role can be scoped to exactly these (functionapp.bicep).')
var containerNames = [deploymentContainerName, 'azure-webjobs-hosts', 'azure-webjobs-secrets']

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [
  for container in containerNames: {
    parent: blobService
    name: container
    properties: {
      publicAccess: 'None'
    }
  }
]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: account
  name: 'default'
}

@description('The weekly run\'s fan-out (one message per shard with due work), plan-ready events for DeliverPlanReady, and where the host moves a message that failed maxDequeueCount times.')
var queueNames = ['plan-build', 'plan-build-poison', 'plan-ready', 'plan-ready-poison']

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [
  for queue in queueNames: {
    parent: queueService
    name: queue
  }
]

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [
  for table in tableNames: {
    parent: tableService
    name: table
  }
]

output accountName string = account.name
output deploymentContainerName string = containers[0].name

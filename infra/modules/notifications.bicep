// Plan-ready delivery's secrets and, when enabled, its push hub. The Key Vault holds the secrets
// the app reads through Key Vault references (never as plain app settings):
//   webhook-secret-key           base64 AES-256 key that encrypts webhook signing secrets at rest
//   notification-hub-connection  the hub's listen-and-send connection string (push only)
//   cursor-secret-key            base64 key that signs plan-listing continuation tokens (required)
// The operator puts them in after deployment (README, "Deploy to Azure"): nothing here reads a key.
// The function app's identity gets Key Vault Secrets User on this vault (functionapp.bicep).
param location string
param tags object
param vaultName string

@description('Create an Azure Notification Hubs namespace and hub for mobile push; empty for none.')
param hubName string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: vaultName
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource hubNamespace 'Microsoft.NotificationHubs/namespaces@2023-09-01' = if (!empty(hubName)) {
  name: 'ntfns-${vaultName}'
  location: location
  tags: tags
  sku: { name: 'Free' }
  properties: {}
}

resource hub 'Microsoft.NotificationHubs/namespaces/notificationHubs@2023-09-01' = if (!empty(hubName)) {
  parent: hubNamespace
  name: empty(hubName) ? 'none' : hubName
  location: location
  tags: tags
  properties: {}
}

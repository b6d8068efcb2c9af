// The admin panel is not served (serve.js passes serveAdminPanel: false); Strapi still reads these.
module.exports = ({ env }) => ({
  auth: { secret: env('ADMIN_JWT_SECRET', 'benchmark-admin-secret') },
  apiToken: { salt: env('API_TOKEN_SALT', 'benchmark-api-token-salt') },
  transfer: { token: { salt: env('TRANSFER_TOKEN_SALT', 'benchmark-transfer-salt') } },
  secrets: { encryptionKey: env('ENCRYPTION_KEY', 'benchmark-encryption-key') },
});

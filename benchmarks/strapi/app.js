// One Strapi instance of this folder, in production mode, without the admin panel (never built).
process.env.NODE_ENV = process.env.NODE_ENV || 'production';
process.env.STRAPI_TELEMETRY_DISABLED = 'true';
process.env.STRAPI_DISABLE_UPDATE_NOTIFICATION = 'true';

const fs = require('node:fs');
const path = require('node:path');
const { createStrapi } = require('@strapi/strapi');

// The database and the upload provider's folder, both out of git (.gitignore).
for (const dir of ['.tmp', 'public/uploads']) fs.mkdirSync(path.join(__dirname, dir), { recursive: true });

module.exports = () => createStrapi({ appDir: __dirname, distDir: __dirname, serveAdminPanel: false });

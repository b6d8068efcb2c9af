// Errors only: the startup banner and per-request lines would cost the benchmark.
const { winston } = require('@strapi/logger');

module.exports = {
  transports: [new winston.transports.Console({ level: 'error' })],
};

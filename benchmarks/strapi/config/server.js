// Benchmark-only secrets: this Strapi listens on loopback for benchmarks/versus_strapi.py.
module.exports = ({ env }) => ({
  host: env('HOST', '127.0.0.1'),
  port: env.int('PORT', 1337),
  app: { keys: env.array('APP_KEYS', ['benchmark-key-one', 'benchmark-key-two']) },
});

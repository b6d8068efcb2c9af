// Stock Strapi served by WORKERS (default 2) node processes on one port, as gunicorn runs two
// workers: node's cluster module, each worker accepting its own connections (SCHED_NONE), as
// gunicorn's sync workers share one listening socket. Prints "ready" once every worker listens.
const cluster = require('node:cluster');

const workers = Number(process.env.WORKERS || 2);

if (cluster.isPrimary) {
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  let listening = 0;
  let stopping = false;
  // One after the other: the first worker's bootstrap grants the public permissions before
  // the second looks for them.
  const fork = () =>
    cluster.fork().once('listening', () => {
      listening += 1;
      if (listening < workers) fork();
      else console.log(`ready: ${workers} workers on port ${process.env.PORT}`);
    });
  cluster.on('exit', (worker, code) => {
    if (!stopping) {
      console.error(`worker ${worker.process.pid} exited with ${code}`);
      process.exit(1);
    }
  });
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers)) worker.process.kill('SIGTERM');
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  fork();
} else {
  require('./app')().start();
}

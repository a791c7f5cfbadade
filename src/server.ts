import fs from 'node:fs';
import type { Server } from 'node:http';
import { compileViews, createApp } from './app.js';
import { type Config, loadConfig, pidFilePath } from './config.js';
import { type Database, migrate, openDatabase } from './db/database.js';
import { createSetupToken, deleteExpiredSessions } from './db/sessions.js';
import { countAdmins, forgetOldLoginFailures } from './db/users.js';
import { loadDemo } from './demo.js';
import { neverHadIncidents } from './db/incidents.js';
import { closeSnapshotReaders } from './db/snapshots.js';
import { checkpointOffThread, stopCheckpoints } from './db/checkpoints.js';


function start(config: Config): { server: Server; db: Database } {
  const db = openDatabase(config.databasePath);
  migrate(db);
  // The demo goes into a database that has never held an incident (new, or only given accounts by
  // the CLI), never back into one whose incidents were deleted on purpose.
  if (config.demo && neverHadIncidents(db)) {
    const loaded = loadDemo(db);
    console.log(`New database: loaded the demo (${loaded.incidents} incidents, ${loaded.claims} claims). DEMO=off skips this.`);
  }
  deleteExpiredSessions(db);
  // `claimgrid restore` reads this to refuse replacing the database under a running server.
  fs.writeFileSync(pidFilePath(config.databasePath), String(process.pid));
  // Sessions expire and failed sign-ins age out; sweep them hourly rather than let them pile up.
  setInterval(() => {
    try {
      deleteExpiredSessions(db);
      forgetOldLoginFailures(db);
    } catch (error) {
      // Another program holding the write lock, say: the next sweep will do it.
      console.error('The hourly sweep of expired sessions failed (tried again in an hour):', error instanceof Error ? error.message : error);
    }
  }, 3600_000).unref();
  // Commits no longer checkpoint on the event loop; a thread does (see db/checkpoints.ts).
  checkpointOffThread(db);
  const app = createApp(db, { readAccess: config.readAccess, trustProxy: config.trustProxy });
  // Before the first request, not during it (see compileViews).
  compileViews(app);
  const server = app.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const base = `http://${config.host}:${port}/`;
    console.log(`Claimgrid is serving ${config.databasePath} at ${base}`);
    if (countAdmins(db) === 0) {
      // Until an admin exists, the demo is readable but no one can manage accounts from the web.
      console.log(`No admin yet. Create the first admin at this one-time link:\n  ${base}setup?token=${createSetupToken(db)}`);
    }
  });
  server.on('error', async (error) => {
    console.error(`Could not listen on ${config.host}:${config.port}: ${error.message}`);
    await closeDatabase(db);
    process.exit(1);
  });
  return { server, db };
}

/** The reader connections and the checkpointing thread's go first, so that the server's own close (the last) checkpoints everything. */
async function closeDatabase(db: Database): Promise<void> {
  closeSnapshotReaders(db);
  await stopCheckpoints(db);
  db.close();
}

function stopOnSignals(config: Config, { server, db }: { server: Server; db: Database }): void {
  const shutdown = (signal: string) => {
    console.log(`${signal}: finishing open requests (for up to ${config.shutdownGraceMs / 1000} s), then closing the database.`);
    server.close(async () => {
      await closeDatabase(db);
      fs.rmSync(pidFilePath(config.databasePath), { force: true });
      process.exit(0);
    });
    // Connections kept alive between requests go at once; those with a request running, once it is answered.
    server.closeIdleConnections();
    // Before the app answers (a quick route answers at once), and never on an answer already begun.
    server.prependListener('request', (_request, response) => {
      if (!response.headersSent) response.setHeader('Connection', 'close');
    });
    // A client holding a connection open (a slow download, say) must not keep the process alive forever.
    setTimeout(() => server.closeAllConnections(), config.shutdownGraceMs).unref();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

try {
  const config = loadConfig();
  stopOnSignals(config, start(config));
} catch (error) {
  // Configuration and migration problems are the operator's to fix: say what, without a stack trace.
  console.error(`Claimgrid could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Every setting, by its environment variable; the README's configuration table lists each (test/docs.test.ts). */
export const Settings = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_PATH: z.string().min(1).default('data/claimgrid.sqlite'),
  DEMO: z.enum(['on', 'off']).default('on'),
  READ_ACCESS: z.enum(['open', 'private']).default('open'),
  TRUST_PROXY: z.enum(['0', '1', 'false', 'true']).default('0'),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
});

export interface Config {
  port: number;
  host: string;
  databasePath: string;
  /** Fill a new, empty database with the demo incidents. */
  demo: boolean;
  /** 'private': reading needs an account too. */
  readAccess: 'open' | 'private';
  /** Behind a TLS-terminating reverse proxy: believe X-Forwarded-Proto, mark cookies Secure. */
  trustProxy: boolean;
  /** On SIGTERM or SIGINT, how long requests already running may take to finish before their connections are cut. */
  shutdownGraceMs: number;
}

/**
 * The database file itself, whatever path names it: symbolic links followed, so that the server and
 * the `claimgrid` command agree on it however each was told where it is.
 */
export function realDatabasePath(databasePath: string): string {
  const absolute = path.resolve(databasePath);
  if (fs.existsSync(absolute)) return fs.realpathSync(absolute);
  const directory = path.dirname(absolute);
  return fs.existsSync(directory) ? path.join(fs.realpathSync(directory), path.basename(absolute)) : absolute;
}

/** The file beside the database that names the server using it (`claimgrid restore` refuses while it is alive). */
export function pidFilePath(databasePath: string): string {
  return `${realDatabasePath(databasePath)}.pid`;
}

/** Reads settings from the environment; a bad value stops start-up with the variable named. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const blankAsUnset = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = Settings.safeParse(blankAsUnset);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Bad configuration: ${problems.join('; ')}`);
  }
  const settings = result.data;
  return {
    port: settings.PORT,
    host: settings.HOST,
    databasePath: settings.DATABASE_PATH,
    demo: settings.DEMO === 'on',
    readAccess: settings.READ_ACCESS,
    trustProxy: settings.TRUST_PROXY === '1' || settings.TRUST_PROXY === 'true',
    shutdownGraceMs: settings.SHUTDOWN_GRACE_SECONDS * 1000,
  };
}

-- Accounts: who may read and write. Roles: viewer reads, editor writes, admin also manages users.
CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE COLLATE NOCASE,
  role          TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
  password_hash TEXT NOT NULL,            -- scrypt$N$r$p$salt$key, see src/auth/secrets.ts
  disabled_at   TEXT,
  created_at    TEXT NOT NULL
);

-- Browser sessions. Only a hash of the cookie's token is stored, so a copy of the database
-- does not let anyone sign in. An anonymous session (no user) carries the CSRF token of the
-- login and setup forms.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id    INTEGER REFERENCES users(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- API tokens, sent as "Authorization: Bearer <token>", stored hashed.
CREATE TABLE api_tokens (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);

-- Failed sign-ins, to slow and then refuse guessing.
CREATE TABLE login_failures (
  name TEXT NOT NULL COLLATE NOCASE,
  at   TEXT NOT NULL
);
CREATE INDEX login_failures_by_name ON login_failures (name, at);

-- The one-time link that creates the first admin; a new start makes a new one.
CREATE TABLE setup_tokens (
  token_hash TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  used_at    TEXT
);

-- Every create, update, delete and restore, with who, when, and the row before and after (JSON).
CREATE TABLE history (
  id        INTEGER PRIMARY KEY,
  entity    TEXT NOT NULL CHECK (entity IN ('incident', 'source', 'claim', 'override')),
  entity_id INTEGER NOT NULL,
  action    TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete', 'restore')),
  user_id   INTEGER REFERENCES users(id) ON DELETE SET NULL,
  at        TEXT NOT NULL,
  before    TEXT,
  after     TEXT
);
CREATE INDEX history_by_entity ON history (entity, entity_id, id);

-- Versions for optimistic concurrency: an edit names the version it started from.
ALTER TABLE incidents ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE incidents ADD COLUMN created_by INTEGER REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE incidents ADD COLUMN updated_by INTEGER REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE sources ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE sources ADD COLUMN created_by INTEGER REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE sources ADD COLUMN updated_by INTEGER REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE claims ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE claims ADD COLUMN created_by INTEGER REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE claims ADD COLUMN updated_by INTEGER REFERENCES users(id) ON DELETE SET NULL;
-- Deleting a claim only marks it; an admin can restore it.
ALTER TABLE claims ADD COLUMN deleted_at TEXT;
ALTER TABLE claims ADD COLUMN deleted_by INTEGER REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE relation_overrides ADD COLUMN created_by INTEGER REFERENCES users(id) ON DELETE SET NULL;

-- Source names are unique regardless of case in any script: NOCASE folds only ASCII, so the
-- application stores the name folded by Unicode rules (NFKC, lower case) and this index enforces it.
-- lower() matches that fold for the ASCII names a database can hold before this migration.
ALTER TABLE sources ADD COLUMN name_key TEXT;
UPDATE sources SET name_key = lower(name);
CREATE UNIQUE INDEX sources_by_name_key ON sources (name_key);

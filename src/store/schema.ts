import type Database from "better-sqlite3";

/** The database's schema: migrations, applied in order by `migrate` when the database is opened. */

/** Migrations, in order: migration i brings the schema to user_version i + 1. Never edit a released one; append. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE subscriptions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    time TEXT NOT NULL,
    timezone TEXT NOT NULL,
    days TEXT NOT NULL DEFAULT '[]',
    count INTEGER NOT NULL,
    topics TEXT NOT NULL DEFAULT '',
    cycle INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused')),
    pause_reason TEXT,
    next_run_at INTEGER NOT NULL,
    last_post_at INTEGER,
    last_result TEXT,
    nothing_new_notified INTEGER NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX subscriptions_by_guild ON subscriptions (guild_id, id);
  CREATE INDEX subscriptions_by_next_run ON subscriptions (status, next_run_at);

  CREATE TABLE slots (
    subscription_id INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    slot_key TEXT NOT NULL,
    scheduled_at INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('claimed', 'sent', 'skipped', 'failed')),
    nonce TEXT NOT NULL,
    paper_ids TEXT NOT NULL,
    message_id TEXT,
    claimed_at INTEGER NOT NULL,
    finished_at INTEGER,
    reason TEXT,
    PRIMARY KEY (subscription_id, slot_key)
  ) WITHOUT ROWID;
  CREATE INDEX slots_by_state ON slots (state, scheduled_at);

  CREATE TABLE posted_papers (
    subscription_id INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    paper_id TEXT NOT NULL,
    posted_at INTEGER NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (subscription_id, paper_id)
  ) WITHOUT ROWID;
  CREATE INDEX posted_papers_by_age ON posted_papers (subscription_id, posted_at, position);
  `,
  `
  CREATE TABLE search_queries (
    id TEXT PRIMARY KEY,
    query TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    used_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX search_queries_by_use ON search_queries (used_at);
  `,
  `
  ALTER TABLE subscriptions ADD COLUMN sort TEXT NOT NULL DEFAULT 'newest' CHECK (sort IN ('newest', 'upvotes'));

  CREATE TABLE saved_papers (
    user_id TEXT NOT NULL,
    paper_id TEXT NOT NULL,
    saved_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, paper_id)
  ) WITHOUT ROWID;
  CREATE INDEX saved_papers_by_time ON saved_papers (user_id, saved_at);

  CREATE TABLE watches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL,
    guild_id TEXT,
    channel_id TEXT,
    query TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused')),
    pause_reason TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX watches_by_user ON watches (user_id, id);
  CREATE INDEX watches_by_guild ON watches (guild_id, id);

  CREATE TABLE watch_batches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    destination TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('claimed', 'sent', 'failed')),
    claimed_at INTEGER NOT NULL,
    finished_at INTEGER,
    message_id TEXT,
    reason TEXT
  );
  CREATE INDEX watch_batches_by_destination ON watch_batches (destination, state, claimed_at);

  CREATE TABLE watch_hits (
    watch_id INTEGER NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
    paper_id TEXT NOT NULL,
    matched TEXT NOT NULL,
    found_at INTEGER NOT NULL,
    batch_id INTEGER REFERENCES watch_batches (id),
    PRIMARY KEY (watch_id, paper_id)
  ) WITHOUT ROWID;
  CREATE INDEX watch_hits_waiting ON watch_hits (batch_id, watch_id);

  CREATE TABLE seen_papers (
    paper_id TEXT PRIMARY KEY,
    first_seen_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
  // The watch alerts' hot queries: claimed batches (every tick), the last send per destination, channels.
  `
  CREATE INDEX watch_batches_unfinished ON watch_batches (id) WHERE state = 'claimed';
  CREATE INDEX watch_batches_last_sent ON watch_batches (destination, state, finished_at);
  CREATE INDEX watches_by_channel ON watches (channel_id);
  `,
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** A database written by a newer paperbot, whose schema this one does not know. */
export class NewerSchemaError extends Error {
  constructor(readonly version: number) {
    super(`schema version ${version}, newer than ${SCHEMA_VERSION}`);
  }
}

/** Brings the schema up to SCHEMA_VERSION in one write transaction (which also proves the file is writable and unlocked). */
export function migrate(db: Database.Database): void {
  db.transaction(() => {
    const version = db.pragma("user_version", { simple: true }) as number;
    if (version > SCHEMA_VERSION) throw new NewerSchemaError(version);
    for (let next = version; next < SCHEMA_VERSION; next++) {
      db.exec(MIGRATIONS[next]!);
      db.pragma(`user_version = ${next + 1}`);
    }
  }).immediate();
}


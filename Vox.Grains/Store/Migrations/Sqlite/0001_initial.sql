-- Vox store, SQLite dialect. Times are milliseconds since the Unix epoch, taken from the server clock.
CREATE TABLE cluster_settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE tenants (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    max_concurrent_calls INTEGER NULL CHECK (max_concurrent_calls IS NULL OR max_concurrent_calls >= 0),
    created_at INTEGER NOT NULL
);

CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    name TEXT NOT NULL,
    prefix TEXT NOT NULL UNIQUE,
    key_hash BLOB NOT NULL,
    is_admin INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER NULL
);
CREATE INDEX ix_api_keys_tenant ON api_keys (tenant_id);

CREATE TABLE bots (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    definition TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    deleted_at INTEGER NULL
);
CREATE INDEX ix_bots_tenant ON bots (tenant_id, created_at DESC, id DESC);

CREATE TABLE bot_versions (
    bot_id TEXT NOT NULL REFERENCES bots(id),
    version INTEGER NOT NULL,
    definition TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (bot_id, version)
);

CREATE TABLE phone_numbers (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    number TEXT NOT NULL UNIQUE,
    bot_id TEXT NULL REFERENCES bots(id),
    label TEXT NULL,
    trunk TEXT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX ix_phone_numbers_tenant ON phone_numbers (tenant_id, created_at DESC, id DESC);

CREATE TABLE capacity_pools (
    pool TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL
);

-- One row per worker process; a worker carries at most one call, and a call sits on at most one worker.
CREATE TABLE workers (
    worker_id TEXT PRIMARY KEY,
    pool TEXT NOT NULL REFERENCES capacity_pools(pool),
    host TEXT NOT NULL,
    media_url TEXT NOT NULL,
    rtp_address TEXT NULL,
    version TEXT NULL,
    ttl_ms INTEGER NOT NULL,
    registered_at INTEGER NOT NULL,
    heartbeat_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('idle', 'reserved', 'busy')),
    call_id TEXT NULL UNIQUE,
    tenant_id TEXT NULL,
    direction TEXT NULL,
    reserved_at INTEGER NULL,
    reservation_expires_at INTEGER NULL,
    last_released_at INTEGER NOT NULL DEFAULT 0,
    CHECK ((state = 'idle') = (call_id IS NULL))
);
CREATE INDEX ix_workers_pool_state ON workers (pool, state, last_released_at, worker_id);
CREATE INDEX ix_workers_tenant ON workers (tenant_id) WHERE tenant_id IS NOT NULL;

CREATE TABLE calls (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    bot_id TEXT NOT NULL,
    bot_version INTEGER NULL,
    direction TEXT NOT NULL,
    transport TEXT NOT NULL,
    from_number TEXT NULL,
    to_number TEXT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'ringing', 'in_progress', 'ended')),
    worker_id TEXT NULL,
    campaign_id TEXT NULL,
    created_at INTEGER NOT NULL,
    ringing_at INTEGER NULL,
    answered_at INTEGER NULL,
    ended_at INTEGER NULL,
    end_reason TEXT NULL,
    end_detail TEXT NULL,
    result_id TEXT NULL,
    recording_ref TEXT NULL,
    metrics TEXT NULL,
    analysis TEXT NULL,
    metadata TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX ix_calls_tenant ON calls (tenant_id, created_at DESC, id DESC);
CREATE INDEX ix_calls_tenant_bot ON calls (tenant_id, bot_id, created_at DESC);

CREATE TABLE call_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    call_id TEXT NOT NULL REFERENCES calls(id),
    type TEXT NOT NULL,
    at INTEGER NOT NULL,
    data TEXT NULL
);
CREATE INDEX ix_call_events_call ON call_events (call_id, seq);

CREATE TABLE call_turns (
    call_id TEXT NOT NULL REFERENCES calls(id),
    seq INTEGER NOT NULL,
    role TEXT NOT NULL,
    TEXT TEXT NOT NULL,
    start_ms INTEGER NOT NULL,
    end_ms INTEGER NOT NULL,
    interrupted INTEGER NOT NULL,
    PRIMARY KEY (call_id, seq)
);

CREATE TABLE silos (
    silo_id TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    http_url TEXT NOT NULL,
    version TEXT NULL,
    status TEXT NOT NULL,
    ttl_ms INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    heartbeat_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE TABLE reminders (
    grain_type TEXT NOT NULL,
    grain_key TEXT NOT NULL,
    name TEXT NOT NULL,
    period_ms INTEGER NOT NULL CHECK (period_ms > 0),
    next_due_at INTEGER NOT NULL,
    claimed_by TEXT NULL,
    claim_token TEXT NULL,
    claim_expires_at INTEGER NULL,
    last_fired_at INTEGER NULL,
    last_fired_by TEXT NULL,
    fire_count INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (grain_type, grain_key, name)
);
CREATE INDEX ix_reminders_due ON reminders (next_due_at);

CREATE TABLE reminder_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    grain_type TEXT NOT NULL,
    grain_key TEXT NOT NULL,
    name TEXT NOT NULL,
    silo_id TEXT NOT NULL,
    claim_token TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    finished_at INTEGER NULL,
    outcome TEXT NULL
);
CREATE INDEX ix_reminder_runs_reminder ON reminder_runs (grain_type, grain_key, name, id);

CREATE TABLE idempotency_keys (
    tenant_id TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status_code INTEGER NULL,
    content_type TEXT NULL,
    body TEXT NULL,
    created_at INTEGER NOT NULL,
    completed_at INTEGER NULL,
    PRIMARY KEY (tenant_id, key)
);


-- SQLite dialect (see the PostgreSQL script for the design notes).
-- Dialler campaigns. The lease (holder, epoch, expiry) lives on the campaign row: whoever launches locks that row and
-- checks its epoch in the same transaction, so a holder whose lease was taken over cannot claim another attempt.
CREATE TABLE campaigns (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    name TEXT NOT NULL,
    bot_id TEXT NOT NULL,
    trunk TEXT NULL,
    caller_id TEXT NULL,
    calls_per_minute INTEGER NOT NULL,
    max_concurrent INTEGER NOT NULL,
    retry_policy TEXT NOT NULL,
    calling_windows TEXT NOT NULL,
    starts_at INTEGER NULL,
    ends_at INTEGER NULL,
    status TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    completed_at INTEGER NULL,
    lease_holder TEXT NULL,
    lease_epoch INTEGER NOT NULL DEFAULT 0,
    lease_expires_at INTEGER NULL
);
CREATE INDEX ix_campaigns_tenant ON campaigns (tenant_id, created_at DESC, id DESC);

CREATE TABLE campaign_contacts (
    campaign_id TEXT NOT NULL,
    id TEXT NOT NULL,
    tenant_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    phone TEXT NOT NULL,
    name TEXT NULL,
    time_zone TEXT NOT NULL,
    variables TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_attempt_no INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    last_outcome TEXT NULL,
    PRIMARY KEY (campaign_id, id),
    UNIQUE (campaign_id, phone)
);
CREATE INDEX ix_campaign_contacts_due ON campaign_contacts (campaign_id, state, next_attempt_at);

-- One row per dial. The primary key is the no-double-dial guarantee: an attempt number is launched once.
CREATE TABLE campaign_attempts (
    campaign_id TEXT NOT NULL,
    contact_id TEXT NOT NULL,
    attempt_no INTEGER NOT NULL,
    tenant_id TEXT NOT NULL,
    epoch INTEGER NOT NULL,
    holder TEXT NOT NULL,
    call_id TEXT NULL,
    launched_at INTEGER NOT NULL,
    claimed_at INTEGER NOT NULL,
    outcome TEXT NULL,
    ended_at INTEGER NULL,
    PRIMARY KEY (campaign_id, contact_id, attempt_no)
);
CREATE INDEX ix_campaign_attempts_launched ON campaign_attempts (campaign_id, launched_at);
CREATE INDEX ix_campaign_attempts_open ON campaign_attempts (campaign_id) WHERE outcome IS NULL;

CREATE TABLE do_not_call (
    tenant_id TEXT NOT NULL,
    phone TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, phone)
);

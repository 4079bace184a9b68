-- Dialler campaigns. The lease (holder, epoch, expiry) lives on the campaign row: whoever launches locks that row and
-- checks its epoch in the same transaction, so a holder whose lease was taken over cannot claim another attempt.
CREATE TABLE campaigns (
    id text PRIMARY KEY,
    tenant_id text NOT NULL,
    name text NOT NULL,
    bot_id text NOT NULL,
    trunk text NULL,
    caller_id text NULL,
    calls_per_minute integer NOT NULL,
    max_concurrent integer NOT NULL,
    retry_policy text NOT NULL,
    calling_windows text NOT NULL,
    starts_at bigint NULL,
    ends_at bigint NULL,
    status text NOT NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    completed_at bigint NULL,
    lease_holder text NULL,
    lease_epoch bigint NOT NULL DEFAULT 0,
    lease_expires_at bigint NULL
);
CREATE INDEX ix_campaigns_tenant ON campaigns (tenant_id, created_at DESC, id DESC);

CREATE TABLE campaign_contacts (
    campaign_id text NOT NULL,
    id text NOT NULL,
    tenant_id text NOT NULL,
    seq integer NOT NULL,
    phone text NOT NULL,
    name text NULL,
    time_zone text NOT NULL,
    variables text NOT NULL,
    state text NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    last_attempt_no integer NOT NULL DEFAULT 0,
    next_attempt_at bigint NOT NULL DEFAULT 0,
    last_outcome text NULL,
    PRIMARY KEY (campaign_id, id),
    UNIQUE (campaign_id, phone)
);
CREATE INDEX ix_campaign_contacts_due ON campaign_contacts (campaign_id, state, next_attempt_at);

-- One row per dial. The primary key is the no-double-dial guarantee: an attempt number is launched once.
CREATE TABLE campaign_attempts (
    campaign_id text NOT NULL,
    contact_id text NOT NULL,
    attempt_no integer NOT NULL,
    tenant_id text NOT NULL,
    epoch bigint NOT NULL,
    holder text NOT NULL,
    call_id text NULL,
    launched_at bigint NOT NULL,
    claimed_at bigint NOT NULL,
    outcome text NULL,
    ended_at bigint NULL,
    PRIMARY KEY (campaign_id, contact_id, attempt_no)
);
CREATE INDEX ix_campaign_attempts_launched ON campaign_attempts (campaign_id, launched_at);
CREATE INDEX ix_campaign_attempts_open ON campaign_attempts (campaign_id) WHERE outcome IS NULL;

CREATE TABLE do_not_call (
    tenant_id text NOT NULL,
    phone text NOT NULL,
    created_at bigint NOT NULL,
    PRIMARY KEY (tenant_id, phone)
);

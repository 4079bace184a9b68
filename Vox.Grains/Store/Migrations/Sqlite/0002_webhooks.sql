-- Webhooks as a transactional outbox: an event and its deliveries are written in the transaction of the state change
-- that caused them; dispatchers claim due deliveries under the file's write lock with a claim expiry on the store clock.
CREATE TABLE webhook_endpoints (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    url TEXT NOT NULL,
    event_types TEXT NOT NULL,          -- JSON array of event types, or ["*"]
    secret TEXT NOT NULL,               -- HMAC signing key; plain text because the silo signs with it
    enabled INTEGER NOT NULL,
    description TEXT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX ix_webhook_endpoints_tenant ON webhook_endpoints (tenant_id, created_at DESC, id DESC);

CREATE TABLE webhook_events (
    id TEXT PRIMARY KEY,                -- evt_…, the Vox-Event-Id of every attempt
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    type TEXT NOT NULL,
    payload TEXT NOT NULL,              -- the event's "data" as JSON
    created_at INTEGER NOT NULL
);
CREATE INDEX ix_webhook_events_created ON webhook_events (created_at);

CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES webhook_events(id) ON DELETE CASCADE,
    endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
    tenant_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    queued_at INTEGER NOT NULL,         -- start of the current retry budget (creation or redelivery); max age counts from here
    next_attempt_at INTEGER NULL,
    last_attempt_at INTEGER NULL,
    last_status_code INTEGER NULL,
    last_error TEXT NULL,
    delivered_at INTEGER NULL,
    claimed_by TEXT NULL,               -- silo that holds (or last held) the claim
    claim_token TEXT NULL,
    claim_expires_at INTEGER NULL,
    UNIQUE (event_id, endpoint_id),
    CHECK ((status = 'pending') = (next_attempt_at IS NOT NULL)),
    CHECK ((status = 'delivered') = (delivered_at IS NOT NULL))
);
CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX ix_webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at DESC, id DESC);
CREATE INDEX ix_webhook_deliveries_tenant ON webhook_deliveries (tenant_id, status, created_at DESC, id DESC);
CREATE INDEX ix_webhook_deliveries_claim ON webhook_deliveries (claim_token) WHERE claim_token IS NOT NULL;

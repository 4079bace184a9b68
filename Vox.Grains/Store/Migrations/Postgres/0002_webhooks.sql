-- Webhooks as a transactional outbox: an event and its deliveries are written in the transaction of the state change
-- that caused them; dispatchers on any silo claim due deliveries (SKIP LOCKED, claim expiry on the server clock).
CREATE TABLE webhook_endpoints (
    id text PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants(id),
    url text NOT NULL,
    event_types text NOT NULL,          -- JSON array of event types, or ["*"]
    secret text NOT NULL,               -- HMAC signing key; plain text because the silo signs with it
    enabled boolean NOT NULL,
    description text NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL
);
CREATE INDEX ix_webhook_endpoints_tenant ON webhook_endpoints (tenant_id, created_at DESC, id DESC);

CREATE TABLE webhook_events (
    id text PRIMARY KEY,                -- evt_…, the Vox-Event-Id of every attempt
    tenant_id text NOT NULL REFERENCES tenants(id),
    type text NOT NULL,
    payload text NOT NULL,              -- the event's "data" as JSON
    created_at bigint NOT NULL
);
CREATE INDEX ix_webhook_events_created ON webhook_events (created_at);

CREATE TABLE webhook_deliveries (
    id text PRIMARY KEY,
    event_id text NOT NULL REFERENCES webhook_events(id) ON DELETE CASCADE,
    endpoint_id text NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
    tenant_id text NOT NULL,
    status text NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts integer NOT NULL DEFAULT 0,
    created_at bigint NOT NULL,
    queued_at bigint NOT NULL,          -- start of the current retry budget (creation or redelivery); max age counts from here
    next_attempt_at bigint NULL,
    last_attempt_at bigint NULL,
    last_status_code integer NULL,
    last_error text NULL,
    delivered_at bigint NULL,
    claimed_by text NULL,               -- silo that holds (or last held) the claim
    claim_token text NULL,
    claim_expires_at bigint NULL,
    UNIQUE (event_id, endpoint_id),
    CHECK ((status = 'pending') = (next_attempt_at IS NOT NULL)),
    CHECK ((status = 'delivered') = (delivered_at IS NOT NULL))
);
CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX ix_webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at DESC, id DESC);
CREATE INDEX ix_webhook_deliveries_tenant ON webhook_deliveries (tenant_id, status, created_at DESC, id DESC);
CREATE INDEX ix_webhook_deliveries_claim ON webhook_deliveries (claim_token) WHERE claim_token IS NOT NULL;

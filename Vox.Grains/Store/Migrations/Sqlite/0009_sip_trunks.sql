-- SQLite dialect (see the PostgreSQL script for the design notes).
-- SIP trunks a tenant adds through the API (/v1/sip-trunks), beside the operator's Sip:Trunks in configuration. A
-- tenant's stored trunk is found by name before a configured one. The digest password is encrypted with Secrets:Key
-- (AES-256-GCM, the tenant and the trunk id as associated data), like tenant secrets.
CREATE TABLE sip_trunks (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    name TEXT NOT NULL,
    address TEXT NOT NULL,              -- host:port of the carrier's proxy or the PBX
    transport TEXT NOT NULL,            -- udp or tcp
    domain TEXT NULL,                   -- Request-URI host when it differs from the address
    allowed_sources TEXT NOT NULL,      -- JSON array of IPs or CIDRs inbound calls may come from; [] allows any
    username TEXT NULL,
    password_key_id TEXT NULL,
    password_sealed BLOB NULL,         -- nonce (12) | tag (16) | ciphertext
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (tenant_id, name)
);
CREATE INDEX ix_sip_trunks_tenant ON sip_trunks (tenant_id, created_at DESC, id DESC);

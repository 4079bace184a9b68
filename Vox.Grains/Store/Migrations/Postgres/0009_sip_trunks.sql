-- SIP trunks a tenant adds through the API (/v1/sip-trunks), beside the operator's Sip:Trunks in configuration. A
-- tenant's stored trunk is found by name before a configured one. The digest password is encrypted with Secrets:Key
-- (AES-256-GCM, the tenant and the trunk id as associated data), like tenant secrets.
CREATE TABLE sip_trunks (
    id text PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants(id),
    name text NOT NULL,
    address text NOT NULL,              -- host:port of the carrier's proxy or the PBX
    transport text NOT NULL,            -- udp or tcp
    domain text NULL,                   -- Request-URI host when it differs from the address
    allowed_sources text NOT NULL,      -- JSON array of IPs or CIDRs inbound calls may come from; [] allows any
    username text NULL,
    password_key_id text NULL,
    password_sealed bytea NULL,         -- nonce (12) | tag (16) | ciphertext
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    UNIQUE (tenant_id, name)
);
CREATE INDEX ix_sip_trunks_tenant ON sip_trunks (tenant_id, created_at DESC, id DESC);

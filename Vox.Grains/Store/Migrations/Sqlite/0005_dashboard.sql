-- Dashboard: the live view reads only calls not ended (every 0.5 s per open browser), so those get their own small indexes
-- (per tenant for operators, across tenants for cluster admins); admins list every tenant's calls newest first.
CREATE INDEX ix_calls_live_tenant ON calls (tenant_id, created_at DESC, id DESC) WHERE state <> 'ended';
CREATE INDEX ix_calls_live ON calls (created_at DESC, id DESC) WHERE state <> 'ended';
CREATE INDEX ix_calls_created ON calls (created_at DESC, id DESC);

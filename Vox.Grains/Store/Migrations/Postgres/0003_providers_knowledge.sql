-- Tenant secrets (provider keys, tool secrets), encrypted with AES-GCM under Secrets:Key; and knowledge bases searched
-- with PostgreSQL full text (tsvector, ts_rank_cd, headings weighted A) over chunks, with optional embeddings for hybrid ranking.
CREATE TABLE tenant_secrets (
    tenant_id text NOT NULL REFERENCES tenants(id),
    name text NOT NULL,
    key_id text NOT NULL,
    ciphertext bytea NOT NULL,
    updated_at bigint NOT NULL,
    PRIMARY KEY (tenant_id, name)
);

CREATE TABLE knowledge_bases (
    id text PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants(id),
    name text NOT NULL,
    created_at bigint NOT NULL
);
CREATE INDEX ix_knowledge_bases_tenant ON knowledge_bases (tenant_id, created_at DESC);

CREATE TABLE knowledge_documents (
    id text PRIMARY KEY,
    knowledge_base_id text NOT NULL REFERENCES knowledge_bases(id) ON DELETE CASCADE,
    tenant_id text NOT NULL,
    name text NOT NULL,
    content_type text NOT NULL,
    chunks integer NOT NULL,
    created_at bigint NOT NULL
);
CREATE INDEX ix_knowledge_documents_kb ON knowledge_documents (knowledge_base_id, created_at);

CREATE TABLE knowledge_chunks (
    id text PRIMARY KEY,
    knowledge_base_id text NOT NULL REFERENCES knowledge_bases(id) ON DELETE CASCADE,
    document_id text NOT NULL REFERENCES knowledge_documents(id) ON DELETE CASCADE,
    tenant_id text NOT NULL,
    ordinal integer NOT NULL,
    heading text NOT NULL,
    text text NOT NULL,
    embedding text NULL,
    tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', heading), 'A') || setweight(to_tsvector('english', text), 'B')) STORED
);
CREATE INDEX ix_knowledge_chunks_kb ON knowledge_chunks (tenant_id, knowledge_base_id);
CREATE INDEX ix_knowledge_chunks_tsv ON knowledge_chunks USING GIN (tsv);

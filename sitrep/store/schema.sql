-- The store's tables. Keys are content hashes, so every write is an idempotent upsert.
CREATE SEQUENCE IF NOT EXISTS article_seq;

CREATE TABLE IF NOT EXISTS articles (
    article_id          VARCHAR PRIMARY KEY,   -- hash of clean_text
    seq                 BIGINT,                -- ingest order: the earliest copy wins ties
    input_id            VARCHAR,               -- first input it was read from
    source              VARCHAR,
    locator             VARCHAR,
    url                 VARCHAR,
    title               VARCHAR,
    language            VARCHAR,
    language_confidence DOUBLE PRECISION,
    published           DATE,
    published_inferred  BOOLEAN,
    published_confidence DOUBLE PRECISION,               -- when inferred from the text
    skipped             VARCHAR,               -- JSON: stage -> why it did not run
    clean_text          VARCHAR,
    paragraphs          VARCHAR[],
    raw_text            VARCHAR,               -- the text clean offsets map back to
    offset_map          INTEGER[][],           -- [clean_start, clean_end, raw_start, raw_end]
    minhash             BIGINT[],
    duplicate_of        VARCHAR,               -- earliest copy, for republications
    dedup_done          BOOLEAN DEFAULT FALSE,
    ingested_at         TIMESTAMP
);

CREATE TABLE IF NOT EXISTS inputs (
    input_key   VARCHAR PRIMARY KEY,           -- hash of source, locator and content
    input_id    VARCHAR,
    source      VARCHAR,                       -- the path as given
    real_path   VARCHAR,                       -- the file, however the path was spelt
    locator     VARCHAR,
    url         VARCHAR,
    published   DATE,
    article_id  VARCHAR,
    ingested_at TIMESTAMP
);

CREATE TABLE IF NOT EXISTS removed (
    article_id VARCHAR,
    seq        INTEGER,
    reason     VARCHAR,
    text       VARCHAR,
    raw_start  INTEGER,
    raw_end    INTEGER,
    line       INTEGER,
    detail     VARCHAR,
    PRIMARY KEY (article_id, seq)
);

CREATE TABLE IF NOT EXISTS rejected (
    reject_key  VARCHAR PRIMARY KEY,
    input_key   VARCHAR,                       -- set when the input was read but a stage dropped it
    input_id    VARCHAR,
    source      VARCHAR,
    locator     VARCHAR,
    stage       VARCHAR,
    reason      VARCHAR,
    detail      VARCHAR,
    rejected_at TIMESTAMP
);

-- What the language stages found, each with its span in the clean text (provenance).
CREATE TABLE IF NOT EXISTS mentions (
    article_id VARCHAR,
    kind       VARCHAR,                        -- place, time, actor
    seq        INTEGER,
    char_start INTEGER,
    char_end   INTEGER,
    text       VARCHAR,
    value      VARCHAR,                        -- place name, ISO date, actor id
    detail     VARCHAR,                        -- JSON of the resolved record
    PRIMARY KEY (article_id, kind, seq)
);

CREATE TABLE IF NOT EXISTS article_bands (
    band       SMALLINT,
    key        VARCHAR,
    article_id VARCHAR,
    PRIMARY KEY (band, key, article_id)
);

CREATE TABLE IF NOT EXISTS events (
    event_id             VARCHAR PRIMARY KEY,
    type                 VARCHAR,
    class                VARCHAR,
    acled_event_type     VARCHAR,
    acled_sub_event_type VARCHAR,
    plover               VARCHAR,
    event_date           DATE,
    event_time           VARCHAR,
    time_precision       SMALLINT,
    historical           BOOLEAN,
    ceasefire_id         VARCHAR,
    actor1               VARCHAR,
    actor2               VARCHAR,
    mediator             VARCHAR,
    actor1_country       VARCHAR,
    actor2_country       VARCHAR,
    mediator_country     VARCHAR,
    targets              VARCHAR[],
    country              VARCHAR,
    admin1               VARCHAR,
    admin2               VARCHAR,
    location             VARCHAR,
    latitude             DOUBLE PRECISION,
    longitude            DOUBLE PRECISION,
    geo_precision        SMALLINT,
    geonames_id          BIGINT,
    weapons              VARCHAR[],
    fatalities           INTEGER,
    injuries             INTEGER,
    status               VARCHAR,
    notes                VARCHAR,
    confidence           DOUBLE PRECISION
);

CREATE TABLE IF NOT EXISTS claims (
    event_id   VARCHAR,
    seq        INTEGER,
    "by"       VARCHAR,
    by_country VARCHAR,
    stance     VARCHAR,
    article_id VARCHAR,
    sentence   VARCHAR,
    char_start INTEGER,
    char_end   INTEGER,
    PRIMARY KEY (event_id, seq)
);

CREATE TABLE IF NOT EXISTS sources (
    event_id   VARCHAR,
    seq        INTEGER,
    article_id VARCHAR,
    input_id   VARCHAR,
    url        VARCHAR,
    published  DATE,
    sentence   VARCHAR,
    char_start INTEGER,
    char_end   INTEGER,
    PRIMARY KEY (event_id, seq)
);

-- What each article's extractor reported (spec/events.md records): the map side. `event_id` is
-- the merged event it belongs to, NULL until the merge has seen it.
CREATE TABLE IF NOT EXISTS reports (
    report_id  VARCHAR PRIMARY KEY,
    article_id VARCHAR,
    class      VARCHAR,
    type       VARCHAR,
    historical BOOLEAN,
    date_lo    DATE,                            -- the days its date may mean
    date_hi    DATE,
    record     VARCHAR,                         -- JSON of the article-level event
    event_id   VARCHAR
);

-- Pairs of reports that may tell one event (both directions): the coreference graph.
CREATE TABLE IF NOT EXISTS report_links (
    a VARCHAR,
    b VARCHAR,
    PRIMARY KEY (a, b)
);

CREATE TABLE IF NOT EXISTS ceasefires (
    ceasefire_id VARCHAR PRIMARY KEY,           -- the ceasefire event's event_id
    parties      VARCHAR[],
    mediator     VARCHAR,
    announced_by VARCHAR[],
    start_date   DATE,
    start_time   VARCHAR,                       -- ISO UTC when the text gives the hour
    scope        VARCHAR[],                     -- countries
    end_date     DATE
);

-- Columns added since a store may have been created (stores of older versions keep working).
ALTER TABLE reports ADD COLUMN IF NOT EXISTS country VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS reports VARCHAR[];
ALTER TABLE events ADD COLUMN IF NOT EXISTS independent_sources INTEGER;
ALTER TABLE events ADD COLUMN IF NOT EXISTS fatality_figures VARCHAR;
ALTER TABLE sources ADD COLUMN IF NOT EXISTS independent_of VARCHAR;
ALTER TABLE articles ADD COLUMN IF NOT EXISTS published_confidence DOUBLE PRECISION;
ALTER TABLE articles ADD COLUMN IF NOT EXISTS skipped VARCHAR;

-- Multi-record input files (JSONL, WARC) whose every record was stored or rejected: a
-- restarted job skips them without reading them, unless the file changed since.
CREATE TABLE IF NOT EXISTS shards (
    path     VARCHAR PRIMARY KEY,
    size     BIGINT,
    mtime    DOUBLE PRECISION,
    records  INTEGER,                           -- its inputs: articles and rejections
    done_at  TIMESTAMP
);

-- @postgresql-only
-- Indexes for the server's queries (the API's filters, an article's spans, the merge's lookups).
-- DuckDB needs none: it scans columns with min-max zone maps, and its indexes would slow every
-- merge that rewrites events.
CREATE INDEX IF NOT EXISTS events_day ON events (event_date);
CREATE INDEX IF NOT EXISTS events_country_day ON events (country, event_date);
CREATE INDEX IF NOT EXISTS events_class_day ON events (class, event_date);
CREATE INDEX IF NOT EXISTS events_ceasefire ON events (ceasefire_id);
CREATE INDEX IF NOT EXISTS sources_article ON sources (article_id);
CREATE INDEX IF NOT EXISTS claims_article ON claims (article_id);
CREATE INDEX IF NOT EXISTS reports_event ON reports (event_id);
CREATE INDEX IF NOT EXISTS reports_article ON reports (article_id);
CREATE INDEX IF NOT EXISTS inputs_article ON inputs (article_id);
CREATE INDEX IF NOT EXISTS report_links_b ON report_links (b);

-- +goose Up
-- Assessment-first applications. An admin shares a public link for one
-- iCIMS job (apply_links); a person who opens it applies (applications)
-- and the product then finds or creates the person in iCIMS, creates the
-- application with its source, uploads the CV and lets the write-back
-- write the results row. The link's URL is signed, so nothing secret is
-- stored for it.
CREATE TABLE apply_links (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    job_id       TEXT NOT NULL,
    job_title    TEXT NOT NULL DEFAULT '',
    package_id   INTEGER NOT NULL,
    -- Source is a value of lists.sources; label is written as Source Name
    -- on the application and Source Specifics on the person.
    source       TEXT NOT NULL,
    source_label TEXT NOT NULL,
    closed_at    TIMESTAMP,
    created_at   TIMESTAMP NOT NULL,
    FOREIGN KEY (tenant_id, package_id) REFERENCES packages (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX apply_links_job ON apply_links (tenant_id, job_id, id);

-- One person's application through a link, and how far its iCIMS steps
-- got. Each step records the id it created in the same transaction as its
-- outcome and the next step's job, so a retry never creates twice.
CREATE TABLE applications (
    id               INTEGER PRIMARY KEY,
    tenant_id        INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    link_id          INTEGER NOT NULL REFERENCES apply_links (id) ON DELETE CASCADE,
    -- The applicant's browser holds the token of its waiting page; only
    -- its hash is kept.
    wait_hash        TEXT NOT NULL UNIQUE,
    first_name       TEXT NOT NULL,
    last_name        TEXT NOT NULL,
    email            TEXT NOT NULL,
    phone            TEXT NOT NULL DEFAULT '',
    -- The CV until it is uploaded to iCIMS; then only its name and size.
    cv               BLOB,
    cv_name          TEXT NOT NULL DEFAULT '',
    cv_type          TEXT NOT NULL DEFAULT '',
    cv_size          INTEGER NOT NULL DEFAULT 0,
    person_id        TEXT NOT NULL DEFAULT '',
    person_created   INTEGER NOT NULL DEFAULT 0,
    workflow_id      TEXT NOT NULL DEFAULT '',
    -- Retention purges an application with its invitation: the row holds
    -- the same personal data.
    invitation_id    INTEGER REFERENCES invitations (id) ON DELETE CASCADE,
    step             TEXT NOT NULL DEFAULT 'person'
        CHECK (step IN ('person', 'application', 'cv', 'done', 'failed')),
    step_delivery_id INTEGER,
    -- iCIMS's code 4 warnings, for the admin, with the fix.
    warning          TEXT NOT NULL DEFAULT '',
    problem          TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
-- The same person applies once through a link.
CREATE UNIQUE INDEX applications_once ON applications (link_id, email);
CREATE INDEX applications_tenant ON applications (tenant_id, id DESC);

-- +goose Down
DROP TABLE applications;
DROP TABLE apply_links;

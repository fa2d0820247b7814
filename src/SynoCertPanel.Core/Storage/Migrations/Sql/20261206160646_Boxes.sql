BEGIN TRANSACTION;
CREATE TABLE "Boxes" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Boxes" PRIMARY KEY AUTOINCREMENT,
    "Name" TEXT NOT NULL,
    "Addresses" TEXT NOT NULL,
    "Delivery" TEXT NOT NULL,
    "Settings" TEXT NOT NULL,
    "SealedSecrets" BLOB NULL,
    "Enabled" INTEGER NOT NULL,
    "AuthorityId" INTEGER NULL,
    "CertificateId" INTEGER NULL,
    "CreatedAt" INTEGER NOT NULL
);

CREATE TABLE "BoxEndpoints" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_BoxEndpoints" PRIMARY KEY AUTOINCREMENT,
    "BoxId" INTEGER NOT NULL,
    "Host" TEXT NOT NULL,
    "Port" INTEGER NOT NULL,
    "CheckedAt" INTEGER NULL,
    "State" TEXT NULL,
    "Message" TEXT NULL,
    "ServedFingerprint" TEXT NULL,
    "ServedNotAfter" INTEGER NULL,
    "ServedChainPem" TEXT NULL,
    CONSTRAINT "FK_BoxEndpoints_Boxes_BoxId" FOREIGN KEY ("BoxId") REFERENCES "Boxes" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Deployments" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Deployments" PRIMARY KEY AUTOINCREMENT,
    "BoxId" INTEGER NOT NULL,
    "CertificateId" INTEGER NULL,
    "PreviousCertificateId" INTEGER NULL,
    "StartedAt" INTEGER NOT NULL,
    "FinishedAt" INTEGER NULL,
    "Outcome" TEXT NOT NULL,
    "Failure" TEXT NULL,
    "Message" TEXT NOT NULL,
    "Steps" TEXT NOT NULL,
    "Actor" TEXT NOT NULL,
    CONSTRAINT "FK_Deployments_Boxes_BoxId" FOREIGN KEY ("BoxId") REFERENCES "Boxes" ("Id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "IX_BoxEndpoints_BoxId_Host_Port" ON "BoxEndpoints" ("BoxId", "Host", "Port");

CREATE UNIQUE INDEX "IX_Boxes_Name" ON "Boxes" ("Name");

CREATE INDEX "IX_Deployments_BoxId_StartedAt" ON "Deployments" ("BoxId", "StartedAt");

CREATE INDEX "IX_Deployments_Outcome" ON "Deployments" ("Outcome");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261206160646_Boxes', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "AcmeDirectories" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AcmeDirectories" PRIMARY KEY AUTOINCREMENT,
    "AuthorityId" INTEGER NOT NULL,
    "Enabled" INTEGER NOT NULL,
    "LifetimeHours" INTEGER NOT NULL,
    "AllowedDns" TEXT NOT NULL,
    "AllowedIp" TEXT NOT NULL,
    "Challenges" TEXT NOT NULL,
    "HttpPort" INTEGER NOT NULL,
    "TlsAlpnPort" INTEGER NOT NULL,
    "RequireEab" INTEGER NOT NULL,
    "PointToCrl" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    CONSTRAINT "FK_AcmeDirectories_Authorities_AuthorityId" FOREIGN KEY ("AuthorityId") REFERENCES "Authorities" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Revocations" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Revocations" PRIMARY KEY AUTOINCREMENT,
    "AuthorityId" INTEGER NOT NULL,
    "CertificateId" INTEGER NULL,
    "SerialNumber" TEXT NOT NULL,
    "RevokedAt" INTEGER NOT NULL,
    "Reason" INTEGER NOT NULL,
    "Actor" TEXT NOT NULL,
    CONSTRAINT "FK_Revocations_Authorities_AuthorityId" FOREIGN KEY ("AuthorityId") REFERENCES "Authorities" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AcmeAccounts" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AcmeAccounts" PRIMARY KEY AUTOINCREMENT,
    "DirectoryId" INTEGER NOT NULL,
    "Thumbprint" TEXT NOT NULL,
    "Jwk" TEXT NOT NULL,
    "Contact" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "EabKeyId" INTEGER NULL,
    "CreatedFrom" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "LastOrderAt" INTEGER NULL,
    CONSTRAINT "FK_AcmeAccounts_AcmeDirectories_DirectoryId" FOREIGN KEY ("DirectoryId") REFERENCES "AcmeDirectories" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AcmeEabKeys" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AcmeEabKeys" PRIMARY KEY AUTOINCREMENT,
    "DirectoryId" INTEGER NOT NULL,
    "KeyId" TEXT NOT NULL,
    "Label" TEXT NOT NULL,
    "SealedKey" BLOB NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CreatedBy" TEXT NOT NULL,
    "RevokedAt" INTEGER NULL,
    "AccountId" INTEGER NULL,
    CONSTRAINT "FK_AcmeEabKeys_AcmeDirectories_DirectoryId" FOREIGN KEY ("DirectoryId") REFERENCES "AcmeDirectories" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AcmeOrders" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AcmeOrders" PRIMARY KEY AUTOINCREMENT,
    "AccountId" INTEGER NOT NULL,
    "DirectoryId" INTEGER NOT NULL,
    "Status" TEXT NOT NULL,
    "Identifiers" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "ExpiresAt" INTEGER NOT NULL,
    "Error" TEXT NULL,
    "CertificateId" INTEGER NULL,
    "Replaces" TEXT NULL,
    CONSTRAINT "FK_AcmeOrders_AcmeAccounts_AccountId" FOREIGN KEY ("AccountId") REFERENCES "AcmeAccounts" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AcmeAuthorizations" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AcmeAuthorizations" PRIMARY KEY AUTOINCREMENT,
    "OrderId" INTEGER NOT NULL,
    "Type" TEXT NOT NULL,
    "Value" TEXT NOT NULL,
    "Wildcard" INTEGER NOT NULL,
    "Status" TEXT NOT NULL,
    "ExpiresAt" INTEGER NOT NULL,
    CONSTRAINT "FK_AcmeAuthorizations_AcmeOrders_OrderId" FOREIGN KEY ("OrderId") REFERENCES "AcmeOrders" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AcmeChallenges" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AcmeChallenges" PRIMARY KEY AUTOINCREMENT,
    "AuthorizationId" INTEGER NOT NULL,
    "Type" TEXT NOT NULL,
    "Token" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "ValidatedAt" INTEGER NULL,
    "Error" TEXT NULL,
    CONSTRAINT "FK_AcmeChallenges_AcmeAuthorizations_AuthorizationId" FOREIGN KEY ("AuthorizationId") REFERENCES "AcmeAuthorizations" ("Id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "IX_AcmeAccounts_DirectoryId_Thumbprint" ON "AcmeAccounts" ("DirectoryId", "Thumbprint");

CREATE INDEX "IX_AcmeAuthorizations_OrderId" ON "AcmeAuthorizations" ("OrderId");

CREATE INDEX "IX_AcmeChallenges_AuthorizationId" ON "AcmeChallenges" ("AuthorizationId");

CREATE UNIQUE INDEX "IX_AcmeChallenges_Token" ON "AcmeChallenges" ("Token");

CREATE UNIQUE INDEX "IX_AcmeDirectories_AuthorityId" ON "AcmeDirectories" ("AuthorityId");

CREATE INDEX "IX_AcmeEabKeys_DirectoryId" ON "AcmeEabKeys" ("DirectoryId");

CREATE UNIQUE INDEX "IX_AcmeEabKeys_KeyId" ON "AcmeEabKeys" ("KeyId");

CREATE INDEX "IX_AcmeOrders_AccountId_CreatedAt" ON "AcmeOrders" ("AccountId", "CreatedAt");

CREATE INDEX "IX_AcmeOrders_CertificateId" ON "AcmeOrders" ("CertificateId");

CREATE INDEX "IX_AcmeOrders_DirectoryId_CreatedAt" ON "AcmeOrders" ("DirectoryId", "CreatedAt");

CREATE UNIQUE INDEX "IX_Revocations_AuthorityId_SerialNumber" ON "Revocations" ("AuthorityId", "SerialNumber");

CREATE INDEX "IX_Revocations_CertificateId" ON "Revocations" ("CertificateId");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261206190731_Acme', '10.0.15');

COMMIT;

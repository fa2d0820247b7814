CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory" (
    "MigrationId" TEXT NOT NULL CONSTRAINT "PK___EFMigrationsHistory" PRIMARY KEY,
    "ProductVersion" TEXT NOT NULL
);

BEGIN TRANSACTION;
CREATE TABLE "AuditEvents" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AuditEvents" PRIMARY KEY AUTOINCREMENT,
    "At" INTEGER NOT NULL,
    "Actor" TEXT NOT NULL,
    "Action" TEXT NOT NULL,
    "CertificateId" INTEGER NULL,
    "Target" TEXT NOT NULL,
    "Outcome" TEXT NOT NULL,
    "Detail" TEXT NOT NULL
);

CREATE TABLE "PrivateKeys" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_PrivateKeys" PRIMARY KEY AUTOINCREMENT,
    "Algorithm" TEXT NOT NULL,
    "PublicKeySha256" TEXT NOT NULL,
    "EncryptedPkcs8" BLOB NOT NULL,
    "CreatedAt" INTEGER NOT NULL
);

CREATE TABLE "Settings" (
    "Name" TEXT NOT NULL CONSTRAINT "PK_Settings" PRIMARY KEY,
    "Value" TEXT NOT NULL
);

CREATE TABLE "PendingRequests" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_PendingRequests" PRIMARY KEY AUTOINCREMENT,
    "Description" TEXT NOT NULL,
    "Subject" TEXT NOT NULL,
    "AlternativeNames" TEXT NOT NULL,
    "CsrDer" BLOB NOT NULL,
    "PrivateKeyId" INTEGER NOT NULL,
    "RenewsCertificateId" INTEGER NULL,
    "CreatedAt" INTEGER NOT NULL,
    CONSTRAINT "FK_PendingRequests_PrivateKeys_PrivateKeyId" FOREIGN KEY ("PrivateKeyId") REFERENCES "PrivateKeys" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "Authorities" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Authorities" PRIMARY KEY AUTOINCREMENT,
    "CertificateId" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    CONSTRAINT "FK_Authorities_Certificates_CertificateId" FOREIGN KEY ("CertificateId") REFERENCES "Certificates" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "Certificates" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Certificates" PRIMARY KEY AUTOINCREMENT,
    "Description" TEXT NOT NULL,
    "Subject" TEXT NOT NULL,
    "CommonName" TEXT NULL,
    "AlternativeNames" TEXT NOT NULL,
    "Issuer" TEXT NOT NULL,
    "SerialNumber" TEXT NOT NULL,
    "NotBefore" INTEGER NOT NULL,
    "NotAfter" INTEGER NOT NULL,
    "KeyDescription" TEXT NOT NULL,
    "Sha256Fingerprint" TEXT NOT NULL,
    "Source" TEXT NOT NULL,
    "IsCertificateAuthority" INTEGER NOT NULL,
    "Der" BLOB NOT NULL,
    "ChainPem" TEXT NOT NULL,
    "PrivateKeyId" INTEGER NULL,
    "IssuedByAuthorityId" INTEGER NULL,
    "CreatedAt" INTEGER NOT NULL,
    CONSTRAINT "FK_Certificates_Authorities_IssuedByAuthorityId" FOREIGN KEY ("IssuedByAuthorityId") REFERENCES "Authorities" ("Id") ON DELETE SET NULL,
    CONSTRAINT "FK_Certificates_PrivateKeys_PrivateKeyId" FOREIGN KEY ("PrivateKeyId") REFERENCES "PrivateKeys" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "IssuedSerials" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_IssuedSerials" PRIMARY KEY AUTOINCREMENT,
    "AuthorityId" INTEGER NOT NULL,
    "SerialNumber" TEXT NOT NULL,
    "IssuedAt" INTEGER NOT NULL,
    CONSTRAINT "FK_IssuedSerials_Authorities_AuthorityId" FOREIGN KEY ("AuthorityId") REFERENCES "Authorities" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_AuditEvents_At" ON "AuditEvents" ("At");

CREATE INDEX "IX_AuditEvents_CertificateId" ON "AuditEvents" ("CertificateId");

CREATE UNIQUE INDEX "IX_Authorities_CertificateId" ON "Authorities" ("CertificateId");

CREATE INDEX "IX_Certificates_CommonName" ON "Certificates" ("CommonName");

CREATE INDEX "IX_Certificates_Description" ON "Certificates" ("Description");

CREATE INDEX "IX_Certificates_IssuedByAuthorityId" ON "Certificates" ("IssuedByAuthorityId");

CREATE INDEX "IX_Certificates_NotAfter" ON "Certificates" ("NotAfter");

CREATE INDEX "IX_Certificates_PrivateKeyId" ON "Certificates" ("PrivateKeyId");

CREATE UNIQUE INDEX "IX_Certificates_Sha256Fingerprint" ON "Certificates" ("Sha256Fingerprint");

CREATE UNIQUE INDEX "IX_IssuedSerials_AuthorityId_SerialNumber" ON "IssuedSerials" ("AuthorityId", "SerialNumber");

CREATE INDEX "IX_PendingRequests_PrivateKeyId" ON "PendingRequests" ("PrivateKeyId");

CREATE INDEX "IX_PrivateKeys_PublicKeySha256" ON "PrivateKeys" ("PublicKeySha256");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261127182750_Initial', '10.0.15');

COMMIT;

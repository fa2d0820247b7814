BEGIN TRANSACTION;
CREATE TABLE "ApiTokens" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_ApiTokens" PRIMARY KEY AUTOINCREMENT,
    "Name" TEXT NOT NULL,
    "Scopes" TEXT NOT NULL,
    "SecretSha256" BLOB NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CreatedBy" TEXT NOT NULL,
    "ExpiresAt" INTEGER NULL,
    "RevokedAt" INTEGER NULL,
    "LastUsedAt" INTEGER NULL
);

CREATE INDEX "IX_ApiTokens_Name" ON "ApiTokens" ("Name");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261206102808_ApiTokens', '10.0.15');

COMMIT;

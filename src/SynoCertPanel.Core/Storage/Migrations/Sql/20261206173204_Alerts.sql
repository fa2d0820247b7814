BEGIN TRANSACTION;
CREATE TABLE "AlertChannels" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AlertChannels" PRIMARY KEY AUTOINCREMENT,
    "Name" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Settings" TEXT NOT NULL,
    "SealedSecrets" BLOB NULL,
    "Enabled" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL
);

CREATE TABLE "AlertHistory" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AlertHistory" PRIMARY KEY AUTOINCREMENT,
    "At" INTEGER NOT NULL,
    "ChannelId" INTEGER NOT NULL,
    "ChannelName" TEXT NOT NULL,
    "Event" TEXT NOT NULL,
    "Subject" TEXT NOT NULL,
    "Outcome" TEXT NOT NULL,
    "Error" TEXT NULL
);

CREATE UNIQUE INDEX "IX_AlertChannels_Name" ON "AlertChannels" ("Name");

CREATE INDEX "IX_AlertHistory_At" ON "AlertHistory" ("At");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261206173204_Alerts', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "Certificates" ADD "ReplacedById" INTEGER NULL;

CREATE INDEX "IX_Certificates_ReplacedById" ON "Certificates" ("ReplacedById");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261206050049_CertificateReplacedBy', '10.0.15');

COMMIT;

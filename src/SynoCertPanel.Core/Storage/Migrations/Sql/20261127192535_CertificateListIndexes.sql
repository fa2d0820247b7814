BEGIN TRANSACTION;
CREATE INDEX "IX_Certificates_CreatedAt" ON "Certificates" ("CreatedAt");

CREATE INDEX "IX_Certificates_Issuer" ON "Certificates" ("Issuer");

CREATE INDEX "IX_Certificates_Search" ON "Certificates" ("Description", "CommonName", "AlternativeNames", "Issuer", "NotAfter", "CreatedAt");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261127192535_CertificateListIndexes', '10.0.15');

COMMIT;

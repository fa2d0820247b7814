using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SynoCertPanel.Core.Storage.Migrations
{
    /// <inheritdoc />
    public partial class CertificateListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Certificates_CreatedAt",
                table: "Certificates",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Certificates_Issuer",
                table: "Certificates",
                column: "Issuer");

            migrationBuilder.CreateIndex(
                name: "IX_Certificates_Search",
                table: "Certificates",
                columns: new[] { "Description", "CommonName", "AlternativeNames", "Issuer", "NotAfter", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Certificates_CreatedAt",
                table: "Certificates");

            migrationBuilder.DropIndex(
                name: "IX_Certificates_Issuer",
                table: "Certificates");

            migrationBuilder.DropIndex(
                name: "IX_Certificates_Search",
                table: "Certificates");
        }
    }
}

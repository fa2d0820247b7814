using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SynoCertPanel.Core.Storage.Migrations
{
    /// <inheritdoc />
    public partial class CertificateReplacedBy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ReplacedById",
                table: "Certificates",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Certificates_ReplacedById",
                table: "Certificates",
                column: "ReplacedById");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Certificates_ReplacedById",
                table: "Certificates");

            migrationBuilder.DropColumn(
                name: "ReplacedById",
                table: "Certificates");
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BehaviorPoints.Core.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class EntriesInTimeOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ScoreEntries_LeadId_Id",
                table: "ScoreEntries");

            migrationBuilder.CreateIndex(
                name: "IX_ScoreEntries_LeadId_OccurredAt_Id",
                table: "ScoreEntries",
                columns: new[] { "LeadId", "OccurredAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ScoreEntries_LeadId_OccurredAt_Id",
                table: "ScoreEntries");

            migrationBuilder.CreateIndex(
                name: "IX_ScoreEntries_LeadId_Id",
                table: "ScoreEntries",
                columns: new[] { "LeadId", "Id" });
        }
    }
}

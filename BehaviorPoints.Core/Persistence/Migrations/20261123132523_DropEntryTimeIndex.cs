using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BehaviorPoints.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class DropEntryTimeIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ScoreEntries_LeadId_OccurredAt",
                table: "ScoreEntries");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_ScoreEntries_LeadId_OccurredAt",
                table: "ScoreEntries",
                columns: new[] { "LeadId", "OccurredAt" });
        }
    }
}

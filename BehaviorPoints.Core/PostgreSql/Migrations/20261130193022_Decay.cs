using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BehaviorPoints.Core.PostgreSql.Migrations
{
    /// <inheritdoc />
    // Points that fade (SPEC §9): decay entries point at the entry they fade; steps not yet due wait in PendingDecays.
    // Every entry a re-score replaced before this was a rule entry.
    public partial class Decay : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "DecaysEntryId",
                table: "SupersededScoreEntries",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "SupersededScoreEntries",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "Rule");

            migrationBuilder.AddColumn<int>(
                name: "DecayStep",
                table: "ScoreEntries",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "DecaysEntryId",
                table: "ScoreEntries",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "PendingDecays",
                columns: table => new
                {
                    EntryId = table.Column<long>(type: "bigint", nullable: false),
                    Step = table.Column<int>(type: "integer", nullable: false),
                    LeadId = table.Column<long>(type: "bigint", nullable: false),
                    DueAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Points = table.Column<int>(type: "integer", nullable: false),
                    Kept = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PendingDecays", x => new { x.EntryId, x.Step });
                    table.ForeignKey(
                        name: "FK_PendingDecays_ScoreEntries_EntryId",
                        column: x => x.EntryId,
                        principalTable: "ScoreEntries",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ScoreEntries_DecaysEntryId_DecayStep",
                table: "ScoreEntries",
                columns: new[] { "DecaysEntryId", "DecayStep" },
                unique: true,
                filter: "\"DecaysEntryId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_PendingDecays_DueAt",
                table: "PendingDecays",
                column: "DueAt");

            migrationBuilder.CreateIndex(
                name: "IX_PendingDecays_LeadId",
                table: "PendingDecays",
                column: "LeadId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PendingDecays");

            migrationBuilder.DropIndex(
                name: "IX_ScoreEntries_DecaysEntryId_DecayStep",
                table: "ScoreEntries");

            migrationBuilder.DropColumn(
                name: "DecaysEntryId",
                table: "SupersededScoreEntries");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "SupersededScoreEntries");

            migrationBuilder.DropColumn(
                name: "DecayStep",
                table: "ScoreEntries");

            migrationBuilder.DropColumn(
                name: "DecaysEntryId",
                table: "ScoreEntries");
        }
    }
}
